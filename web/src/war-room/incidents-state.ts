// Pure state of the war room's incident list: filters and live events.
import {
  type AttentionIncident,
  type AttentionPerson,
  defaultListView,
  needsMe,
} from "../../../server/domain/attention";
import { IncidentOrder, IncidentState, type Priority, type Role } from "../../../server/domain/vocabulary";
import type { IncidentListEvent, IncidentSummary } from "./queries";

export type { AttentionPerson };

export type StateFilter = "OPEN" | "ALL" | IncidentState;

export interface ListFilter {
  state: StateFilter;
  priority: Priority | "";
  serviceId: string;
  /** A category, or a top-level one standing for its subcategories too (as the server filters). */
  categoryId: string;
  mine: boolean;
  /** The "Needs me" view: what waits for my acknowledgement, what I work, what I opened or close. */
  needsMe: boolean;
  search: string;
}

export const DEFAULT_FILTER: ListFilter = {
  state: "OPEN",
  priority: "",
  serviceId: "",
  categoryId: "",
  mine: false,
  needsMe: false,
  search: "",
};

/** Responders land on "Needs me"; everyone else on every open incident. */
export function defaultFilter(role: Role): ListFilter {
  return { ...DEFAULT_FILTER, needsMe: defaultListView(role) === "NEEDS_ME" };
}

export function attentionOf(incident: IncidentSummary): AttentionIncident {
  return {
    state: incident.state,
    priority: incident.priority,
    ownerId: incident.owner.id,
    queueId: incident.queue?.id ?? null,
    assigneeId: incident.assignee?.id ?? null,
  };
}

export const OPEN_STATES: IncidentState[] = [
  IncidentState.NEW,
  IncidentState.ASSIGNED,
  IncidentState.IN_PROGRESS,
  IncidentState.ON_HOLD,
  IncidentState.RESOLVED,
];

export interface ListState {
  items: IncidentSummary[];
  totalCount: number;
  hasNextPage: boolean;
  endCursor: string | null;
  /**
   * The sort key of the last row the server sent (endCursor's row, as it was then), which may be
   * hidden by the client's own filtering: rows after it belong to pages not loaded yet.
   */
  boundary?: SortKey | null;
}

/** What the server orders the list by (incidents(orderBy)). */
export interface SortKey {
  number: string;
  sla: { nextDueAt: string | null };
}

const seqOf = (number: string) => Number(number.replace(/\D/g, ""));

/**
 * The server's order (incidents(orderBy)), negative when `a` comes first. NEWEST: number
 * descending. DUE_SOONEST: the stored next due time ascending (overdue first), none last, then
 * number descending: exactly the server's keyset, so a live change lands where a reload would put it.
 */
export function compareIncidents(order: IncidentOrder, a: SortKey, b: SortKey): number {
  if (order === IncidentOrder.DUE_SOONEST) {
    const da = a.sla.nextDueAt;
    const db = b.sla.nextDueAt;
    if (da === null && db !== null) return 1;
    if (da !== null && db === null) return -1;
    if (da !== null && db !== null) {
      const diff = Date.parse(da) - Date.parse(db);
      if (diff !== 0) return diff;
    }
  }
  return seqOf(b.number) - seqOf(a.number);
}

export const keyOf = (i: SortKey): SortKey => ({ number: i.number, sla: { nextDueAt: i.sla.nextDueAt } });

/** The server's IncidentFilter for a list filter ("mine" and "needs me" are re-applied to live events on the client). */
export function toIncidentFilter(filter: ListFilter): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  if (filter.state === "OPEN") result.states = OPEN_STATES;
  else if (filter.state !== "ALL") result.states = [filter.state];
  if (filter.priority) result.priorities = [filter.priority];
  if (filter.serviceId) result.serviceId = filter.serviceId;
  if (filter.categoryId) result.categoryId = filter.categoryId;
  if (filter.search.trim()) result.search = filter.search.trim();
  if (filter.mine) result.mine = true;
  if (filter.needsMe) result.needsMe = true;
  return result;
}

/** As the server's "mine": owned by me, assigned to me, or waiting in one of my queues. */
export function isMine(incident: IncidentSummary, me: AttentionPerson): boolean {
  return (
    incident.owner.id === me.id ||
    incident.assignee?.id === me.id ||
    (incident.state === IncidentState.ASSIGNED &&
      incident.assignee === null &&
      incident.queue !== null &&
      me.queueIds.includes(incident.queue.id))
  );
}

export function matchesFilter(incident: IncidentSummary, filter: ListFilter, me: AttentionPerson): boolean {
  if (filter.state === "OPEN" && !OPEN_STATES.includes(incident.state)) return false;
  if (filter.state !== "OPEN" && filter.state !== "ALL" && incident.state !== filter.state) return false;
  if (filter.priority && incident.priority !== filter.priority) return false;
  if (filter.serviceId && !incident.services.some((s) => s.id === filter.serviceId)) return false;
  if (
    filter.categoryId &&
    incident.category?.id !== filter.categoryId &&
    incident.category?.parent?.id !== filter.categoryId
  ) {
    return false;
  }
  if (filter.mine && !isMine(incident, me)) return false;
  if (filter.needsMe && needsMe(attentionOf(incident), me) === null) return false;
  const q = filter.search.trim().toLowerCase();
  if (q && !`${incident.number} ${incident.title}`.toLowerCase().includes(q)) return false;
  return true;
}

/**
 * Applies a live event: newer versions replace, non-matching incidents leave, matching ones take
 * their place in the server's order. While more pages wait on the server, an incident that sorts
 * after the last row loaded belongs to those pages (the next "Load more" brings it): it leaves the
 * list, or does not join it. The count changes only when the list does: whether an incident seen
 * for the first time beyond the loaded rows was counted already is not known here.
 */
export function applyIncidentEvent(
  state: ListState,
  event: IncidentListEvent,
  filter: ListFilter,
  me: AttentionPerson,
  order: IncidentOrder = IncidentOrder.NEWEST,
): ListState {
  const incident = event.incident;
  const index = state.items.findIndex((i) => i.id === incident.id);
  const existing = index === -1 ? null : state.items[index];
  if (existing && existing.version > incident.version) return state;
  const matches = matchesFilter(incident, filter, me);
  if (existing && !matches) {
    return {
      ...state,
      items: state.items.filter((i) => i.id !== incident.id),
      totalCount: Math.max(0, state.totalCount - 1),
    };
  }
  if (!matches) return state;
  const rest = existing ? state.items.filter((i) => i.id !== incident.id) : state.items;
  const boundary = state.boundary ?? rest.at(-1) ?? null;
  if (state.hasNextPage && boundary && compareIncidents(order, incident, boundary) > 0) {
    return existing ? { ...state, items: rest } : state;
  }
  // Before the first row it does not sort after (ties: on top, as a new incident arrives).
  let at = rest.findIndex((i) => compareIncidents(order, incident, i) <= 0);
  if (at === -1) at = rest.length;
  const items = [...rest.slice(0, at), incident, ...rest.slice(at)];
  return { ...state, items, totalCount: existing ? state.totalCount : state.totalCount + 1 };
}
