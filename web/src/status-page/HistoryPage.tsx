import { useEffect, useState } from "react";
import { type GraphQLRequestError, publicQuery, toRequestError } from "../graphql-client";
import { useDocumentTitle } from "../shared/hooks";
import { PastMaintenance } from "./MaintenanceSection";
import { PublicIncidentCard } from "./PublicIncidentCard";
import type { PublicIncident } from "./queries";
import { PUBLIC_INCIDENTS_QUERY } from "./queries";

const PAGE = 20;
const monthFormat = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "long" });

function byMonth(incidents: PublicIncident[]): [string, PublicIncident[]][] {
  const months = new Map<string, PublicIncident[]>();
  for (const incident of incidents) {
    const month = monthFormat.format(new Date(incident.startedAt));
    months.set(month, [...(months.get(month) ?? []), incident]);
  }
  return [...months];
}

/** Past and present public incidents, newest first, loaded a page at a time. */
export function HistoryPage() {
  useDocumentTitle("Incident history · Beacon");
  const [count, setCount] = useState(PAGE);
  const [incidents, setIncidents] = useState<PublicIncident[] | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<GraphQLRequestError | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    publicQuery(PUBLIC_INCIDENTS_QUERY, { first: count }, controller.signal)
      .then((data) => {
        setIncidents(data.publicIncidents);
        setError(null);
      })
      .catch((e) => {
        if (!controller.signal.aborted) setError(toRequestError(e));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [count]);

  const hasMore = incidents !== null && incidents.length >= count;

  return (
    <>
      <h1 className="page-title">Incident history</h1>
      {error && (
        <p className="notice notice-error" role="alert">
          {error.message}
        </p>
      )}
      {incidents === null && !error && (
        <div className="card skeleton" style={{ height: 320 }} aria-busy="true" />
      )}
      {incidents?.length === 0 && <p className="empty card">No incidents reported. 🎉</p>}
      {incidents &&
        byMonth(incidents).map(([month, list]) => (
          <section key={month} className="page-section" aria-label={month}>
            <h2 className="section-title">{month}</h2>
            <div className="stack">
              {list.map((incident) => (
                <PublicIncidentCard key={incident.id} incident={incident} updateLimit={1} />
              ))}
            </div>
          </section>
        ))}
      {hasMore && (
        <div className="load-more">
          <button
            type="button"
            className="button"
            onClick={() => setCount((c) => c + PAGE)}
            disabled={loading}
          >
            {loading ? "Loading…" : "Show older incidents"}
          </button>
        </div>
      )}
      <PastMaintenance />
    </>
  );
}
