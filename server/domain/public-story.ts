// One public story: what an incident tells customers about itself and about the services it hurts.
// The banner, each service's row, its uptime bars and the incident card must never contradict each
// other, so the rules that tie them together live here, as pure functions the server decides with
// and the war room previews with. See docs/public-story.md.
import { publicImpactOf } from "./priority";
import { serviceStatusLabel } from "./status";
import { SEVERITY } from "./uptime";
import {
  allow,
  type Decision,
  ErrorCode,
  IncidentState,
  type Priority,
  PublicStatus,
  refuse,
  ServiceStatus,
  StatusIndicator,
} from "./vocabulary";

/** What an incident does to one service while it lasts (Statuspage's component picker). */
export interface ServiceImpact {
  serviceId: string;
  status: ServiceStatus;
}

/** The statuses an incident may give a service. Maintenance is planned work, not an incident. */
export const IMPACT_STATUSES: readonly ServiceStatus[] = [
  ServiceStatus.DEGRADED_PERFORMANCE,
  ServiceStatus.PARTIAL_OUTAGE,
  ServiceStatus.MAJOR_OUTAGE,
];

/** incident id -> (service id -> status), as stored on the incident (`service_impacts`). */
export type ImpactMap = Readonly<Record<string, ServiceStatus>>;

/**
 * Validates a command's serviceImpacts and merges them into the incident's recorded impacts.
 * OPERATIONAL in an update means "this service has recovered": it is set back and leaves the map.
 * Impacts set service statuses on the public page, so only a public incident may carry them.
 */
export function decideServiceImpacts(
  current: ImpactMap,
  impacts: readonly ServiceImpact[] | null | undefined,
  isPublic: boolean,
  incidentRef = "This incident",
  state?: IncidentState,
): Decision<{ impacts: Record<string, ServiceStatus>; changed: ServiceImpact[] }> {
  if (impacts == null || impacts.length === 0) return allow({ impacts: { ...current }, changed: [] });
  const over =
    state === IncidentState.RESOLVED || state === IncidentState.CLOSED || state === IncidentState.CANCELED;
  if (over && impacts.some((i) => i.status !== ServiceStatus.OPERATIONAL)) {
    const resolved = state === IncidentState.RESOLVED;
    return refuse(
      ErrorCode.INVALID_TRANSITION,
      `${incidentRef} is ${resolved ? "resolved" : "over"}, so it no longer puts its services in an outage. ` +
        (resolved
          ? "If the problem is back, reopen the incident, then set the service impacts again."
          : "If the problem is back, open a follow-up incident with the service impacts."),
    );
  }
  if (!isPublic) {
    return refuse(
      ErrorCode.BAD_USER_INPUT,
      `${incidentRef} is not on the status page, so it cannot change how its services look there. ` +
        'Publish it (tick "Show on the status page") together with the service impacts, or leave the services as they are.',
    );
  }
  const seen = new Set<string>();
  const next: Record<string, ServiceStatus> = { ...current };
  const changed: ServiceImpact[] = [];
  for (const { serviceId, status } of impacts) {
    if (seen.has(serviceId)) {
      return refuse(
        ErrorCode.BAD_USER_INPUT,
        "The same service is listed twice in the service impacts; give each affected service one status.",
      );
    }
    seen.add(serviceId);
    if (status === ServiceStatus.UNDER_MAINTENANCE) {
      return refuse(
        ErrorCode.BAD_USER_INPUT,
        '"Under maintenance" is for planned work, not for an incident; choose Degraded performance, Partial outage or Major outage.',
      );
    }
    if (status === ServiceStatus.OPERATIONAL) {
      if (next[serviceId] === undefined) continue;
      delete next[serviceId];
    } else {
      if (next[serviceId] === status) continue;
      next[serviceId] = status;
    }
    changed.push({ serviceId, status });
  }
  return allow({ impacts: next, changed });
}

/** The worse of two service statuses (maintenance counts below any outage). */
export function worseStatus(a: ServiceStatus, b: ServiceStatus): ServiceStatus {
  return SEVERITY[b] > SEVERITY[a] ? b : a;
}

/**
 * What a service should show once an incident lets go of it (resolved, canceled or withdrawn):
 * the worst impact another still-open public incident puts on it, else OPERATIONAL. A service
 * under maintenance is left alone (the maintenance owns its status). null: leave it as it is.
 */
export function releasedStatus(
  current: ServiceStatus,
  otherOpenImpacts: readonly ServiceStatus[],
): ServiceStatus | null {
  if (current === ServiceStatus.UNDER_MAINTENANCE) return null;
  const target = otherOpenImpacts.reduce(worseStatus, ServiceStatus.OPERATIONAL);
  return target === current ? null : target;
}

/**
 * The service status changes to write: for each service in `desired`, when it differs from its
 * current status. Sorted by service id so concurrent commands lock services in the same order.
 */
export function planServiceStatuses(
  current: Readonly<Record<string, ServiceStatus>>,
  desired: Readonly<Record<string, ServiceStatus | null>>,
): { serviceId: string; from: ServiceStatus; to: ServiceStatus }[] {
  return Object.keys(desired)
    .sort()
    .flatMap((serviceId) => {
      const to = desired[serviceId];
      const from = current[serviceId];
      return to == null || from === undefined || from === to ? [] : [{ serviceId, from, to }];
    });
}

/** What the incident's public side was before or is after a command. */
export interface ImpactHolder {
  isPublic: boolean;
  state: IncidentState;
  impacts: ImpactMap;
}

/** An incident holds its services' statuses while it is public and not yet resolved. */
export function holdsServices(h: ImpactHolder): boolean {
  return (
    h.isPublic &&
    h.state !== IncidentState.RESOLVED &&
    h.state !== IncidentState.CLOSED &&
    h.state !== IncidentState.CANCELED
  );
}

/**
 * Which services to set to the incident's impact and which to let go of, from the incident before
 * and after a command. `reassert`: services the command named again (their status may have been
 * changed by hand meanwhile); `restore: false` leaves released services as they are.
 */
export function planImpactMoves(
  before: ImpactHolder | null,
  after: ImpactHolder,
  reassert: readonly string[] = [],
  restore = true,
): { assert: string[]; release: string[] } {
  const wasHolding = before !== null && holdsServices(before);
  const isHolding = holdsServices(after);
  const prev = before?.impacts ?? {};
  const next = after.impacts;
  const assert = isHolding
    ? Object.keys(next).filter((id) => !wasHolding || prev[id] !== next[id] || reassert.includes(id))
    : [];
  const release = !wasHolding
    ? []
    : isHolding
      ? Object.keys(prev).filter((id) => next[id] === undefined)
      : restore
        ? Object.keys(prev)
        : [];
  return { assert: assert.sort(), release: release.sort() };
}

const IMPACT_OF_STATUS: Readonly<Record<ServiceStatus, StatusIndicator>> = {
  [ServiceStatus.OPERATIONAL]: StatusIndicator.NONE,
  [ServiceStatus.UNDER_MAINTENANCE]: StatusIndicator.MAINTENANCE,
  [ServiceStatus.DEGRADED_PERFORMANCE]: StatusIndicator.MINOR,
  [ServiceStatus.PARTIAL_OUTAGE]: StatusIndicator.MAJOR,
  [ServiceStatus.MAJOR_OUTAGE]: StatusIndicator.CRITICAL,
};

/**
 * The impact the public card and the banner show. When the responder said what the incident does
 * to its services, that explicit choice is the public impact (the worst of them), so the banner can
 * never say "Major System Outage" while every service says "Degraded Performance". Without service
 * impacts it falls back to the priority's default (P1 critical, P2 major, P3/P4 minor).
 */
export function publicImpactFor(impacts: ImpactMap, priority: Priority): StatusIndicator {
  const statuses = Object.values(impacts).filter((s) => s !== ServiceStatus.OPERATIONAL);
  if (statuses.length === 0) return publicImpactOf(priority);
  return IMPACT_OF_STATUS[statuses.reduce(worseStatus, ServiceStatus.OPERATIONAL)];
}

/** "Checkout: Major Outage, Search: Degraded Performance" for history sentences. */
export function describeImpacts(
  impacts: readonly ServiceImpact[],
  nameOf: (serviceId: string) => string,
): string {
  return impacts.map((i) => `${nameOf(i.serviceId)}: ${serviceStatusLabel(i.status)}`).join(", ");
}

const PUBLIC_WORDS: Readonly<Record<PublicStatus, string>> = {
  [PublicStatus.INVESTIGATING]: "Investigating",
  [PublicStatus.IDENTIFIED]: "Identified",
  [PublicStatus.MONITORING]: "Monitoring",
  [PublicStatus.RESOLVED]: "Resolved",
};

/**
 * Whether a public update may set `next`. Once the incident is resolved (or closed) its status
 * page entry says Resolved, and an update cannot take it back: a stale composer would otherwise
 * tell customers "Investigating" about something that is over. The way back is reopening the
 * incident, which posts its own update. A premature "Resolved" on an incident that is still being
 * worked can be corrected by a later update.
 */
export function decidePublicStatus(
  current: PublicStatus | null,
  next: PublicStatus,
  state: IncidentState,
  incidentRef = "This incident",
): Decision<PublicStatus> {
  const resolved =
    state === IncidentState.RESOLVED || state === IncidentState.CLOSED || state === IncidentState.CANCELED;
  if (current === PublicStatus.RESOLVED && next !== PublicStatus.RESOLVED && resolved) {
    return refuse(
      ErrorCode.INVALID_TRANSITION,
      `${incidentRef} is resolved, so its status page entry stays "Resolved" and cannot go back to ` +
        `"${PUBLIC_WORDS[next]}". Post the update as "Resolved" (for example a wrap-up), or, if the problem ` +
        "is back, reopen the incident first.",
    );
  }
  return allow(next);
}

/** How far ahead "next update by" may promise (a promise a week out is not a promise). */
export const MAX_NEXT_UPDATE_HOURS = 72;

/** A "next update by" time: optional, in the future, at most MAX_NEXT_UPDATE_HOURS ahead. */
export function validateNextUpdateBy(
  at: Date | null | undefined,
  status: PublicStatus,
  now: Date,
): Decision<Date | null> {
  if (at == null) return allow(null);
  if (Number.isNaN(at.getTime())) {
    return refuse(ErrorCode.BAD_USER_INPUT, "The next update time is not a valid date and time.");
  }
  if (status === PublicStatus.RESOLVED) {
    return refuse(
      ErrorCode.BAD_USER_INPUT,
      "A resolved incident gets no further updates; leave the next update time empty.",
    );
  }
  if (at.getTime() <= now.getTime()) {
    return refuse(
      ErrorCode.BAD_USER_INPUT,
      "The next update time is in the past; choose a time later than now, or leave it empty.",
    );
  }
  if (at.getTime() - now.getTime() > MAX_NEXT_UPDATE_HOURS * 3_600_000) {
    return refuse(
      ErrorCode.BAD_USER_INPUT,
      `The next update time is more than ${MAX_NEXT_UPDATE_HOURS} hours away; promise an update sooner, or leave it empty.`,
    );
  }
  return allow(at);
}

/** The public title: the deliberate public wording when there is one, else the internal title. */
export function publicTitleOf(i: { title: string; publicTitle: string | null }): string {
  const t = i.publicTitle?.trim();
  return t ? t : i.title;
}

/** What the closing post says when the responder does not write one. */
export const DEFAULT_CLOSING_MESSAGE = "This incident has been resolved.";

/**
 * The closing post the war room prefills for the responder to edit: names the services that were
 * affected so customers can tell it is about them.
 */
export function suggestedClosingMessage(serviceNames: readonly string[]): string {
  if (serviceNames.length === 0) {
    return "This incident has been resolved and everything is working normally again. Thank you for your patience.";
  }
  const list =
    serviceNames.length === 1
      ? serviceNames[0]
      : `${serviceNames.slice(0, -1).join(", ")} and ${serviceNames.at(-1)}`;
  return `This incident has been resolved: ${list} ${serviceNames.length === 1 ? "is" : "are"} working normally again. Thank you for your patience.`;
}

/** Default for BEACON_RECENT_DAYS: how long a resolved incident stays on the status page. */
export const DEFAULT_RECENT_DAYS = 3;

/**
 * When an incident stopped being active on the status page: its resolution, else (a public
 * "Resolved" posted by hand) the latest Resolved update, else its closing. null while active.
 */
export function publicResolvedAt(i: {
  status: PublicStatus;
  resolvedAt: Date | null;
  closedAt?: Date | null;
  updates: readonly { status: PublicStatus; at: Date }[];
}): Date | null {
  if (i.status !== PublicStatus.RESOLVED) return null;
  if (i.resolvedAt) return i.resolvedAt;
  const resolvedUpdates = i.updates
    .filter((u) => u.status === PublicStatus.RESOLVED)
    .map((u) => u.at.getTime());
  if (resolvedUpdates.length > 0) return new Date(Math.max(...resolvedUpdates));
  return i.closedAt ?? null;
}

/** Whether a resolved incident still shows under "Recently resolved" on `/`. */
export function isRecentlyResolved(resolvedAt: Date | null, now: Date, days: number): boolean {
  if (resolvedAt === null) return false;
  const age = now.getTime() - resolvedAt.getTime();
  return age < days * 86_400_000;
}

/** The oldest resolution time that is still "recent". */
export function recentCutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * 86_400_000);
}
