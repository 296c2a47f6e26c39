import { User } from "../../auth/user.entity";
import { ROOM_ROLE_LABELS, type RoomRole, TimelineKind } from "../../domain/vocabulary";
import type { Beacon, Principal } from "../../kernel/context";
import { isUuid, notFound } from "../../kernel/errors";
import { runForIncident } from "../command-engine";
import { userName } from "../incident.queries";

/**
 * Assigns (or, with userId null, frees) an incident commander, communications lead or scribe.
 * A change to the incident like any other: versioned, in the history, on the timeline.
 * Allowed in every state where the incident can still be edited.
 */
export function assignRoomRole(
  beacon: Beacon,
  principal: Principal,
  incidentId: string,
  role: RoomRole,
  userId: string | null,
  expectedVersion: number,
) {
  return runForIncident(beacon, principal, incidentId, {
    command: "assignRoomRole",
    lifecycleAs: "update",
    expectedVersion,
    versioned: true,
    apply: async ({ m, incident }) => {
      const current = incident.roomRoles?.[role] ?? null;
      if (userId !== null) {
        const user = isUuid(userId) ? await m.findOne(User, { where: { id: userId, active: true } }) : null;
        if (!user) throw notFound("user", userId);
      }
      if (current === userId) return null;
      const label = ROOM_ROLE_LABELS[role];
      const [toName, fromName] = [await userName(m, userId), await userName(m, current)];
      const roles = { ...(incident.roomRoles ?? {}) };
      if (userId === null) delete roles[role];
      else roles[role] = userId;
      incident.roomRoles = roles;
      const description =
        userId === null
          ? `${fromName} is no longer ${label}`
          : current === null
            ? `${toName} is now ${label}`
            : `${label} handed over from ${fromName} to ${toName}`;
      return {
        description,
        timeline: {
          kind: TimelineKind.ASSIGNMENT,
          body: description,
          data: { roomRole: role, userId, previousUserId: current },
        },
      };
    },
  });
}
