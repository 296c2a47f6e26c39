// Pure state of one incident room.
import { compareSeq } from "../live-query";
import type { Incident, IncidentEvent, TimelineEntry } from "./queries";

export interface RoomState {
  incident: Incident;
  timeline: TimelineEntry[];
}

/** Adds entries not seen yet (by id), keeping seq order. */
export function addEntries(timeline: TimelineEntry[], entries: TimelineEntry[]): TimelineEntry[] {
  const fresh = entries.filter((e) => !timeline.some((t) => t.id === e.id));
  if (fresh.length === 0) return timeline;
  return [...timeline, ...fresh].sort((a, b) => compareSeq(a.seq, b.seq));
}

/** A newer version of the incident replaces the one shown; an older one is ignored. */
export function withIncident(state: RoomState, incident: Incident): RoomState {
  if (incident.id !== state.incident.id || incident.version < state.incident.version) return state;
  return { ...state, incident };
}

export function applyRoomEvent(state: RoomState, event: IncidentEvent): RoomState {
  const next = withIncident(state, event.incident);
  return event.entry ? { ...next, timeline: addEntries(next.timeline, [event.entry]) } : next;
}
