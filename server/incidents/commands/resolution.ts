import { hasCategories, requireCategory } from "../../categories";
import { evaluateClosure } from "../../domain/closure";
import { DEFAULT_CLOSING_MESSAGE } from "../../domain/public-story";
import { ErrorCode, PublicStatus, type ResolutionCode, TimelineKind } from "../../domain/vocabulary";
import type { Beacon, Principal } from "../../kernel/context";
import { BeaconError, orThrow } from "../../kernel/errors";
import { runForIncident, type Step } from "../command-engine";
import { closureFacts, incidentNumber, timelineOf } from "../incident.queries";
import { PublicUpdate } from "../public-update.entity";
import { MAX_PUBLIC_MESSAGE, optionalText, text } from "./input";
import { scheduleRequesterMail } from "./requester-confirmation";

export const REOPENED_MESSAGE = "The issue has come back; we are investigating again.";

// Resolving and what follows it: reopen, the customer's confirmation, closing; and canceling.

export function resolveIncident(
  beacon: Beacon,
  principal: Principal,
  id: string,
  expectedVersion: number,
  code: ResolutionCode,
  notes: string,
  categoryId?: string | null,
  options: { publicMessage?: string | null; restoreServices?: boolean | null } = {},
) {
  const body = text("notes", notes);
  const closing =
    options.publicMessage == null || options.publicMessage.trim() === ""
      ? null
      : text("publicMessage", options.publicMessage, MAX_PUBLIC_MESSAGE);
  return runForIncident(beacon, principal, id, {
    command: "resolve",
    expectedVersion,
    apply: async ({ m, incident, now }) => {
      if (closing !== null && !incident.isPublic) {
        throw new BeaconError(
          ErrorCode.BAD_USER_INPUT,
          `${incidentNumber(incident.seqNumber)} is not on the status page, so there is nobody to tell: ` +
            "leave the closing public message empty, or publish the incident first.",
          { field: "publicMessage" },
        );
      }
      if (categoryId) incident.categoryId = (await requireCategory(m, categoryId)).id;
      // Classification feeds the metrics; once an admin has set up categories, every resolved
      // incident carries one. (Without any categories there is nothing to choose from.)
      if (incident.categoryId === null && (await hasCategories(m))) {
        throw new BeaconError(
          ErrorCode.REQUIREMENT_NOT_MET,
          `${incidentNumber(incident.seqNumber)} has no category; resolving needs one. Pass categoryId to ` +
            "resolveIncident, or set it with updateIncident(input: { categoryId }).",
          { requirement: "CATEGORY" },
        );
      }
      incident.resolutionCode = code;
      incident.resolutionNotes = body;
      incident.resolvedAt = now;
      incident.holdReason = null;
      let publicUpdate: Step["publicUpdate"];
      if (incident.isPublic) {
        // The public is told in the responder's closing words; without them, unless the last thing
        // they were told already says so, in the default sentence.
        const last = await m.findOne(PublicUpdate, {
          where: { incidentId: incident.id },
          order: { position: "DESC" },
        });
        if (closing !== null || last?.status !== PublicStatus.RESOLVED) {
          publicUpdate = { status: PublicStatus.RESOLVED, message: closing ?? DEFAULT_CLOSING_MESSAGE };
        }
        incident.publicStatus = PublicStatus.RESOLVED;
      }
      await scheduleRequesterMail(beacon, m, incident);
      const restoreServices = options.restoreServices !== false;
      return {
        description: `Resolved with ${code}`,
        timeline: {
          kind: TimelineKind.STATE_CHANGE,
          body,
          data: {
            resolutionCode: code,
            ...(publicUpdate ? { publicUpdate } : {}),
            ...(restoreServices ? {} : { restoreServices: false }),
          },
        },
        publicUpdate,
        restoreServices,
      };
    },
  });
}

export function reopenResolvedIncident(
  beacon: Beacon,
  principal: Principal,
  id: string,
  expectedVersion: number,
  reason: string,
) {
  const why = text("reason", reason);
  return runForIncident(beacon, principal, id, {
    command: "reopen",
    expectedVersion,
    apply: ({ incident }) => {
      incident.resolutionCode = null;
      incident.resolutionNotes = null;
      incident.resolvedAt = null;
      incident.customerConfirmedAt = null;
      let publicUpdate: Step["publicUpdate"];
      if (incident.isPublic) {
        incident.publicStatus = PublicStatus.INVESTIGATING;
        publicUpdate = { status: PublicStatus.INVESTIGATING, message: REOPENED_MESSAGE };
      }
      return {
        description: `Reopened: ${why}`,
        timeline: {
          kind: TimelineKind.STATE_CHANGE,
          body: why,
          data: publicUpdate ? { publicUpdate } : {},
        },
        publicUpdate,
      };
    },
  });
}

export function confirmResolution(
  beacon: Beacon,
  principal: Principal,
  id: string,
  expectedVersion: number,
  note: string | null | undefined,
) {
  const body = optionalText("note", note);
  return runForIncident(beacon, principal, id, {
    command: "confirmResolution",
    expectedVersion,
    apply: ({ incident, now }) => {
      incident.customerConfirmedAt = now;
      return {
        description: "Customer confirmed the resolution",
        timeline: { kind: TimelineKind.CUSTOMER_CONFIRMATION, body },
      };
    },
  });
}

export function closeIncident(beacon: Beacon, principal: Principal, id: string, expectedVersion: number) {
  return runForIncident(beacon, principal, id, {
    command: "close",
    expectedVersion,
    apply: async ({ m, incident, now }) => {
      const facts = closureFacts(incident, await timelineOf(m, incident.id));
      const { basis } = orThrow(
        evaluateClosure(facts, { timeZone: beacon.config.timeZone, holidays: beacon.config.holidays }),
      );
      incident.closedAt = now;
      return {
        description: `Closed (${basis === "CUSTOMER_CONFIRMATION" ? "customer confirmed" : "customer unreachable after documented contact attempts"})`,
        timeline: { kind: TimelineKind.STATE_CHANGE, data: { basis } },
      };
    },
  });
}

export function cancelIncident(
  beacon: Beacon,
  principal: Principal,
  id: string,
  expectedVersion: number,
  reason: string,
) {
  const why = text("reason", reason);
  return runForIncident(beacon, principal, id, {
    command: "cancel",
    expectedVersion,
    apply: () => ({
      description: `Canceled: ${why}`,
      timeline: { kind: TimelineKind.STATE_CHANGE, body: why },
    }),
  });
}
