// Which commands the war room offers: the SAME lifecycle table and permission rules the server
// decides with (server/domain). The server still decides; this only avoids offering the impossible.
import { availableCommands, type IncidentCommand, TRANSITIONS } from "../../../server/domain/lifecycle";
import { type Action, type Actor, authorize } from "../../../server/domain/permissions";
import type { IncidentState } from "../../../server/domain/vocabulary";
import type { Queue } from "./admin-queries";
import type { IncidentSummary, User } from "./queries";

export type { Actor, IncidentCommand };
export { availableCommands, TRANSITIONS };

/** Commands with their own composer in the room rather than an action button. */
export const COMPOSER_COMMANDS: ReadonlySet<IncidentCommand> = new Set([
  "addNote",
  "postPublicUpdate",
  // The review document has its own panel in the room.
  "draftReview",
]);

export function commandLabel(command: IncidentCommand): string {
  return TRANSITIONS[command].label;
}

export function actorFor(user: Pick<User, "id" | "role">, queues: Queue[]): Actor {
  return {
    id: user.id,
    role: user.role,
    queueIds: queues.filter((q) => q.members.some((m) => m.id === user.id)).map((q) => q.id),
  };
}

export function mayDo(actor: Actor | null, action: Action, incident?: IncidentSummary): boolean {
  if (!actor) return true;
  return authorize(
    actor,
    action,
    incident && {
      ownerId: incident.owner.id,
      queueId: incident.queue?.id ?? null,
      assigneeId: incident.assignee?.id ?? null,
      reference: incident.number,
    },
  ).ok;
}

/**
 * The commands the state allows (lifecycle) and, when the actor is known, the actor may perform
 * (permissions), in the lifecycle's button order.
 */
export function allowedCommands(
  incident: Pick<IncidentSummary, "state"> & Partial<IncidentSummary>,
  actor: Actor | null = null,
): IncidentCommand[] {
  return availableCommands(incident.state as IncidentState).filter(
    (command) => !actor || !incident.owner || mayDo(actor, command, incident as IncidentSummary),
  );
}
