import { useEffect, useRef, useState } from "react";
import { publicQuery, toRequestError } from "../graphql-client";
import { useDocumentTitle } from "../shared/hooks";
import { peekPreloaded, takePreloaded } from "../shared/preload";
import { useLiveQuery } from "../shared/useLiveQuery";
import { PUBLIC_STATUS_WORDS, SERVICE_STATUS_WORDS } from "../shared/words";
import { MaintenanceSection } from "./MaintenanceSection";
import { PublicIncidentCard } from "./PublicIncidentCard";
import type { PublicIncident, StatusEvent, StatusSummary } from "./queries";
import { STATUS_CHANGED, STATUS_PAGE_QUERY, STATUS_PAGE_WITHOUT_UPTIME_QUERY } from "./queries";
import { ServiceList } from "./ServiceList";
import { StatusBanner, StatusBannerSkeleton } from "./StatusBanner";
import { applyStatusEvent, isResolved, resolvedIncidents, withFreshUptime } from "./status-state";

let uptimeSupported = true;

/** The snapshot; if the server does not (yet) know `Service.uptime`, the page still shows everything else. */
async function loadSummary(): Promise<{ statusSummary: StatusSummary }> {
  if (!uptimeSupported) return publicQuery(STATUS_PAGE_WITHOUT_UPTIME_QUERY);
  try {
    return await publicQuery(STATUS_PAGE_QUERY);
  } catch (error) {
    if (!toRequestError(error).message.includes("uptime")) throw error;
    uptimeSupported = false;
    return publicQuery(STATUS_PAGE_WITHOUT_UPTIME_QUERY);
  }
}

function announce(event: StatusEvent): string {
  if (event.service) return `${event.service.name}: ${SERVICE_STATUS_WORDS[event.service.status]}`;
  if (event.incident) return `${event.incident.title}: ${PUBLIC_STATUS_WORDS[event.incident.status]}`;
  if (event.maintenance)
    return `Maintenance ${event.maintenance.title}: ${event.maintenance.state.toLowerCase().replace("_", " ")}`;
  return "";
}

export function StatusPage() {
  useDocumentTitle("Status · Beacon");
  const [announcement, setAnnouncement] = useState("");
  /** The last live event applied: a refetched snapshot older than it is not used. */
  const lastSeq = useRef("0");

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
      lastSeq.current = event.seq;
      setAnnouncement(announce(event));
      return applyStatusEvent(summary, event);
    },
  });

  const summary = live.data;
  useUptimeRefresh(summary, live.update, lastSeq);
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

      <MaintenanceSection windows={summary?.maintenances ?? []} />

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

/**
 * The uptime bars are computed by the server from the services' status history; a live event only
 * says a service's status changed. So while a service has a problem (and just after it changed), the
 * bars are fetched again now and then, and the row's status, its bars and its uptime figure agree.
 */
function useUptimeRefresh(
  summary: StatusSummary | undefined,
  update: (change: (s: StatusSummary) => StatusSummary) => void,
  lastSeq: { current: string },
) {
  const statuses = summary?.services.map((s) => `${s.id}:${s.status}`).join(",") ?? "";
  const troubled = summary?.services.some((s) => s.status !== "OPERATIONAL") ?? false;
  const updateRef = useRef(update);
  updateRef.current = update;
  const seen = useRef<string | null>(null);
  // Runs again when a status changes, and keeps a timer while a service has a problem.
  // biome-ignore lint/correctness/useExhaustiveDependencies: lastSeq is a ref, read when the refetch answers
  useEffect(() => {
    if (!statuses || !uptimeSupported) return;
    // Not on the first render: the snapshot the page loaded with has fresh bars.
    const changed = seen.current !== null && seen.current !== statuses;
    seen.current = statuses;
    let stopped = false;
    let retry: ReturnType<typeof setTimeout> | null = null;
    const refresh = async (attempt = 0) => {
      try {
        const { statusSummary } = await publicQuery(STATUS_PAGE_QUERY);
        if (stopped) return;
        // Public reads come from the server's snapshot, which may not have caught up yet: try again.
        if (BigInt(statusSummary.seq) < BigInt(lastSeq.current)) {
          if (attempt < 5) retry = setTimeout(() => void refresh(attempt + 1), 1500);
          return;
        }
        const fresh = new Map(statusSummary.services.map((s) => [s.id, s.uptime]));
        const at = new Date().toISOString();
        updateRef.current((s) => ({
          ...s,
          services: s.services.map((svc) => {
            const uptime = fresh.get(svc.id);
            return uptime ? withFreshUptime(svc, uptime, at) : svc;
          }),
        }));
      } catch {
        // The bars keep what they showed; the next change or tick tries again.
      }
    };
    const first = changed ? setTimeout(() => void refresh(), 1000) : null;
    const every = troubled ? setInterval(() => void refresh(), 60_000) : null;
    return () => {
      stopped = true;
      if (first) clearTimeout(first);
      if (retry) clearTimeout(retry);
      if (every) clearInterval(every);
    };
  }, [statuses, troubled]);
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
