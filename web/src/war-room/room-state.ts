// Pure state of one incident room.
import { TimelineKind } from "../../../server/domain/vocabulary";
import { compareSeq } from "../live-query";
import type { ActionItem, Incident, IncidentEvent, TimelineEntry } from "./queries";

export interface RoomState {
  incident: Incident;
  timeline: TimelineEntry[];
}

/**
 * A redaction tombstone names the entry whose text it removed: that entry, as shown, loses its text
 * and says who removed it, when and why (what a reload would show), so every open room agrees.
 */
function applyTombstones(timeline: TimelineEntry[], fresh: TimelineEntry[]): TimelineEntry[] {
  const removed = new Map<string, TimelineEntry>();
  for (const e of fresh) {
    const target = e.kind === TimelineKind.REDACTION ? e.data?.redactedEntryId : undefined;
    if (typeof target === "string") removed.set(target, e);
  }
  if (removed.size === 0) return timeline;
  return timeline.map((entry) => {
    const tomb = removed.get(entry.id);
    if (!tomb || entry.redaction) return entry;
    return {
      ...entry,
      body: null,
      redaction: { authorName: tomb.authorName, at: tomb.at, reason: tomb.body ?? "" },
    };
  });
}

/** Adds entries not seen yet (by id), keeping seq order; a redaction also blanks the entry it names. */
export function addEntries(timeline: TimelineEntry[], entries: TimelineEntry[]): TimelineEntry[] {
  const fresh = entries.filter((e) => !timeline.some((t) => t.id === e.id));
  if (fresh.length === 0) return timeline;
  return applyTombstones([...timeline, ...fresh], fresh).sort((a, b) => compareSeq(a.seq, b.seq));
}

/** An entry the server sent back changed (e.g. redacted): it replaces the one shown with its id. */
export function replaceEntry(timeline: TimelineEntry[], entry: TimelineEntry): TimelineEntry[] {
  return timeline.some((t) => t.id === entry.id)
    ? timeline.map((t) => (t.id === entry.id ? entry : t))
    : addEntries(timeline, [entry]);
}

/** A newer version of the incident replaces the one shown; an older one is ignored. */
export function withIncident(state: RoomState, incident: Incident): RoomState {
  if (incident.id !== state.incident.id || incident.version < state.incident.version) return state;
  return { ...state, incident };
}

/**
 * An action item added or changed here: shown at once (items do not move the incident's version;
 * the live event that follows carries the same list).
 */
export function withActionItem(state: RoomState, item: ActionItem): RoomState {
  const items = state.incident.actionItems;
  const actionItems = items.some((i) => i.id === item.id)
    ? items.map((i) => (i.id === item.id ? item : i))
    : [...items, item];
  return { ...state, incident: { ...state.incident, actionItems } };
}

export function applyRoomEvent(state: RoomState, event: IncidentEvent): RoomState {
  const next = withIncident(state, event.incident);
  return event.entry ? { ...next, timeline: addEntries(next.timeline, [event.entry]) } : next;
}
