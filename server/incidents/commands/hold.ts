import { HoldReason, TimelineKind } from "../../domain/vocabulary";
import type { Beacon, Principal } from "../../kernel/context";
import { badInput } from "../../kernel/errors";
import { runForIncident } from "../command-engine";
import { text } from "./input";

export function holdIncident(
  beacon: Beacon,
  principal: Principal,
  id: string,
  expectedVersion: number,
  reason: HoldReason,
  note: string,
) {
  const body = text("note", note);
  if (!Object.values(HoldReason).includes(reason)) throw badInput("reason", `Unknown hold reason ${reason}.`);
  return runForIncident(beacon, principal, id, {
    command: "hold",
    expectedVersion,
    apply: ({ incident }) => {
      incident.holdReason = reason;
      return {
        description: `Put on hold (${reason})`,
        timeline: { kind: TimelineKind.STATE_CHANGE, body, data: { holdReason: reason } },
      };
    },
  });
}

export function resumeIncident(beacon: Beacon, principal: Principal, id: string, expectedVersion: number) {
  return runForIncident(beacon, principal, id, {
    command: "resume",
    expectedVersion,
    apply: ({ incident }) => {
      const was = incident.holdReason;
      incident.holdReason = null;
      return {
        description: "Resumed work",
        timeline: { kind: TimelineKind.STATE_CHANGE, data: { previousHoldReason: was } },
      };
    },
  });
}
