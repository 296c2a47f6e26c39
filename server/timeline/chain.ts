import { sha256 } from "../auth";
import { canonicalJson, GENESIS_HASH } from "../history";

/**
 * Hash chains over an incident's timeline entries and public updates. Each link hashes the
 * previous link's hash and the row's fields, but for the redactable text it hashes the text's
 * DIGEST, never the text itself: an admin can remove a pasted secret (the text goes, the digest
 * stays) and the chain still verifies, while any other edit breaks it.
 */

/** What a redacted public update says from then on (its message column is NOT NULL). */
export const REDACTED_PUBLIC_MESSAGE = "This message was removed.";

export const textDigest = (text: string | null): string => sha256(canonicalJson({ text }));

export interface ChainedEntry {
  id: string;
  incidentId: string;
  seq: string;
  kind: string;
  authorId: string | null;
  authorName: string;
  at: Date;
  data: Record<string, unknown> | null;
  bodyDigest: string;
  prevHash: string;
}

export function entryHash(e: ChainedEntry): string {
  return sha256(
    canonicalJson({
      id: e.id,
      incidentId: e.incidentId,
      seq: String(e.seq),
      kind: e.kind,
      authorId: e.authorId,
      authorName: e.authorName,
      at: e.at.toISOString(),
      data: e.data,
      bodyDigest: e.bodyDigest,
      prevHash: e.prevHash,
    }),
  );
}

export interface ChainedPublicUpdate {
  id: string;
  incidentId: string;
  position: number;
  status: string;
  at: Date;
  authorId: string | null;
  messageDigest: string;
  prevHash: string;
  nextUpdateBy?: Date | null;
}

export function publicUpdateHash(u: ChainedPublicUpdate): string {
  return sha256(
    canonicalJson({
      id: u.id,
      incidentId: u.incidentId,
      position: u.position,
      status: u.status,
      at: u.at.toISOString(),
      authorId: u.authorId,
      messageDigest: u.messageDigest,
      prevHash: u.prevHash,
      // Only when promised, so updates written before the field existed hash as they did.
      ...(u.nextUpdateBy ? { nextUpdateBy: u.nextUpdateBy.toISOString() } : {}),
    }),
  );
}

export interface Verification {
  ok: boolean;
  checked: number;
  /** Id of the first row that does not add up. */
  firstBrokenAt: string | null;
  message: string;
}

type StoredEntry = ChainedEntry & { body: string | null; hash: string };
type StoredUpdate = ChainedPublicUpdate & { message: string; hash: string };

/**
 * Recomputes the timeline's chain in seq order and names the first entry that does not add up.
 * `redactedIds`: entries a REDACTION tombstone in this same chain says were redacted; only those
 * may have lost their text.
 */
export function verifyTimelineChain(
  entries: readonly StoredEntry[],
  redactedIds: ReadonlySet<string>,
): Verification {
  let prevHash = GENESIS_HASH;
  for (const [i, e] of entries.entries()) {
    const broken = (why: string): Verification => ({
      ok: false,
      checked: i + 1,
      firstBrokenAt: e.id,
      message: `Timeline entry ${e.id} (seq ${e.seq}) ${why}: the timeline was altered outside Beacon.`,
    });
    if (e.prevHash !== prevHash)
      return broken("does not link to the previous entry (one is missing or inserted)");
    if (entryHash(e) !== e.hash) return broken("does not match its hash (its fields were changed)");
    if (textDigest(e.body) !== e.bodyDigest) {
      if (!(e.body === null && redactedIds.has(e.id)))
        return broken("has text that does not match its digest");
    }
    prevHash = e.hash;
  }
  return {
    ok: true,
    checked: entries.length,
    firstBrokenAt: null,
    message: `All ${entries.length} timeline entries verify.`,
  };
}

export function verifyPublicUpdateChain(
  updates: readonly StoredUpdate[],
  redactedIds: ReadonlySet<string>,
): Verification {
  let prevHash = GENESIS_HASH;
  for (const [i, u] of updates.entries()) {
    const broken = (why: string): Verification => ({
      ok: false,
      checked: i + 1,
      firstBrokenAt: u.id,
      message: `Public update ${u.id} (#${u.position}) ${why}: the public updates were altered outside Beacon.`,
    });
    if (u.position !== i + 1) return broken(`should be #${i + 1} (one is missing)`);
    if (u.prevHash !== prevHash) return broken("does not link to the previous update");
    if (publicUpdateHash(u) !== u.hash) return broken("does not match its hash (its fields were changed)");
    if (textDigest(u.message) !== u.messageDigest) {
      if (!(u.message === REDACTED_PUBLIC_MESSAGE && redactedIds.has(u.id))) {
        return broken("has a message that does not match its digest");
      }
    }
    prevHash = u.hash;
  }
  return {
    ok: true,
    checked: updates.length,
    firstBrokenAt: null,
    message: `All ${updates.length} public updates verify.`,
  };
}
