import { randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import type { QueryDeepPartialEntity } from "typeorm/query-builder/QueryPartialEntity.js";
import { TimelineKind } from "../domain/vocabulary";
import { GENESIS_HASH } from "../history";
import { PublicUpdate } from "../incidents/public-update.entity";
import { TimelineEntry } from "../incidents/timeline-entry.entity";
import {
  entryHash,
  publicUpdateHash,
  REDACTED_PUBLIC_MESSAGE,
  textDigest,
  type Verification,
  verifyPublicUpdateChain,
  verifyTimelineChain,
} from "./chain";

/**
 * The only way rows enter timeline_entry and public_update. Call inside the writing transaction
 * AFTER locking the incident row: the lock is what keeps one incident's chain a line (the unique
 * (incident, prevHash) index refuses a fork if a caller forgets).
 */

export interface NewEntry {
  id?: string;
  incidentId: string;
  seq: string;
  kind: TimelineKind;
  authorId: string | null;
  authorName: string;
  body: string | null;
  at: Date;
  data: Record<string, unknown> | null;
}

export async function appendTimelineEntry(m: EntityManager, e: NewEntry): Promise<TimelineEntry> {
  const prev = await m
    .getRepository(TimelineEntry)
    .createQueryBuilder("t")
    .select(["t.hash"])
    .where("t.incident_id = :id", { id: e.incidentId })
    .orderBy("t.seq", "DESC")
    .limit(1)
    .getOne();
  // Millisecond precision, so the hash computed now matches what PostgreSQL gives back later.
  const at = new Date(e.at.getTime());
  const fields = {
    ...e,
    id: e.id ?? randomUUID(),
    at,
    prevHash: prev?.hash ?? GENESIS_HASH,
    bodyDigest: textDigest(e.body),
  };
  // insert, not save: save() first looks for a row with this id, a read on every command's path.
  const entry = m.create(TimelineEntry, { ...fields, hash: entryHash(fields) });
  await m.insert(TimelineEntry, entry as QueryDeepPartialEntity<TimelineEntry>);
  return entry;
}

export interface NewPublicUpdate {
  incidentId: string;
  status: string;
  message: string;
  at: Date;
  authorId: string | null;
  nextUpdateBy?: Date | null;
}

export async function appendPublicUpdate(m: EntityManager, u: NewPublicUpdate): Promise<PublicUpdate> {
  const prev = await m.findOne(PublicUpdate, {
    where: { incidentId: u.incidentId },
    order: { position: "DESC" },
  });
  const at = new Date(u.at.getTime());
  const fields = {
    ...u,
    nextUpdateBy: u.nextUpdateBy ? new Date(u.nextUpdateBy.getTime()) : null,
    id: randomUUID(),
    at,
    position: (prev?.position ?? 0) + 1,
    prevHash: prev?.hash ?? GENESIS_HASH,
    messageDigest: textDigest(u.message),
  };
  const update = m.create(PublicUpdate, { ...fields, hash: publicUpdateHash(fields) } as PublicUpdate);
  await m.insert(PublicUpdate, update);
  return update;
}

/** Entries and public updates a REDACTION tombstone on this incident's timeline names. */
function redactedIdsOf(entries: readonly TimelineEntry[]): Set<string> {
  const ids = new Set<string>();
  for (const e of entries) {
    if (e.kind !== TimelineKind.REDACTION || !e.data) continue;
    for (const key of ["redactedEntryId", "publicUpdateId"]) {
      const v = e.data[key];
      if (typeof v === "string") ids.add(v);
    }
  }
  return ids;
}

/**
 * Both chains of one incident, timeline first; the first broken row is named. The public updates'
 * ids are distinct from timeline ids, so `firstBrokenAt` alone says which row it is.
 */
export async function verifyIncidentTimeline(m: EntityManager, incidentId: string): Promise<Verification> {
  const entries = await m.find(TimelineEntry, { where: { incidentId }, order: { seq: "ASC" } });
  const updates = await m.find(PublicUpdate, { where: { incidentId }, order: { position: "ASC" } });
  const redacted = redactedIdsOf(entries);
  const timeline = verifyTimelineChain(entries, redacted);
  if (!timeline.ok) return timeline;
  const publicUpdates = verifyPublicUpdateChain(updates, redacted);
  if (!publicUpdates.ok) return { ...publicUpdates, checked: timeline.checked + publicUpdates.checked };
  return {
    ok: true,
    checked: entries.length + updates.length,
    firstBrokenAt: null,
    message: `All ${entries.length} timeline entries and ${updates.length} public updates verify.`,
  };
}

/**
 * Removes the text of one timeline entry (and of the public update it published, if any) inside
 * the caller's transaction: the only UPDATE the database's trigger lets through, and only with
 * beacon.redact naming the row. The caller appends the REDACTION tombstone in the same
 * transaction (the chain then still verifies: it covers the text's digest, which stays).
 */
export async function removeText(
  m: EntityManager,
  entry: TimelineEntry,
): Promise<{ publicUpdateId: string | null }> {
  await m.query("SELECT set_config('beacon.redact', $1, true)", [entry.id]);
  await m.query("UPDATE timeline_entry SET body = NULL WHERE id = $1", [entry.id]);
  const publicUpdateId = typeof entry.data?.publicUpdateId === "string" ? entry.data.publicUpdateId : null;
  if (publicUpdateId) {
    await m.query("SELECT set_config('beacon.redact', $1, true)", [publicUpdateId]);
    await m.query("UPDATE public_update SET message = $2 WHERE id = $1", [
      publicUpdateId,
      REDACTED_PUBLIC_MESSAGE,
    ]);
  }
  await m.query("SELECT set_config('beacon.redact', '', true)");
  return { publicUpdateId };
}
