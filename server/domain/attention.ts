// What draws a responder's attention, and which actions a room puts first. Pure rules the war room
// uses to arrange itself; the server still decides every command (lifecycle + permissions).
import type { IncidentCommand } from "./lifecycle";
import { IncidentState, Priority, Role } from "./vocabulary";

export interface AttentionIncident {
  state: IncidentState;
  priority: Priority;
  ownerId: string;
  queueId: string | null;
  assigneeId: string | null;
}

export interface AttentionPerson {
  id: string;
  role: Role;
  queueIds: readonly string[];
}

/** Why an incident needs this person now; null when it does not. */
export type NeedsMeReason =
  /** In one of my queues (or assigned to me) and waiting for someone to acknowledge it. */
  | "AWAITING_ACKNOWLEDGEMENT"
  /** Assigned to me and being worked or on hold. */
  | "ASSIGNED_TO_ME"
  /** I opened it and nobody has taken it yet. */
  | "OPENED_BY_ME"
  /** I opened it, it is resolved: closing it (with the customer) is mine to do. */
  | "TO_CLOSE";

export const NEEDS_ME_WORDS: Readonly<Record<NeedsMeReason, string>> = {
  AWAITING_ACKNOWLEDGEMENT: "Waiting for your acknowledgement",
  ASSIGNED_TO_ME: "Assigned to you",
  OPENED_BY_ME: "You opened it; nobody has it yet",
  TO_CLOSE: "Resolved; yours to close",
};

export function needsMe(i: AttentionIncident, me: AttentionPerson): NeedsMeReason | null {
  if (i.state === IncidentState.ASSIGNED) {
    if (i.assigneeId === me.id) return "AWAITING_ACKNOWLEDGEMENT";
    if (i.assigneeId === null && i.queueId !== null && me.queueIds.includes(i.queueId)) {
      return "AWAITING_ACKNOWLEDGEMENT";
    }
    return null;
  }
  if (
    (i.state === IncidentState.IN_PROGRESS || i.state === IncidentState.ON_HOLD) &&
    i.assigneeId === me.id
  ) {
    return "ASSIGNED_TO_ME";
  }
  if (i.state === IncidentState.NEW && i.ownerId === me.id) return "OPENED_BY_ME";
  if (i.state === IncidentState.RESOLVED && i.ownerId === me.id) return "TO_CLOSE";
  return null;
}

const URGENT: readonly Priority[] = [Priority.P1, Priority.P2];

/**
 * Unacknowledged P1/P2 incidents this person should know about: for responders the ones waiting in
 * their queues (or on them); incident managers and admins are accountable for every one.
 */
export function unacknowledgedMajor<T extends AttentionIncident>(
  incidents: readonly T[],
  me: AttentionPerson,
): T[] {
  const accountable = me.role === Role.ADMIN || me.role === Role.INCIDENT_MANAGER;
  return incidents
    .filter(
      (i) =>
        URGENT.includes(i.priority) &&
        (i.state === IncidentState.ASSIGNED || i.state === IncidentState.NEW) &&
        (accountable || needsMe(i, me) !== null),
    )
    .sort((a, b) => (a.priority < b.priority ? -1 : a.priority > b.priority ? 1 : 0));
}

/** The browser tab's title with the count of what needs me: "(2) Incidents · Beacon war room". */
export function titleWithCount(count: number, title: string): string {
  return count > 0 ? `(${count}) ${title}` : title;
}

/** Responders land on what needs them; everyone else on the whole list. */
export function defaultListView(role: Role): "NEEDS_ME" | "ALL" {
  return role === Role.RESPONDER ? "NEEDS_ME" : "ALL";
}

/** Major incidents need someone in charge: the room asks for an incident commander. */
export function needsCommander(
  i: { priority: Priority; state: IncidentState },
  roles: Readonly<Record<string, string | undefined>>,
): boolean {
  const open = i.state !== IncidentState.CLOSED && i.state !== IncidentState.CANCELED;
  return open && URGENT.includes(i.priority) && !roles.INCIDENT_COMMANDER;
}

/** Actions that end or undo work: kept apart from the rest and confirmed before they run. */
export const DESTRUCTIVE: ReadonlySet<IncidentCommand> = new Set(["cancel", "returnToHelpDesk"]);

/** What each stage is about: these come first, as buttons; the rest go in a "More" menu. */
export const STAGE_ACTIONS: Readonly<Record<IncidentState, readonly IncidentCommand[]>> = {
  [IncidentState.NEW]: ["startWork", "assign"],
  [IncidentState.ASSIGNED]: ["acknowledge"],
  [IncidentState.IN_PROGRESS]: ["resolve", "hold"],
  [IncidentState.ON_HOLD]: ["resume"],
  [IncidentState.RESOLVED]: ["close", "confirmResolution", "logContactAttempt"],
  [IncidentState.CLOSED]: [],
  [IncidentState.CANCELED]: [],
};

/**
 * Splits the commands a person may run now into the stage's own actions (in the stage's order),
 * the rest, and the destructive ones. Nothing is dropped and nothing appears twice.
 */
export function arrangeActions(
  state: IncidentState,
  allowed: readonly IncidentCommand[],
): { primary: IncidentCommand[]; more: IncidentCommand[]; destructive: IncidentCommand[] } {
  const stage = STAGE_ACTIONS[state];
  const primary = stage.filter((c) => allowed.includes(c));
  const destructive = allowed.filter((c) => DESTRUCTIVE.has(c) && !primary.includes(c));
  const more = allowed.filter((c) => !primary.includes(c) && !DESTRUCTIVE.has(c));
  return { primary, more, destructive };
}
