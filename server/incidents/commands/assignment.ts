import { User } from "../../auth/user.entity";
import { ErrorCode, TimelineKind } from "../../domain/vocabulary";
import type { Beacon, Principal } from "../../kernel/context";
import { BeaconError, isUuid, notFound } from "../../kernel/errors";
import { isMember } from "../../queues";
import { Queue } from "../../queues/queue.entity";
import { runForIncident } from "../command-engine";
import { userName } from "../incident.queries";
import { text } from "./input";

// Who works the incident: queue and assignee.

export function assignIncident(
  beacon: Beacon,
  principal: Principal,
  id: string,
  expectedVersion: number,
  queueId: string,
  assigneeId: string | null | undefined,
) {
  return runForIncident(beacon, principal, id, {
    command: "assign",
    expectedVersion,
    apply: async ({ m, incident }) => {
      const queue = isUuid(queueId) ? await m.findOne(Queue, { where: { id: queueId } }) : null;
      if (!queue) throw notFound("queue", queueId);
      let assigneeName: string | null = null;
      if (assigneeId) {
        if (!isUuid(assigneeId) || !(await m.findOne(User, { where: { id: assigneeId, active: true } }))) {
          throw notFound("user", assigneeId);
        }
        if (!(await isMember(m, queue.id, assigneeId))) {
          throw new BeaconError(
            ErrorCode.BAD_USER_INPUT,
            `${await userName(m, assigneeId)} is not a member of queue "${queue.name}"; assign to the queue ` +
              "without an assignee, pick one of its members, or add them to the queue first.",
            { field: "assigneeId" },
          );
        }
        assigneeName = await userName(m, assigneeId);
      }
      const reassigned = incident.queueId !== null;
      incident.queueId = queue.id;
      incident.assigneeId = assigneeId ?? null;
      incident.holdReason = null;
      return {
        description:
          `${reassigned ? "Reassigned" : "Assigned"} to queue "${queue.name}"` +
          (assigneeName ? ` and to ${assigneeName}` : ""),
        timeline: {
          kind: TimelineKind.ASSIGNMENT,
          data: { queueId: queue.id, queueName: queue.name, assigneeId: assigneeId ?? null, assigneeName },
        },
      };
    },
  });
}

export function acknowledgeIncident(
  beacon: Beacon,
  principal: Principal,
  id: string,
  expectedVersion: number,
) {
  return runForIncident(beacon, principal, id, {
    command: "acknowledge",
    expectedVersion,
    apply: async ({ m, incident }) => {
      const queue = incident.queueId ? await m.findOne(Queue, { where: { id: incident.queueId } }) : null;
      incident.assigneeId = principal.user.id;
      return {
        description: `Acknowledged by ${principal.user.name} from queue "${queue?.name ?? "?"}"`,
        timeline: {
          kind: TimelineKind.ASSIGNMENT,
          data: {
            queueId: incident.queueId,
            assigneeId: principal.user.id,
            assigneeName: principal.user.name,
          },
        },
      };
    },
  });
}

export function startWork(beacon: Beacon, principal: Principal, id: string, expectedVersion: number) {
  return runForIncident(beacon, principal, id, {
    command: "startWork",
    expectedVersion,
    apply: ({ incident }) => {
      incident.assigneeId = principal.user.id;
      return {
        description: `Work started by ${principal.user.name}`,
        timeline: { kind: TimelineKind.STATE_CHANGE, data: { assigneeId: principal.user.id } },
      };
    },
  });
}

export function returnToHelpDesk(
  beacon: Beacon,
  principal: Principal,
  id: string,
  expectedVersion: number,
  reason: string,
) {
  const why = text("reason", reason);
  return runForIncident(beacon, principal, id, {
    command: "returnToHelpDesk",
    expectedVersion,
    apply: ({ incident }) => {
      incident.queueId = null;
      incident.assigneeId = null;
      incident.holdReason = null;
      return {
        description: `Returned to the help desk: ${why}`,
        timeline: { kind: TimelineKind.STATE_CHANGE, body: why },
      };
    },
  });
}
