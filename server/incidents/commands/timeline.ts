import { validateContactAttemptTime } from "../../domain/text";
import { type ContactMethod, ErrorCode, type PublicStatus, TimelineKind } from "../../domain/vocabulary";
import type { Beacon, Principal } from "../../kernel/context";
import { BeaconError, orThrow } from "../../kernel/errors";
import { run } from "../command-engine";
import { incidentNumber } from "../incident.queries";
import type { PublicUpdate } from "../public-update.entity";
import type { TimelineEntry } from "../timeline-entry.entity";
import { MAX_PUBLIC_MESSAGE, optionalText, text } from "./input";

// Timeline interactions: they take no expectedVersion (the row lock still orders them).

export async function addNote(
  beacon: Beacon,
  principal: Principal,
  incidentId: string,
  body: string,
): Promise<TimelineEntry> {
  const note = text("body", body);
  const done = await run(beacon, principal, incidentId, {
    command: "addNote",
    expectedVersion: null,
    apply: () => ({ description: "", timeline: { kind: TimelineKind.NOTE, body: note } }),
  });
  return done!.entry;
}

export async function logContactAttempt(
  beacon: Beacon,
  principal: Principal,
  incidentId: string,
  attempt: { method: ContactMethod; reached: boolean; at?: Date | null; note?: string | null },
): Promise<TimelineEntry> {
  const note = optionalText("note", attempt.note);
  const done = await run(beacon, principal, incidentId, {
    command: "logContactAttempt",
    expectedVersion: null,
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
): Promise<PublicUpdate> {
  const words = text("message", message, MAX_PUBLIC_MESSAGE);
  const done = await run(beacon, principal, incidentId, {
    command: "postPublicUpdate",
    expectedVersion: null,
    apply: ({ incident }) => {
      if (!incident.isPublic) {
        throw new BeaconError(
          ErrorCode.REQUIREMENT_NOT_MET,
          `${incidentNumber(incident.seqNumber)} is not public, so there is no status page entry to update. ` +
            "Publish it first with updateIncident(input: { public: true }), then post the update.",
        );
      }
      incident.publicStatus = status;
      return {
        description: `Posted public update (${status})`,
        timeline: { kind: TimelineKind.PUBLIC_UPDATE, body: words, data: { status } },
        publicUpdate: { status, message: words },
      };
    },
    versioned: true,
  });
  return done!.publicUpdate!;
}
