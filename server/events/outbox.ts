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
 * Appends to the outbox inside the caller's transaction. pg_notify inside a transaction is only
 * delivered at commit, so a rolled-back command wakes nobody and publishes nothing.
 */
export async function appendEvent(m: EntityManager, e: NewEvent): Promise<EventRecord> {
  const seq = await nextCounter(m, "event");
  const record = m.create(EventRecord, {
    seq,
    kind: e.kind,
    at: e.at,
    isPublic: e.isPublic,
    incidentId: e.incidentId ?? null,
    serviceId: e.serviceId ?? null,
    payload: e.payload,
  });
  await m.save(EventRecord, record);
  await m.query("SELECT pg_notify($1, $2)", [NOTIFY_CHANNEL, seq]);
  return record;
}

/** The seq a snapshot reflects: read it in the same (repeatable read) transaction as the data. */
export async function currentSeq(m: EntityManager): Promise<string> {
  const rows: { value: string }[] = await m.query(
    "SELECT value::text AS value FROM counter WHERE name = 'event'",
  );
  return rows[0]?.value ?? "0";
}
