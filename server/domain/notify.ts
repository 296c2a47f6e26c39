import { Priority, RoomRole } from "./vocabulary";

/**
 * Who is told what when an incident changes (responder notifications, docs/notifications.md).
 * Pure: the incident's facts before and after one command in, the audiences out. The command engine
 * asks this after every incident command, so any command that makes these changes notifies, not
 * only the ones written with notifications in mind.
 */

/** Notification kinds Beacon itself raises for incidents. Other features add their own strings. */
export const NotificationKind = {
  /** The incident was assigned (or reassigned) to a queue: its members. */
  QUEUE_ASSIGNED: "QUEUE_ASSIGNED",
  /** A P1/P2 was opened, or an incident was raised to P1/P2: the incident managers. */
  MAJOR_INCIDENT: "MAJOR_INCIDENT",
  /** Someone was made incident commander: that person. */
  INCIDENT_COMMANDER: "INCIDENT_COMMANDER",
} as const;
export type NotificationKind = (typeof NotificationKind)[keyof typeof NotificationKind];

/** What a user can switch email on or off for, with the words the war room shows. */
export const NOTIFICATION_KIND_LABELS: Readonly<Record<string, string>> = {
  [NotificationKind.QUEUE_ASSIGNED]: "An incident is assigned to one of my queues",
  [NotificationKind.MAJOR_INCIDENT]: "A P1/P2 incident is opened or raised (incident managers)",
  [NotificationKind.INCIDENT_COMMANDER]: "I am made incident commander",
  SLA_WARNING: "An incident is about to breach (or breached) its target",
  ESCALATION: "An incident is escalated to me",
  PUBLIC_UPDATE_DUE: "A public update is due on an incident I communicate for",
  WEBHOOK_PAUSED: "A webhook endpoint was paused after failing (admins)",
};

/** The facts of an incident the audience rule reads (the change history's snapshot has them all). */
export interface NotifyFacts {
  queueId: string | null;
  priority: Priority;
  roomRoles: Partial<Record<RoomRole, string>>;
}

export type Audience =
  | { kind: typeof NotificationKind.QUEUE_ASSIGNED; to: { queueId: string } }
  | {
      kind: typeof NotificationKind.MAJOR_INCIDENT;
      to: "incidentManagers";
      priority: Priority;
      raised: boolean;
    }
  | { kind: typeof NotificationKind.INCIDENT_COMMANDER; to: { userId: string } };

const URGENT: ReadonlySet<Priority> = new Set([Priority.P1, Priority.P2]);
const RANK: Readonly<Record<Priority, number>> = {
  [Priority.P1]: 1,
  [Priority.P2]: 2,
  [Priority.P3]: 3,
  [Priority.P4]: 4,
};

/**
 * The audiences one incident command notifies. `before` is null for a newly opened incident.
 * - queue: the incident now sits in a queue it was not in before (assigned or reassigned);
 * - incident managers: it is P1/P2 now and was not that urgent before (opened P1/P2, raised to
 *   P1/P2, or P2 raised to P1); lowering or keeping the priority tells nobody;
 * - incident commander: that role now names someone it did not name before.
 * The one who made the change is not told about it: the notification service skips the actor.
 */
export function notificationAudiences(before: NotifyFacts | null, after: NotifyFacts): Audience[] {
  const out: Audience[] = [];
  if (after.queueId !== null && after.queueId !== (before?.queueId ?? null)) {
    out.push({ kind: NotificationKind.QUEUE_ASSIGNED, to: { queueId: after.queueId } });
  }
  if (URGENT.has(after.priority) && (before === null || RANK[after.priority] < RANK[before.priority])) {
    out.push({
      kind: NotificationKind.MAJOR_INCIDENT,
      to: "incidentManagers",
      priority: after.priority,
      raised: before !== null,
    });
  }
  const commander = after.roomRoles[RoomRole.INCIDENT_COMMANDER] ?? null;
  if (commander !== null && commander !== (before?.roomRoles[RoomRole.INCIDENT_COMMANDER] ?? null)) {
    out.push({ kind: NotificationKind.INCIDENT_COMMANDER, to: { userId: commander } });
  }
  return out;
}

/**
 * Whether a notification of `kind` goes out by email to someone with these preferences. In-app
 * notifications are always on (the bell is the record); email is on unless switched off, as a
 * whole or for that kind.
 */
export function wantsEmail(
  prefs: { email: boolean; mutedEmailKinds: readonly string[] } | null,
  kind: string,
): boolean {
  if (prefs === null) return true;
  return prefs.email && !prefs.mutedEmailKinds.includes(kind);
}

/** User ids to notify: each once, in first-seen order, without the one who caused it. */
export function recipients(userIds: readonly string[], exceptUserId?: string | null): string[] {
  const seen = new Set<string>();
  for (const id of userIds) if (id !== exceptUserId) seen.add(id);
  return [...seen];
}
