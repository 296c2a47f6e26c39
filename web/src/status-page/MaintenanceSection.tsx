import { useEffect, useState } from "react";
import { publicQuery } from "../graphql-client";
import { StatusLabel } from "../shared/StatusIcon";
import { Time } from "../shared/Time";
import { PAST_MAINTENANCES_QUERY, type PublicMaintenance } from "./queries";

const STATE_WORDS: Record<string, string> = {
  SCHEDULED: "Scheduled",
  IN_PROGRESS: "In progress",
  VERIFYING: "Verifying",
  COMPLETED: "Completed",
  CANCELED: "Canceled",
};

/**
 * "Scheduled maintenance": upcoming and in-progress windows, soonest first, times in the viewer's
 * zone (the server stores instants). Nothing when there are none; a calendar link either way is in
 * the footer (/maintenance.ics).
 */
export function MaintenanceSection({ windows }: { windows: PublicMaintenance[] }) {
  if (windows.length === 0) return null;
  return (
    <section className="page-section" aria-labelledby="maintenance-title" data-testid="maintenance-section">
      <h2 id="maintenance-title" className="section-title">
        Scheduled maintenance
      </h2>
      <div className="stack">
        {windows.map((w) => (
          <MaintenanceCard key={w.id} window={w} />
        ))}
      </div>
      <p className="muted">
        <a href="/maintenance.ics">Add scheduled maintenance to your calendar</a>
      </p>
    </section>
  );
}

export function MaintenanceCard({ window: w }: { window: PublicMaintenance }) {
  const running = w.state === "IN_PROGRESS" || w.state === "VERIFYING";
  return (
    <article
      id={`maintenance-${w.id}`}
      className="card incident-card impact-maintenance"
      data-testid={`maintenance-${w.id}`}
      data-state={w.state}
      aria-labelledby={`maintenance-${w.id}-title`}
    >
      <header className="incident-card-head">
        <h3 id={`maintenance-${w.id}-title`} className="incident-title">
          {w.title}
        </h3>
        <div className="incident-tags">
          <StatusLabel tone={running ? "maintenance" : "neutral"}>
            {STATE_WORDS[w.state] ?? w.state}
          </StatusLabel>
        </div>
      </header>
      <p className="incident-meta">
        {w.services.length > 0 && (
          <>
            Affects <strong>{w.services.map((s) => s.name).join(", ")}</strong> ·{" "}
          </>
        )}
        {running && w.startedAt ? "Started" : "Starts"} <Time iso={w.startedAt ?? w.scheduledStart} /> ·{" "}
        {w.completedAt ? "Ended" : "Until"} <Time iso={w.completedAt ?? w.scheduledEnd} />
      </p>
      {w.description && <p>{w.description}</p>}
      {w.updates.length > 0 && (
        <ul className="update-list">
          {w.updates.map((u) => (
            <li key={u.id}>
              <strong>{STATE_WORDS[u.state] ?? u.state}</strong> — {u.message}{" "}
              <Time iso={u.at} relativeOnly />
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}

/** The history page's "Past maintenance": the 20 latest completed or cancelled windows. */
export function PastMaintenance() {
  const [windows, setWindows] = useState<PublicMaintenance[]>([]);
  useEffect(() => {
    const controller = new AbortController();
    // The incident history is the page's subject; without this list it still stands.
    publicQuery(PAST_MAINTENANCES_QUERY, {}, controller.signal)
      .then((data) => setWindows(data.maintenances))
      .catch(() => {});
    return () => controller.abort();
  }, []);
  if (windows.length === 0) return null;
  return (
    <section className="page-section" aria-labelledby="past-maintenance-title" data-testid="past-maintenance">
      <h2 id="past-maintenance-title" className="section-title">
        Past maintenance
      </h2>
      <div className="stack">
        {windows.map((w) => (
          <MaintenanceCard key={w.id} window={w} />
        ))}
      </div>
    </section>
  );
}
