import type { EntityManager } from "typeorm";
import type { Statement } from "../events";
import { ChangeRecord } from "./change-record.entity";

export type SubjectType = "incident" | "service" | "maintenance" | "problem" | "action_item" | "sla_policy";
export type FieldChanges = Record<string, { from: unknown; to: unknown }>;

export const GENESIS_HASH = "0".repeat(64);

/** Key-sorted JSON, so the same record always hashes the same whatever the property order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

import { sha256 } from "../auth";

export function recordHash(r: {
  subjectType: string;
  subjectId: string;
  version: number;
  authorId: string | null;
  authorName: string;
  description: string;
  at: Date;
  changes: FieldChanges;
  prevHash: string;
}): string {
  return sha256(
    canonicalJson({
      subjectType: r.subjectType,
      subjectId: r.subjectId,
      version: r.version,
      authorId: r.authorId,
      authorName: r.authorName,
      description: r.description,
      at: r.at.toISOString(),
      changes: r.changes,
      prevHash: r.prevHash,
    }),
  );
}

export interface NewChange {
  subjectType: SubjectType;
  subjectId: string;
  /** The subject's new version; must be the previous record's version + 1. */
  version: number;
  authorId: string | null;
  authorName: string;
  description: string;
  at: Date;
  changes: FieldChanges;
}

/**
 * The INSERT of a change record, chained to the subject's latest record (read here), not yet run:
 * `recordCommand` sends it in the same round trip as the command's event. Call it inside the
 * writing transaction, after locking the subject row: that lock is what keeps versions contiguous
 * under concurrent writers.
 */
export async function prepareChange(m: EntityManager, c: NewChange): Promise<Statement> {
  // Only the two columns the chain needs, in plain SQL: this read is on every command's path.
  const [prev]: { version: number; hash: string }[] = await m.query(
    `SELECT version, hash FROM change_record WHERE subject_type = $1 AND subject_id = $2
      ORDER BY version DESC LIMIT 1`,
    [c.subjectType, c.subjectId],
  );
  const expected = (prev?.version ?? 0) + 1;
  if (c.version !== expected) {
    throw new Error(
      `history out of step for ${c.subjectType} ${c.subjectId}: got v${c.version}, expected v${expected}`,
    );
  }
  const prevHash = prev?.hash ?? GENESIS_HASH;
  // Millisecond precision, so the hash computed now matches what PostgreSQL gives back later.
  const at = new Date(c.at.getTime());
  return {
    sql: `INSERT INTO change_record
            (subject_type, subject_id, version, author_id, author_name, description, at, changes, prev_hash, hash)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10)`,
    params: [
      c.subjectType,
      c.subjectId,
      c.version,
      c.authorId,
      c.authorName,
      c.description,
      at,
      JSON.stringify(c.changes),
      prevHash,
      recordHash({ ...c, at, prevHash }),
    ],
  };
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  firstBrokenVersion: number | null;
  message: string;
}

/** Recomputes every hash and link in order; names the first record that does not add up. */
export function verifyChain(records: readonly ChangeRecord[]): ChainVerification {
  let prevHash = GENESIS_HASH;
  let expectedVersion = 1;
  for (const r of records) {
    const broken = (why: string): ChainVerification => ({
      ok: false,
      checked: records.length,
      firstBrokenVersion: r.version,
      message: `Change record v${r.version} ${why}: the history was altered outside Beacon.`,
    });
    if (r.version !== expectedVersion) return broken(`should be v${expectedVersion} (a record is missing)`);
    if (r.prevHash !== prevHash) return broken("does not link to the previous record");
    if (recordHash(r) !== r.hash) return broken("does not match its hash (its content was changed)");
    prevHash = r.hash;
    expectedVersion++;
  }
  return {
    ok: true,
    checked: records.length,
    firstBrokenVersion: null,
    message: `All ${records.length} change records verify.`,
  };
}

export function historyOf(
  m: EntityManager,
  subjectType: SubjectType,
  subjectId: string,
): Promise<ChangeRecord[]> {
  return m.find(ChangeRecord, { where: { subjectType, subjectId }, order: { version: "ASC" } });
}
