import { useState } from "react";
import { query, toRequestError } from "../graphql-client";
import { useDocumentTitle } from "../shared/hooks";
import { peekPreloaded, takePreloaded } from "../shared/preload";
import { useLiveQuery } from "../shared/useLiveQuery";
import { PUBLIC_STATUS_WORDS, SERVICE_STATUS_WORDS } from "../shared/words";
import { PublicIncidentCard } from "./PublicIncidentCard";
import type { PublicIncident, StatusEvent, StatusSummary } from "./queries";
import { STATUS_CHANGED, STATUS_PAGE_QUERY, STATUS_PAGE_WITHOUT_UPTIME_QUERY } from "./queries";
import { ServiceList } from "./ServiceList";
import { StatusBanner, StatusBannerSkeleton } from "./StatusBanner";
import { applyStatusEvent, isResolved, resolvedIncidents } from "./status-state";

let uptimeSupported = true;

/** The snapshot; if the server does not (yet) know `Service.uptime`, the page still shows everything else. */
async function loadSummary(): Promise<{ statusSummary: StatusSummary }> {
  if (!uptimeSupported) return query(STATUS_PAGE_WITHOUT_UPTIME_QUERY);
  try {
    return await query(STATUS_PAGE_QUERY);
  } catch (error) {
    if (!toRequestError(error).message.includes("uptime")) throw error;
    uptimeSupported = false;
    return query(STATUS_PAGE_WITHOUT_UPTIME_QUERY);
  }
}

function announce(event: StatusEvent): string {
  if (event.service) return `${event.service.name}: ${SERVICE_STATUS_WORDS[event.service.status]}`;
  if (event.incident) return `${event.incident.title}: ${PUBLIC_STATUS_WORDS[event.incident.status]}`;
  return "";
}

export function StatusPage() {
  useDocumentTitle("Status · Beacon");
  const [announcement, setAnnouncement] = useState("");

  const live = useLiveQuery("status", {
    initial: peekPreloaded("statusSummary"),
    load: async () => {
      const preloaded = takePreloaded("statusSummary");
      if (preloaded) return { snapshot: preloaded, seq: preloaded.seq };
      const { statusSummary } = await loadSummary();
      return { snapshot: statusSummary, seq: statusSummary.seq };
    },
    subscription: STATUS_CHANGED,
    eventOf: (data) => data.statusChanged,
    seqOf: (event) => event.seq,
    apply: (summary, event) => {
      setAnnouncement(announce(event));
      return applyStatusEvent(summary, event);
    },
  });

  const summary = live.data;
  const active = summary?.activeIncidents.filter((i) => !isResolved(i)) ?? [];
  const resolved = summary ? resolvedIncidents(summary) : [];

  return (
    <>
      {summary ? (
        <StatusBanner
          indicator={summary.indicator}
          description={summary.description}
          updatedAt={summary.updatedAt}
        />
      ) : (
        <StatusBannerSkeleton />
      )}
      {live.error && !summary && (
        <p className="notice notice-error" role="alert">
          We could not load the current status ({live.error.message}). Retrying…
        </p>
      )}
      <div className="sr-only" aria-live="polite" aria-atomic="true">
        {announcement}
      </div>

      <IncidentSection
        id="active-incidents-title"
        title="Active incidents"
        incidents={active}
        updateLimit={5}
      />

      <section className="page-section" aria-labelledby="services-title" aria-busy={!summary}>
        <h2 id="services-title" className="section-title">
          Services
        </h2>
        {summary ? (
          <ServiceList services={summary.services} />
        ) : (
          <div className="card skeleton" style={{ height: 240 }} />
        )}
      </section>

      <IncidentSection
        id="resolved-incidents-title"
        title="Recently resolved"
        incidents={resolved}
        updateLimit={2}
      />
    </>
  );
}

/** A titled list of incident cards; nothing at all when the list is empty. */
function IncidentSection({
  id,
  title,
  incidents,
  updateLimit,
}: {
  id: string;
  title: string;
  incidents: PublicIncident[];
  updateLimit: number;
}) {
  if (incidents.length === 0) return null;
  return (
    <section className="page-section" aria-labelledby={id}>
      <h2 id={id} className="section-title">
        {title}
      </h2>
      <div className="stack">
        {incidents.map((incident) => (
          <PublicIncidentCard key={incident.id} incident={incident} updateLimit={updateLimit} />
        ))}
      </div>
    </section>
  );
}
