import { type KeyboardEvent, useState } from "react";
import type { ResultOf } from "../graphql";
import { query } from "../graphql-client";
import { useDocumentTitle } from "../shared/hooks";
import { Link, navigate } from "../shared/router";
import { useLiveQuery } from "../shared/useLiveQuery";
import { ActionBar } from "./ActionBar";
import { ActionDialog } from "./ActionDialog";
import type { Catalog } from "./catalog";
import { type Actor, allowedCommands, type IncidentCommand, mayDo } from "./commands";
import { HistoryView } from "./HistoryView";
import { NoteComposer } from "./NoteComposer";
import { OpenIncidentForm } from "./OpenIncidentForm";
import { Presence } from "./Presence";
import { PublicUpdateComposer } from "./PublicUpdateComposer";
import type { Incident, IncidentEvent, TimelineEntry } from "./queries";
import { INCIDENT_ACTIVITY, ROOM_QUERY, SEQ_QUERY } from "./queries";
import { RoomHeader } from "./RoomHeader";
import { RoomRoles } from "./RoomRoles";
import { addEntries, applyRoomEvent, type RoomState, withIncident } from "./room-state";
import { Timeline } from "./Timeline";
import { usePresence } from "./usePresence";

type Snapshot = RoomState | null;

/** One live room per incident. */
export function RoomPage({ id, actor, catalog }: { id: string; actor: Actor; catalog: Catalog }) {
  const [command, setCommand] = useState<IncidentCommand | null>(null);
  const [followUp, setFollowUp] = useState(false);
  const [tab, setTab] = useState<"timeline" | "history">("timeline");
  const { roster, setTyping } = usePresence(id);

  const live = useLiveQuery<Snapshot, IncidentEvent, ResultOf<typeof INCIDENT_ACTIVITY>>(`room:${id}`, {
    load: async () => {
      // The seq first, then the incident: a replay may repeat (deduplicated) but never skip.
      const { statusSummary } = await query(SEQ_QUERY);
      const { incident } = await query(ROOM_QUERY, { id });
      if (!incident) return { snapshot: null, seq: statusSummary.seq };
      const { timeline, ...rest } = incident;
      return { snapshot: { incident: rest, timeline }, seq: statusSummary.seq };
    },
    subscription: INCIDENT_ACTIVITY,
    variables: { incidentId: id },
    eventOf: (data) => data.incidentActivity,
    seqOf: (event) => event.seq,
    apply: (state, event) => (state ? applyRoomEvent(state, event) : state),
  });

  const state = live.data;
  useDocumentTitle(state ? `${state.incident.number} ${state.incident.title} · War room` : "War room");

  const applyIncident = (incident: Incident) => live.update((s) => (s ? withIncident(s, incident) : s));
  const applyEntry = (entry: TimelineEntry) =>
    live.update((s) => (s ? { ...s, timeline: addEntries(s.timeline, [entry]) } : s));

  if (state === undefined) {
    return live.error ? (
      <p className="notice notice-error" role="alert">
        {live.error.message}
      </p>
    ) : (
      <div className="card skeleton" style={{ height: 420 }} aria-busy="true" />
    );
  }
  if (state === null) {
    return (
      <div className="card empty">
        <h1 className="page-title">Incident not found</h1>
        <p>
          It may not exist, or you may not be allowed to see it. <Link to="/war-room">Back to incidents</Link>
        </p>
      </div>
    );
  }

  const { incident, timeline } = state;
  // ARIA tabs: one tab stop; arrow keys, Home and End move between the tabs (and select them).
  const onTabKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const order = ["timeline", "history"] as const;
    const at = order.indexOf(tab);
    const next = {
      ArrowRight: order[(at + 1) % order.length],
      ArrowLeft: order[(at + order.length - 1) % order.length],
      Home: order[0],
      End: order[order.length - 1],
    }[event.key];
    if (!next) return;
    event.preventDefault();
    setTab(next);
    document.getElementById(`tab-${next}`)?.focus();
  };
  const commands = allowedCommands(incident, actor);
  const finished = incident.state === "CLOSED" || incident.state === "CANCELED";

  return (
    <div className="room">
      <p className="breadcrumb">
        <Link to="/war-room">Incidents</Link> <span aria-hidden="true">›</span> {incident.number}
      </p>
      <RoomHeader incident={incident} />

      <div className="room-actions">
        <ActionBar incident={incident} actor={actor} onAction={setCommand} />
        {finished && mayDo(actor, "openFollowUp") && (
          <button type="button" className="button" onClick={() => setFollowUp(true)}>
            Open follow-up incident
          </button>
        )}
      </div>

      <div className="room-grid">
        <section className="room-main card" aria-label="Room">
          <div className="tabs" role="tablist" aria-label="Room views" onKeyDown={onTabKey}>
            <button
              type="button"
              role="tab"
              id="tab-timeline"
              aria-selected={tab === "timeline"}
              aria-controls="panel-timeline"
              tabIndex={tab === "timeline" ? 0 : -1}
              className="tab"
              onClick={() => setTab("timeline")}
            >
              Timeline
            </button>
            <button
              type="button"
              role="tab"
              id="tab-history"
              aria-selected={tab === "history"}
              aria-controls="panel-history"
              tabIndex={tab === "history" ? 0 : -1}
              className="tab"
              onClick={() => setTab("history")}
            >
              Change history
            </button>
          </div>
          {tab === "timeline" ? (
            <div role="tabpanel" id="panel-timeline" aria-labelledby="tab-timeline">
              <Timeline entries={timeline} />
              {commands.includes("addNote") && (
                <NoteComposer incidentId={incident.id} onAdded={applyEntry} onTyping={setTyping} />
              )}
            </div>
          ) : (
            <div role="tabpanel" id="panel-history" aria-labelledby="tab-history">
              <HistoryView incidentId={incident.id} version={incident.version} catalog={catalog} />
            </div>
          )}
        </section>

        <aside className="room-side" aria-label="Room details">
          <Presence roster={roster} selfId={actor.id} />
          <RoomRoles
            incident={incident}
            users={catalog.users}
            canAssign={!finished && mayDo(actor, "assignRoomRole", incident)}
            onChanged={applyIncident}
          />
          {commands.includes("postPublicUpdate") && <PublicUpdateComposer incident={incident} />}
        </aside>
      </div>

      {command && (
        <ActionDialog
          key={command}
          command={command}
          incident={incident}
          catalog={catalog}
          onClose={() => setCommand(null)}
          onConflict={() => live.resync()}
          onDone={(result) => {
            if (result.incident) applyIncident(result.incident);
            if (result.entry) applyEntry(result.entry);
            setCommand(null);
          }}
        />
      )}
      {followUp && (
        <OpenIncidentForm
          catalog={catalog}
          previous={incident}
          onClose={() => setFollowUp(false)}
          onOpened={(next) => {
            setFollowUp(false);
            navigate(`/war-room/incidents/${encodeURIComponent(next.id)}`);
          }}
        />
      )}
    </div>
  );
}
