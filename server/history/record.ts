import type { EntityManager } from "typeorm";
import { authorName } from "../auth";
import { ErrorCode } from "../domain/vocabulary";
import { appendEvent, type NewEvent, type Statement } from "../events";
import type { EventRecord } from "../events/event.entity";
import type { Principal } from "../kernel/context";
import { BeaconError } from "../kernel/errors";
import { type FieldChanges, prepareChange, type SubjectType } from "./history.service";

// The optimistic check and the recording every versioned subject (incidents, services, and the
// features after them) shares: one rule for "changed meanwhile", one way to document and publish.

/**
 * Refuses with CONFLICT (carrying `currentVersion`) when the caller's expectedVersion is not the
 * subject's version; null or undefined means the command takes no check. Call after locking the row.
 */
export function checkVersion(
  current: number,
  expected: number | null | undefined,
  message: (current: number, expected: number) => string,
): void {
  if (expected === null || expected === undefined || expected === current) return;
  throw new BeaconError(ErrorCode.CONFLICT, message(current, expected), { currentVersion: current });
}

/**
 * Beacon itself, as the author of what jobs do (docs/jobs.md): automatic maintenance steps and
 * the like. History shows it as "Beacon (automatic)", with no user id.
 */
export const SYSTEM_ACTOR: SystemAuthor = { system: true, name: "Beacon (automatic)" };
/**
 * An author without an account: Beacon itself, or someone acting through a signed link (a
 * requester confirming their incident is resolved: "Dana Reyes (requester, by link)").
 */
export interface SystemAuthor {
  system: true;
  name: string;
}
export type Author = Principal | SystemAuthor;

/** The author fields of a change record. */
export const authorFields = (a: Author): { authorId: string | null; authorName: string } =>
  "system" in a ? { authorId: null, authorName: a.name } : { authorId: a.user.id, authorName: authorName(a) };

export interface Recorded {
  subjectType: SubjectType;
  subjectId: string;
  /** The subject's new version (the previous one + 1). */
  version: number;
  description: string;
  at: Date;
  changes: FieldChanges;
}

/**
 * Documents and publishes one allowed command inside its transaction: the change record (when
 * `change` is given: the command changed the versioned record) by `principal` (a person, or
 * SYSTEM_ACTOR for a job), then the outbox
 * event. Returns the event, whose seq orders everything the command wrote.
 *
 * The change record is written in the event's round trip (`appendEvent`'s `alongside`), and so is
 * `write`: the command's own write of the subject, when the caller has nothing to read after it
 * (a status change) — one round trip for all three instead of three.
 */
export async function recordCommand(
  m: EntityManager,
  principal: Author,
  change: Recorded | null,
  event: NewEvent,
  write?: Statement,
): Promise<EventRecord> {
  const alongside: Statement[] = write ? [write] : [];
  if (change) alongside.push(await prepareChange(m, { ...change, ...authorFields(principal) }));
  return appendEvent(m, event, alongside);
}
