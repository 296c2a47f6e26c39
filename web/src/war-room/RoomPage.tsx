import { type KeyboardEvent, useState } from "react";
import type { ResultOf } from "../graphql";
import { query } from "../graphql-client";
import { useDocumentTitle } from "../shared/hooks";
import { Link, navigate } from "../shared/router";
import { useLiveQuery } from "../shared/useLiveQuery";
import { ActionBar } from "./ActionBar";
import { ActionDialog } from "./ActionDialog";
import { ClosureChecklist, closeBlockedBy } from "./ClosureChecklist";
import type { Catalog } from "./catalog";
import { type Actor, allowedCommands, type IncidentCommand, mayDo } from "./commands";
import { ExportPanel } from "./ExportPanel";
import { HistoryView } from "./HistoryView";
import { NoteComposer } from "./NoteComposer";
import { OpenIncidentForm } from "./OpenIncidentForm";
import { Presence } from "./Presence";
import { PublicUpdateComposer } from "./PublicUpdateComposer";
import type { ActionItem, Incident, IncidentEvent, TimelineEntry } from "./queries";
import { INCIDENT_ACTIVITY, ROOM_QUERY, SEQ_QUERY } from "./queries";
import { RedactDialog } from "./RedactDialog";
import { RoomHeader } from "./RoomHeader";
import { CommanderPrompt, needsCommander, RoomRoles } from "./RoomRoles";
import { ReviewPanel } from "./review/ReviewPanel";
import {
  addEntries,
  applyRoomEvent,
  type RoomState,
  replaceEntry,
  withActionItem,
  withIncident,
} from "./room-state";
import { Timeline } from "./Timeline";
import { usePresence } from "./usePresence";

type Snapshot = RoomState | null;

const TABS = ["timeline", "review", "history"] as const;
type Tab = (typeof TABS)[number];
const TAB_LABELS: Record<Tab, string> = {
  timeline: "Timeline",
  review: "Review",
  history: "Change history",
};

/** One live room per incident. */
export function RoomPage({ id, actor, catalog }: { id: string; actor: Actor; catalog: Catalog }) {
  const [command, setCommand] = useState<IncidentCommand | null>(null);
  const [followUp, setFollowUp] = useState(false);
  const [tab, setTab] = useState<Tab>("timeline");
  const [redacting, setRedacting] = useState<TimelineEntry | null>(null);
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
  const applyChangedEntry = (entry: TimelineEntry) =>
    live.update((s) => (s ? { ...s, timeline: replaceEntry(s.timeline, entry) } : s));
  const applyActionItem = (item: ActionItem) => live.update((s) => (s ? withActionItem(s, item) : s));

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
    const order = TABS;
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
  const closeReason = closeBlockedBy(incident.closureRequirements);
  const canAssignRoles = !finished && mayDo(actor, "assignRoomRole", incident);
  const onAction = (c: IncidentCommand) => {
    // The review is a document with its own tab; its button leads there.
    if (c === "completeReview") setTab("review");
    // A public update has its composer (with its preview) in the side panel.
    else if (c === "postPublicUpdate") focusPublicComposer();
    else setCommand(c);
  };

  return (
    <div className="room">
      <p className="breadcrumb">
        <Link to="/war-room">Incidents</Link> <span aria-hidden="true">›</span> {incident.number}
      </p>
      <RoomHeader incident={incident} viewer={actor} />
      {canAssignRoles && needsCommander(incident) && (
        <CommanderPrompt
          incident={incident}
          users={catalog.users}
          selfId={actor.id}
          onChanged={applyIncident}
        />
      )}

      <div className="room-actions">
        <ActionBar
          incident={incident}
          actor={actor}
          onAction={onAction}
          blocked={closeReason ? { close: closeReason } : {}}
        />
        {finished && mayDo(actor, "openFollowUp") && (
          <button type="button" className="button" onClick={() => setFollowUp(true)}>
            Open follow-up incident
          </button>
        )}
      </div>

      <div className="room-grid">
        <section className="room-main card" aria-label="Room">
          <div className="tabs" role="tablist" aria-label="Room views" onKeyDown={onTabKey}>
            {TABS.map((t) => (
              <button
                key={t}
                type="button"
                role="tab"
                id={`tab-${t}`}
                aria-selected={tab === t}
                aria-controls={`panel-${t}`}
                tabIndex={tab === t ? 0 : -1}
                className="tab"
                onClick={() => setTab(t)}
              >
                {TAB_LABELS[t]}
              </button>
            ))}
          </div>
          {tab === "timeline" && (
            <div role="tabpanel" id="panel-timeline" aria-labelledby="tab-timeline">
              <Timeline
                entries={timeline}
                onRedact={mayDo(actor, "redactTimelineEntry") ? setRedacting : undefined}
              />
              {commands.includes("addNote") && (
                <NoteComposer incidentId={incident.id} onAdded={applyEntry} onTyping={setTyping} />
              )}
            </div>
          )}
          {tab === "review" && (
            <div role="tabpanel" id="panel-review" aria-labelledby="tab-review">
              <ReviewPanel
                incident={incident}
                actor={actor}
                catalog={catalog}
                onIncident={applyIncident}
                onActionItem={applyActionItem}
                onConflict={() => live.resync()}
              />
            </div>
          )}
          {tab === "history" && (
            <div role="tabpanel" id="panel-history" aria-labelledby="tab-history">
              <HistoryView incidentId={incident.id} version={incident.version} catalog={catalog} />
            </div>
          )}
        </section>

        <aside className="room-side" aria-label="Room details">
          {incident.state === "RESOLVED" && (
            <ClosureChecklist
              requirements={incident.closureRequirements}
              allowed={commands}
              onAction={onAction}
            />
          )}
          <Presence roster={roster} selfId={actor.id} />
          <RoomRoles
            incident={incident}
            users={catalog.users}
            canAssign={canAssignRoles}
            onChanged={applyIncident}
          />
          {commands.includes("postPublicUpdate") && <PublicUpdateComposer incident={incident} />}
          <ExportPanel incident={incident} timeline={timeline} />
        </aside>
      </div>

      {command && (
        <ActionDialog
          key={command}
          command={command}
          incident={incident}
          catalog={catalog}
          actor={actor}
          canPublish={mayDo(actor, "publish")}
          onClose={() => setCommand(null)}
          onConflict={() => live.resync()}
          onDone={(result) => {
            if (result.incident) applyIncident(result.incident);
            if (result.entry) applyEntry(result.entry);
            setCommand(null);
          }}
        />
      )}
      {redacting && (
        <RedactDialog
          entry={redacting}
          onClose={() => setRedacting(null)}
          onRedacted={(entry) => {
            applyChangedEntry(entry);
            setRedacting(null);
          }}
        />
      )}
      {followUp && (
        <OpenIncidentForm
          catalog={catalog}
          canPublish={mayDo(actor, "publish")}
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

function focusPublicComposer() {
  const composer = document.querySelector<HTMLElement>('[data-testid="public-update-composer"]');
  composer?.scrollIntoView({ block: "center" });
  composer?.querySelector<HTMLElement>("textarea, select")?.focus();
}
