import { Priority } from "../../../../server/domain/vocabulary";
import type { ResultOf } from "../../graphql";
import { query } from "../../graphql-client";
import { useNow } from "../../shared/hooks";
import { Link } from "../../shared/router";
import { relativeTime } from "../../shared/time";
import { useLiveQuery } from "../../shared/useLiveQuery";
import { SEQ_QUERY } from "../queries";
import { OPEN_INCIDENTS_CHANGED, OPEN_INCIDENTS_QUERY } from "./report-queries";
import {
  applyOpenEvent,
  countByPriority,
  dueSoonest,
  type OpenIncident,
  type OpenSet,
  openSetOf,
  UNRESOLVED_STATES,
} from "./report-state";

// The Reports page's "now" panel: open incidents by priority and the clocks about to breach, live.

const OPEN_PAGE = 100;
const OPEN_PAGES = 20;

async function loadOpen(): Promise<OpenIncident[]> {
  const items: OpenIncident[] = [];
  let after: string | null = null;
  for (let page = 0; page < OPEN_PAGES; page++) {
    const d: ResultOf<typeof OPEN_INCIDENTS_QUERY> = await query(OPEN_INCIDENTS_QUERY, {
      filter: { states: UNRESOLVED_STATES },
      first: OPEN_PAGE,
      after,
    });
    items.push(...d.incidents.edges.map((e) => e.node));
    if (!d.incidents.pageInfo.hasNextPage) break;
    after = d.incidents.pageInfo.endCursor;
  }
  return items;
}

const SOON_MS = 60 * 60_000;

/** Open incidents by priority and the clocks about to breach, live (incidentsChanged). */
export function NowPanel() {
  // "now" moves every 30 s, so countdowns and the one-hour window move without events.
  const now = useNow();
  const live = useLiveQuery<
    OpenSet,
    ResultOf<typeof OPEN_INCIDENTS_CHANGED>["incidentsChanged"],
    ResultOf<typeof OPEN_INCIDENTS_CHANGED>
  >("reports:open", {
    load: async () => {
      const { statusSummary } = await query(SEQ_QUERY);
      return { snapshot: openSetOf(await loadOpen()), seq: statusSummary.seq };
    },
    subscription: OPEN_INCIDENTS_CHANGED,
    eventOf: (data) => data.incidentsChanged,
    seqOf: (event) => event.seq,
    apply: (set, event) => applyOpenEvent(set, event.incident),
  });
  const counts = live.data ? countByPriority(live.data) : null;
  const due = live.data ? dueSoonest(live.data, now, SOON_MS) : [];
  return (
    <section className="card report-section" aria-labelledby="report-now-title" data-testid="report-now">
      <h2 id="report-now-title" className="admin-section-title">
        Now
      </h2>
      {counts === null ? (
        <p className="muted">{live.error ? live.error.message : "Loading…"}</p>
      ) : (
        <dl className="report-now">
          {Object.values(Priority).map((p) => (
            <div key={p} className="report-now-item" data-testid={`now-${p}`}>
              <dt>{p} open</dt>
              <dd>{counts[p]}</dd>
            </div>
          ))}
        </dl>
      )}
      <h3 className="small">Clocks due within the hour</h3>
      {due.length === 0 ? (
        <p className="muted small" data-testid="now-due-none">
          No running SLA clock is due within the hour.
        </p>
      ) : (
        <ul data-testid="now-due">
          {due.map((d) => (
            <li key={`${d.id}:${d.clock}`}>
              <Link to={`/war-room/incidents/${encodeURIComponent(d.id)}`}>
                {d.number} {d.title}
              </Link>{" "}
              <span className="muted small">
                ({d.priority}) {d.clock} due {relativeTime(d.dueAt, now)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
