import { decidePublicStatus, validateNextUpdateBy } from "../../domain/public-story";
import { publicStatusLabel } from "../../domain/status";
import { validateContactAttemptTime } from "../../domain/text";
import { type ContactMethod, ErrorCode, type PublicStatus, TimelineKind } from "../../domain/vocabulary";
import type { Beacon, Principal } from "../../kernel/context";
import { BeaconError, isUuid, orThrow } from "../../kernel/errors";
import { run } from "../command-engine";
import { incidentNumber } from "../incident.queries";
import type { PublicUpdate } from "../public-update.entity";
import { TimelineEntry } from "../timeline-entry.entity";
import { MAX_PUBLIC_MESSAGE, optionalText, text } from "./input";

// Timeline interactions: appends never conflict by themselves, so expectedVersion is optional and
// checked when given (docs/concurrency.md); the row lock orders them either way.

export async function addNote(
  beacon: Beacon,
  principal: Principal,
  incidentId: string,
  body: string,
  options: { corrects?: string | null; expectedVersion?: number | null } = {},
): Promise<TimelineEntry> {
  const note = text("body", body);
  const done = await run(beacon, principal, incidentId, {
    command: "addNote",
    expectedVersion: options.expectedVersion ?? null,
    versioned: false,
    apply: async ({ m, incident }) => {
      // A mistake is never edited away: the correction is a new entry that names the one it corrects.
      let corrected: TimelineEntry | null = null;
      if (options.corrects) {
        corrected = isUuid(options.corrects)
          ? await m.findOne(TimelineEntry, { where: { id: options.corrects, incidentId: incident.id } })
          : null;
        if (!corrected) {
          throw new BeaconError(
            ErrorCode.NOT_FOUND,
            `No timeline entry "${options.corrects}" on ${incidentNumber(incident.seqNumber)}; a correction must name an entry of the same incident.`,
            { field: "corrects" },
          );
        }
      }
      return {
        description: "",
        timeline: {
          kind: TimelineKind.NOTE,
          body: note,
          data: corrected ? { correctsEntryId: corrected.id, correctsSeq: corrected.seq } : {},
        },
      };
    },
  });
  return done!.entry;
}

export async function logContactAttempt(
  beacon: Beacon,
  principal: Principal,
  incidentId: string,
  attempt: { method: ContactMethod; reached: boolean; at?: Date | null; note?: string | null },
  expectedVersion: number | null = null,
): Promise<TimelineEntry> {
  const note = optionalText("note", attempt.note);
  const done = await run(beacon, principal, incidentId, {
    command: "logContactAttempt",
    expectedVersion,
    versioned: false,
    apply: ({ incident, now }) => {
      const at = orThrow(validateContactAttemptTime(attempt.at ?? now, incident.createdAt, now), {
        field: "at",
      });
      return {
        description: "",
        timeline: {
          kind: TimelineKind.CONTACT_ATTEMPT,
          body: note,
          data: { method: attempt.method, reached: attempt.reached, at: at.toISOString() },
        },
      };
    },
  });
  return done!.entry;
}

/**
 * Versioned although it takes no expectedVersion: it changes the incident's public status, which is
 * part of the documented record. The row lock still serialises it with every other command.
 */
export async function postPublicUpdate(
  beacon: Beacon,
  principal: Principal,
  incidentId: string,
  status: PublicStatus,
  message: string,
  expectedVersion: number | null = null,
  nextUpdateBy: Date | null = null,
): Promise<PublicUpdate> {
  const words = text("message", message, MAX_PUBLIC_MESSAGE);
  const done = await run(beacon, principal, incidentId, {
    command: "postPublicUpdate",
    expectedVersion,
    apply: ({ incident, now }) => {
      const ref = incidentNumber(incident.seqNumber);
      if (!incident.isPublic) {
        throw new BeaconError(
          ErrorCode.REQUIREMENT_NOT_MET,
          `${ref} is not public, so there is no status page entry to update. ` +
            "Publish it first with updateIncident(input: { public: true }), then post the update.",
        );
      }
      // A stale composer must not take a resolved incident's public status back (domain/public-story).
      orThrow(decidePublicStatus(incident.publicStatus, status, incident.state, ref), { field: "status" });
      const promised = orThrow(validateNextUpdateBy(nextUpdateBy, status, now), { field: "nextUpdateBy" });
      incident.publicStatus = status;
      return {
        description: `Posted public update (${publicStatusLabel(status)})`,
        timeline: {
          kind: TimelineKind.PUBLIC_UPDATE,
          body: words,
          data: { status, ...(promised ? { nextUpdateBy: promised.toISOString() } : {}) },
        },
        publicUpdate: { status, message: words, nextUpdateBy: promised },
      };
    },
    versioned: true,
  });
  return done!.publicUpdate!;
}
