import { useState } from "react";
import { NEEDS_ME_WORDS, needsMe } from "../../../server/domain/attention";
import { IncidentOrder, IncidentState, Priority } from "../../../server/domain/vocabulary";
import type { ResultOf } from "../graphql";
import { query } from "../graphql-client";
import { useDebounced, useDocumentTitle } from "../shared/hooks";
import { Link, navigate } from "../shared/router";
import { Time } from "../shared/Time";
import { useLiveQuery } from "../shared/useLiveQuery";
import { STATE_WORDS } from "../shared/words";
import { NotifyToggle } from "./AttentionBanner";
import { PriorityBadge, StateBadge } from "./badges";
import { type Catalog, categoryOptions } from "./catalog";
import { type Actor, mayDo } from "./commands";
import {
  type AttentionPerson,
  applyIncidentEvent,
  attentionOf,
  defaultFilter,
  keyOf,
  type ListFilter,
  type ListState,
  matchesFilter,
  toIncidentFilter,
} from "./incidents-state";
import { OpenIncidentForm } from "./OpenIncidentForm";
import type { IncidentListEvent, IncidentSummary } from "./queries";
import { INCIDENTS_CHANGED, INCIDENTS_QUERY, SEQ_QUERY } from "./queries";
import { SlaClocks } from "./SlaClocks";
import { cadenceView } from "./sla-state";

const PAGE_SIZE = 50;

/** The list's sort choice and the server order it asks for. */
const ORDERS = { newest: IncidentOrder.NEWEST, due: IncidentOrder.DUE_SOONEST } as const;
type SortChoice = keyof typeof ORDERS;

function fetchPage(
  filter: ListFilter,
  me: AttentionPerson,
  order: IncidentOrder,
  after: string | null,
): Promise<ListState> {
  return query(INCIDENTS_QUERY, {
    filter: toIncidentFilter(filter),
    first: PAGE_SIZE,
    after,
    orderBy: order,
  }).then(({ incidents }) => {
    const nodes = incidents.edges.map((e) => e.node);
    const last = nodes.at(-1);
    return {
      items: nodes.filter((i) => !(filter.mine || filter.needsMe) || matchesFilter(i, filter, me)),
      totalCount: incidents.totalCount,
      hasNextPage: incidents.pageInfo.hasNextPage,
      endCursor: incidents.pageInfo.endCursor,
      boundary: last ? keyOf(last) : null,
    };
  });
}

export function IncidentList({ actor, catalog }: { actor: Actor; catalog: Catalog }) {
  useDocumentTitle("Incidents · Beacon war room");
  const [filter, setFilter] = useState<ListFilter>(() => defaultFilter(actor.role));
  const categories = categoryOptions(catalog);
  const [opening, setOpening] = useState(false);
  // The server orders every page (a client-side sort would only order the rows loaded so far).
  const [sort, setSort] = useState<SortChoice>("newest");
  const order = ORDERS[sort];
  const [loadingMore, setLoadingMore] = useState(false);
  const debouncedSearch = useDebounced(filter.search, 300);
  const effective = { ...filter, search: debouncedSearch };
  // Live matching needs my queues; the key reloads the list when they arrive with the catalog.
  const queuesKey = actor.queueIds.join(",");

  const live = useLiveQuery<ListState, IncidentListEvent, ResultOf<typeof INCIDENTS_CHANGED>>(
    `incidents:${JSON.stringify(effective)}:${order}:${queuesKey}`,
    {
      load: async () => {
        // The seq first: replaying from a seq older than the snapshot is harmless (newer versions
        // win), missing events is not.
        const { statusSummary } = await query(SEQ_QUERY);
        const page = await fetchPage(effective, actor, order, null);
        return { snapshot: page, seq: statusSummary.seq };
      },
      subscription: INCIDENTS_CHANGED,
      eventOf: (data) => data.incidentsChanged,
      seqOf: (event) => event.seq,
      apply: (state, event) => applyIncidentEvent(state, event, effective, actor, order),
    },
  );

  const loadMore = async () => {
    if (!live.data?.endCursor) return;
    setLoadingMore(true);
    try {
      const next = await fetchPage(effective, actor, order, live.data.endCursor);
      live.update((s) => ({
        ...next,
        items: [...s.items, ...next.items.filter((n) => !s.items.some((i) => i.id === n.id))],
      }));
    } finally {
      setLoadingMore(false);
    }
  };

  const set = <K extends keyof ListFilter>(key: K, value: ListFilter[K]) =>
    setFilter((f) => ({ ...f, [key]: value }));
  const data = live.data;

  return (
    <>
      <div className="page-head">
        <h1 className="page-title">Incidents</h1>
        <NotifyToggle />
        {mayDo(actor, "openIncident") && (
          <button type="button" className="button button-primary" onClick={() => setOpening(true)}>
            Open incident
          </button>
        )}
      </div>

      <fieldset className="view-tabs">
        <legend className="sr-only">View</legend>
        <button
          type="button"
          className={`button${filter.needsMe ? " button-primary" : ""}`}
          aria-pressed={filter.needsMe}
          onClick={() => set("needsMe", true)}
          data-testid="view-needs-me"
        >
          Needs me
        </button>
        <button
          type="button"
          className={`button${filter.needsMe ? "" : " button-primary"}`}
          aria-pressed={!filter.needsMe}
          onClick={() => set("needsMe", false)}
          data-testid="view-all"
        >
          All incidents
        </button>
      </fieldset>

      <form className="filters card" aria-label="Filter incidents" onSubmit={(e) => e.preventDefault()}>
        <label className="field">
          <span className="field-label">State</span>
          <select
            value={filter.state}
            onChange={(e) => set("state", e.target.value as ListFilter["state"])}
            data-testid="filter-state"
          >
            <option value="OPEN">Open (not closed)</option>
            <option value="ALL">All</option>
            {Object.values(IncidentState).map((s) => (
              <option key={s} value={s}>
                {STATE_WORDS[s]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Priority</span>
          <select
            value={filter.priority}
            onChange={(e) => set("priority", e.target.value as ListFilter["priority"])}
            data-testid="filter-priority"
          >
            <option value="">Any</option>
            {Object.values(Priority).map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Service</span>
          <select
            value={filter.serviceId}
            onChange={(e) => set("serviceId", e.target.value)}
            data-testid="filter-service"
          >
            <option value="">Any</option>
            {catalog.services.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        {categories.length > 0 && (
          <label className="field">
            <span className="field-label">Category</span>
            <select
              value={filter.categoryId}
              onChange={(e) => set("categoryId", e.target.value)}
              data-testid="filter-category"
            >
              <option value="">Any</option>
              {categories.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="field field-grow">
          <span className="field-label">Search</span>
          <input
            type="search"
            value={filter.search}
            placeholder="Number or title"
            onChange={(e) => set("search", e.target.value)}
            data-testid="filter-search"
          />
        </label>
        <label className="field">
          <span className="field-label">Sort</span>
          <select
            value={sort}
            onChange={(e) => setSort(e.target.value as SortChoice)}
            data-testid="sort-incidents"
          >
            <option value="newest">Newest first</option>
            <option value="due">Due soonest (SLA)</option>
          </select>
        </label>
        <label className="checkbox filter-mine">
          <input
            type="checkbox"
            checked={filter.mine}
            onChange={(e) => set("mine", e.target.checked)}
            data-testid="filter-mine"
          />
          Mine only
        </label>
      </form>

      {live.error && (
        <p className="notice notice-error" role="alert">
          {live.error.message}
        </p>
      )}

      <section aria-labelledby="incident-list-title" aria-busy={!data}>
        <h2 id="incident-list-title" className="sr-only">
          Incident list
        </h2>
        {data && (
          <p className="muted small" aria-live="polite">
            {filter.mine || filter.needsMe
              ? `${data.items.length} shown`
              : `${data.totalCount} incident${data.totalCount === 1 ? "" : "s"}`}
          </p>
        )}
        {!data && !live.error && <div className="card skeleton" style={{ height: 300 }} />}
        {data && data.items.length === 0 && (
          <p className="card empty">
            {filter.needsMe ? "Nothing needs you right now." : "No incidents match these filters."}
          </p>
        )}
        {data && data.items.length > 0 && (
          <ul className="incident-list" data-testid="incident-list">
            {data.items.map((incident) => (
              <li key={incident.id} className="card incident-row" data-testid={`incident-row-${incident.id}`}>
                <div className="incident-row-main">
                  <span className="incident-number">{incident.number}</span>
                  <Link
                    to={`/war-room/incidents/${encodeURIComponent(incident.id)}`}
                    className="incident-row-title"
                  >
                    {incident.title}
                  </Link>
                  {filter.needsMe && <NeedsMeReasonText incident={incident} me={actor} />}
                  <span className="muted small">
                    {incident.services.map((s) => s.name).join(", ") || "No service"} · opened{" "}
                    <Time iso={incident.createdAt} relativeOnly />
                  </span>
                </div>
                <div className="incident-row-side">
                  <StateBadge state={incident.state} />
                  <PriorityBadge priority={incident.priority} major={incident.major} />
                  <span className="small muted">
                    {incident.assignee?.name ?? incident.queue?.name ?? `Owner: ${incident.owner.name}`}
                  </span>
                  {incident.state !== IncidentState.CLOSED && incident.state !== IncidentState.CANCELED && (
                    <SlaClocks sla={incident.sla} compact />
                  )}
                  {cadenceView(incident.sla.nextPublicUpdateDueAt, Date.now())?.overdue && (
                    <span className="tag tone-critical" data-testid="public-update-overdue">
                      Public update overdue
                    </span>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
        {data?.hasNextPage && (
          <div className="load-more">
            <button type="button" className="button" onClick={loadMore} disabled={loadingMore}>
              {loadingMore ? "Loading…" : "Load more"}
            </button>
          </div>
        )}
      </section>

      {opening && (
        <OpenIncidentForm
          catalog={catalog}
          canPublish={mayDo(actor, "publish")}
          onClose={() => setOpening(false)}
          onOpened={(incident) => navigate(`/war-room/incidents/${encodeURIComponent(incident.id)}`)}
        />
      )}
    </>
  );
}

function NeedsMeReasonText({ incident, me }: { incident: IncidentSummary; me: AttentionPerson }) {
  const reason = needsMe(attentionOf(incident), me);
  return reason ? (
    <span className="small needs-me-reason" data-testid="needs-me-reason">
      {NEEDS_ME_WORDS[reason]}
    </span>
  ) : null;
}
