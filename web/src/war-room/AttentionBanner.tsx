import { useEffect, useRef, useSyncExternalStore } from "react";
import { NEEDS_ME_WORDS, needsMe, unacknowledgedMajor } from "../../../server/domain/attention";
import type { ResultOf } from "../graphql";
import { query } from "../graphql-client";
import { setTitleCount } from "../shared/hooks";
import { Link } from "../shared/router";
import { useLiveQuery } from "../shared/useLiveQuery";
import {
  applyAttentionEvent,
  mayNotify,
  type NotifyPermission,
  newArrivals,
  WATCHED_PRIORITIES,
  WATCHED_STATES,
} from "./attention-state";
import { PriorityBadge } from "./badges";
import type { Actor } from "./commands";
import { attentionOf } from "./incidents-state";
import type { IncidentListEvent, IncidentSummary } from "./queries";
import { INCIDENTS_CHANGED, INCIDENTS_QUERY, SEQ_QUERY } from "./queries";

const OPT_IN_KEY = "beacon.notifications";

// Opt-in and permission live in one small store: the header's toggle and the banner share them.
const optInListeners = new Set<() => void>();
function readPermission(): NotifyPermission {
  return typeof Notification === "undefined" ? "unsupported" : (Notification.permission as NotifyPermission);
}
function readOptIn(): boolean {
  try {
    return localStorage.getItem(OPT_IN_KEY) === "on";
  } catch {
    return false;
  }
}
let notifyState = { optedIn: false, permission: "unsupported" as NotifyPermission };
function refreshNotifyState() {
  notifyState = { optedIn: readOptIn(), permission: readPermission() };
  for (const l of optInListeners) l();
}
function subscribeNotify(listener: () => void) {
  if (optInListeners.size === 0) notifyState = { optedIn: readOptIn(), permission: readPermission() };
  optInListeners.add(listener);
  return () => optInListeners.delete(listener);
}
const SERVER_NOTIFY = { optedIn: false, permission: "unsupported" as NotifyPermission };
function useNotifyState() {
  return useSyncExternalStore(
    subscribeNotify,
    () => notifyState,
    () => SERVER_NOTIFY,
  );
}

/** Asks for Notification permission only when the person presses it; never on its own. */
export function NotifyToggle() {
  const { optedIn, permission } = useNotifyState();
  if (permission === "unsupported") return null;
  if (permission === "denied") {
    return (
      <span className="small muted" data-testid="notify-denied">
        Alerts blocked by the browser
      </span>
    );
  }
  const on = mayNotify(optedIn, permission);
  return (
    <button
      type="button"
      className="button button-small"
      aria-pressed={on}
      data-testid="notify-toggle"
      onClick={async () => {
        if (on) {
          localStorage.setItem(OPT_IN_KEY, "off");
        } else {
          const answer = await Notification.requestPermission();
          if (answer === "granted") localStorage.setItem(OPT_IN_KEY, "on");
        }
        refreshNotifyState();
      }}
    >
      {on ? "Alerts on" : "Turn on alerts"}
    </button>
  );
}

async function loadWatched(): Promise<{ snapshot: IncidentSummary[]; seq: string }> {
  const { statusSummary } = await query(SEQ_QUERY);
  const { incidents } = await query(INCIDENTS_QUERY, {
    filter: { states: WATCHED_STATES, priorities: WATCHED_PRIORITIES },
    first: 100,
  });
  return { snapshot: incidents.edges.map((e) => e.node), seq: statusSummary.seq };
}

/**
 * Unacknowledged P1/P2 incidents that need me (all of them for managers and admins), live: a banner
 * under the header, the count in the tab's title, and a browser notification for each new one when
 * the person opted in.
 */
export function AttentionBanner({ actor }: { actor: Actor }) {
  const live = useLiveQuery<IncidentSummary[], IncidentListEvent, ResultOf<typeof INCIDENTS_CHANGED>>(
    `attention:${actor.id}`,
    {
      load: loadWatched,
      subscription: INCIDENTS_CHANGED,
      eventOf: (data) => data.incidentsChanged,
      seqOf: (event) => event.seq,
      apply: (items, event) => applyAttentionEvent(items, event.incident),
    },
  );
  const urgent = live.data
    ? unacknowledgedMajor(
        live.data.map((i) => ({ ...attentionOf(i), incident: i })),
        actor,
      ).map((a) => a.incident)
    : [];
  const count = urgent.length;
  const { optedIn, permission } = useNotifyState();
  const seen = useRef<Set<string> | null>(null);

  useEffect(() => {
    setTitleCount(count);
  }, [count]);
  useEffect(() => () => setTitleCount(0), []);

  const ids = urgent.map((i) => i.id).join(",");
  // biome-ignore lint/correctness/useExhaustiveDependencies: `ids` stands for `urgent`'s identity.
  useEffect(() => {
    if (!live.data) return;
    const arrivals = newArrivals(seen.current, urgent);
    seen.current = new Set(urgent.map((i) => i.id));
    if (!mayNotify(optedIn, permission)) return;
    for (const i of arrivals) {
      try {
        const n = new Notification(`${i.priority} ${i.number} needs you`, { body: i.title, tag: i.id });
        n.onclick = () => {
          window.focus();
          window.location.assign(`/war-room/incidents/${encodeURIComponent(i.id)}`);
        };
      } catch {
        // Some browsers (Chrome on Android) only notify through a service worker: the banner and
        // the tab count still say it.
      }
    }
  }, [ids, Boolean(live.data)]);

  if (count === 0) return null;
  return (
    <section className="attention-banner" aria-labelledby="attention-title" data-testid="attention-banner">
      <div className="container-wide attention-inner">
        <h2 id="attention-title" className="attention-title">
          {count === 1 ? "1 major incident is" : `${count} major incidents are`} waiting for acknowledgement
        </h2>
        <ul className="attention-list">
          {urgent.map((i) => {
            const reason = needsMe(attentionOf(i), actor);
            return (
              <li key={i.id} data-testid={`attention-${i.id}`}>
                <PriorityBadge priority={i.priority} major={false} />{" "}
                <Link to={`/war-room/incidents/${encodeURIComponent(i.id)}`}>
                  {i.number} {i.title}
                </Link>{" "}
                <span className="small">
                  {reason ? NEEDS_ME_WORDS[reason] : "Nobody has acknowledged it yet"}
                </span>
              </li>
            );
          })}
        </ul>
      </div>
    </section>
  );
}
