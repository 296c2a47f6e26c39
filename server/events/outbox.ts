import type { EntityManager } from "typeorm";
import { EventRecord } from "./event.entity";

export const NOTIFY_CHANNEL = "beacon_events";

/** Next value of a named counter. The row lock is held to commit, which serialises the writers. */
export async function nextCounter(
  m: EntityManager,
  name: "event" | "incident_number" | "problem_number",
): Promise<string> {
  const rows: { value: string }[] = await m.query(
    // Wrapped in a SELECT: TypeORM returns [rows, count] for a bare UPDATE ... RETURNING.
    "WITH u AS (UPDATE counter SET value = value + 1 WHERE name = $1 RETURNING value) SELECT value::text AS value FROM u",
    [name],
  );
  const [row] = rows;
  if (!row || rows.length !== 1) throw new Error(`counter ${name} is missing; were the migrations run?`);
  return row.value;
}

export interface NewEvent {
  kind: string;
  at: Date;
  isPublic: boolean;
  incidentId?: string | null;
  serviceId?: string | null;
  payload: Record<string, unknown>;
}

/**
 * One INSERT, UPDATE or DELETE of a command, not yet run, numbering its parameters from $1: handed
 * to `appendEvent` to go in the same round trip. Its SQL must use `$` only for parameters.
 */
export interface Statement {
  sql: string;
  params: unknown[];
}

/**
 * Appends to the outbox inside the caller's transaction. pg_notify inside a transaction is only
 * delivered at commit, so a rolled-back command wakes nobody and publishes nothing.
 *
 * One statement, one round trip: the counter's next value (its row lock held to commit serialises
 * the writers, as in `nextCounter`), the event row with it, and the NOTIFY of that seq. Every
 * command ends here, so each round trip saved is one less per write: `alongside` are the command's
 * other writes that depend on nothing read since (e.g. its change record), run in the same statement
 * as data-modifying WITH clauses (PostgreSQL runs each exactly once, to completion, whether or not
 * the query reads it; a failing one fails the statement, and with it the transaction, as before).
 */
export async function appendEvent(
  m: EntityManager,
  e: NewEvent,
  alongside: readonly Statement[] = [],
): Promise<EventRecord> {
  const params: unknown[] = [];
  const withs = alongside.map((s, i) => {
    const offset = params.length;
    params.push(...s.params);
    return `w${i} AS (${s.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)}),\n`;
  });
  const p = (n: number) => `$${params.length + n}`;
  const rows: { seq: string }[] = await m.query(
    `WITH ${withs.join("")}c AS (UPDATE counter SET value = value + 1 WHERE name = 'event' RETURNING value),
          e AS (INSERT INTO event (seq, kind, at, is_public, incident_id, service_id, payload)
                SELECT value, ${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}::jsonb FROM c RETURNING seq)
     SELECT seq::text AS seq, pg_notify(${p(7)}, seq::text) FROM e`,
    [
      ...params,
      e.kind,
      e.at,
      e.isPublic,
      e.incidentId ?? null,
      e.serviceId ?? null,
      JSON.stringify(e.payload),
      NOTIFY_CHANNEL,
    ],
  );
  const [row] = rows;
  if (!row || rows.length !== 1) throw new Error("counter event is missing; were the migrations run?");
  return m.create(EventRecord, {
    seq: row.seq,
    kind: e.kind,
    at: e.at,
    isPublic: e.isPublic,
    incidentId: e.incidentId ?? null,
    serviceId: e.serviceId ?? null,
    payload: e.payload,
  });
}

/**
 * Up to `limit` events after `after`, in seq order: what the hub dispatches, replays and the outbox
 * consumers read, every one of them once per event. Plain SQL: the query builder spent more CPU
 * composing this one statement than PostgreSQL spends answering it.
 */
export function eventsAfter(m: EntityManager, after: string, limit: number): Promise<EventRecord[]> {
  // ORDER BY e.seq, the bigint column: a bare "seq" names the text output column, "10" sorts before
  // "9", and a reader moving its cursor to a page's last row skips events for good.
  return m.query(
    `SELECT e.seq::text AS seq, e.kind, e.at, e.is_public AS "isPublic", e.incident_id AS "incidentId",
            e.service_id AS "serviceId", e.payload
       FROM event e WHERE e.seq > $1 ORDER BY e.seq LIMIT $2`,
    [after, limit],
  );
}

/** The seq a snapshot reflects: read it in the same (repeatable read) transaction as the data. */
export async function currentSeq(m: EntityManager): Promise<string> {
  const rows: { value: string }[] = await m.query(
    "SELECT value::text AS value FROM counter WHERE name = 'event'",
  );
  return rows[0]?.value ?? "0";
}
