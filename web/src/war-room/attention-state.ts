// Pure state behind the war room's attention banner, tab count and browser notifications.
import { IncidentState, Priority } from "../../../server/domain/vocabulary";
import type { IncidentSummary } from "./queries";

/** What the banner watches: P1/P2 incidents nobody has acknowledged yet (NEW or ASSIGNED). */
export const WATCHED_STATES: IncidentState[] = [IncidentState.NEW, IncidentState.ASSIGNED];
export const WATCHED_PRIORITIES: Priority[] = [Priority.P1, Priority.P2];

const watched = (i: IncidentSummary) =>
  WATCHED_STATES.includes(i.state) && WATCHED_PRIORITIES.includes(i.priority);

/** Applies a live incident: newer versions replace, an incident leaves once it is no longer watched. */
export function applyAttentionEvent(items: IncidentSummary[], incident: IncidentSummary): IncidentSummary[] {
  const existing = items.find((i) => i.id === incident.id);
  if (existing && existing.version > incident.version) return items;
  const rest = items.filter((i) => i.id !== incident.id);
  return watched(incident) ? [incident, ...rest] : rest;
}

/**
 * The incidents that joined `current` since `seen` (ids already shown); none on the first look
 * (`seen` null), so signing in does not ring for what was already waiting.
 */
export function newArrivals<T extends { id: string }>(
  seen: ReadonlySet<string> | null,
  current: readonly T[],
): T[] {
  if (seen === null) return [];
  return current.filter((i) => !seen.has(i.id));
}

export type NotifyPermission = "default" | "denied" | "granted" | "unsupported";

/** Browser notifications only after the person asked for them and the browser allowed it. */
export function mayNotify(optedIn: boolean, permission: NotifyPermission): boolean {
  return optedIn && permission === "granted";
}
