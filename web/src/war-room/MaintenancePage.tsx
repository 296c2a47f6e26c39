import { useEffect, useState } from "react";
import type { ResultOf } from "../graphql";
import { mutate, query } from "../graphql-client";
import { useDocumentTitle } from "../shared/hooks";
import { StatusLabel } from "../shared/StatusIcon";
import { Time } from "../shared/Time";
import { useLiveQuery } from "../shared/useLiveQuery";
import type { Catalog } from "./catalog";
import { type Actor, mayDo } from "./commands";
import { useSubmit } from "./form-state";
import { MaintenanceActionForm } from "./maintenance/MaintenanceActionForm";
import { MaintenanceForm } from "./maintenance/MaintenanceForm";
import {
  COMPLETE_MAINTENANCE,
  OPEN_INCIDENT_SERVICES_QUERY,
  START_MAINTENANCE,
  WAR_MAINTENANCE_CHANGED,
  WAR_MAINTENANCES_QUERY,
  type WarMaintenance,
  type WarMaintenanceEvent,
} from "./maintenance-queries";
import { isActiveWindow, isRunningWindow, monthGrid, sectionsOf, upsertWindow } from "./maintenance-state";
import { SEQ_QUERY } from "./queries";

const STATE_WORDS: Record<string, string> = {
  SCHEDULED: "Scheduled",
  IN_PROGRESS: "In progress",
  VERIFYING: "Verifying",
  COMPLETED: "Completed",
  CANCELED: "Canceled",
};
const CLOSED_INCIDENT_STATES = ["RESOLVED", "CLOSED", "CANCELED"];

/** Scheduled maintenance, live: a list (in progress, upcoming, past) and a month calendar; managers change windows. */
export function MaintenancePage({ actor, catalog }: { actor: Actor; catalog: Catalog }) {
  useDocumentTitle("Maintenance · Beacon war room");
  const canSchedule = mayDo(actor, "scheduleMaintenance");
  const canManage = mayDo(actor, "manageMaintenance");
  const [form, setForm] = useState<
    { kind: "schedule" } | { kind: "edit" | "update" | "cancel"; id: string } | null
  >(null);
  const [openIncidents, setOpenIncidents] = useState<{ id: string; title: string; serviceIds: string[] }[]>(
    [],
  );
  const [month, setMonth] = useState(() => ({
    year: new Date().getFullYear(),
    month: new Date().getMonth(),
  }));
  const [status, setStatus] = useState("");
  const { busy, error, run } = useSubmit();

  const live = useLiveQuery<WarMaintenance[], WarMaintenanceEvent, ResultOf<typeof WAR_MAINTENANCE_CHANGED>>(
    "war-room-maintenance",
    {
      load: async () => {
        const { statusSummary } = await query(SEQ_QUERY);
        const { maintenances } = await query(WAR_MAINTENANCES_QUERY);
        return { snapshot: maintenances, seq: statusSummary.seq };
      },
      subscription: WAR_MAINTENANCE_CHANGED,
      eventOf: (data) => data.statusChanged,
      seqOf: (event) => event.seq,
      apply: (list, event) => (event.maintenance ? upsertWindow(list, event.maintenance) : list),
    },
  );

  useEffect(() => {
    // For the overlap warning only: a failure leaves it without incidents.
    query(OPEN_INCIDENT_SERVICES_QUERY)
      .then(({ incidents }) =>
        setOpenIncidents(
          incidents.edges
            .map((e) => e.node)
            .filter((i) => !CLOSED_INCIDENT_STATES.includes(i.state))
            .map((i) => ({
              id: i.id,
              title: `${i.number} ${i.title}`,
              serviceIds: i.services.map((s) => s.id),
            })),
        ),
      )
      .catch(() => setOpenIncidents([]));
  }, []);

  const windows = live.data;
  const saved = (w: WarMaintenance, what: string) => {
    live.update((list) => upsertWindow(list, w));
    setStatus(`${what}: ${w.title}`);
    setForm(null);
  };
  const selected = form && form.kind !== "schedule" ? windows?.find((w) => w.id === form.id) : undefined;
  const sections = windows ? sectionsOf(windows) : null;
  const services = catalog.services.map((s) => ({ id: s.id, name: s.name }));

  const step = (w: WarMaintenance, which: "start" | "complete") =>
    run(async () => {
      if (which === "start") {
        const { startMaintenance } = await mutate(START_MAINTENANCE, {
          id: w.id,
          expectedVersion: w.version,
        });
        saved(startMaintenance, "Started");
      } else {
        const { completeMaintenance } = await mutate(COMPLETE_MAINTENANCE, {
          id: w.id,
          expectedVersion: w.version,
        });
        saved(completeMaintenance, "Completed");
      }
    });

  const row = (w: WarMaintenance) => (
    <li
      key={w.id}
      className="card maintenance-row"
      data-testid={`war-maintenance-${w.id}`}
      data-state={w.state}
    >
      <div className="maintenance-row-head">
        <strong>{w.title}</strong>{" "}
        <StatusLabel tone={isRunningWindow(w) ? "maintenance" : "neutral"}>
          {STATE_WORDS[w.state] ?? w.state}
        </StatusLabel>
      </div>
      <p className="small">
        {w.services.map((s) => s.name).join(", ")} · <Time iso={w.startedAt ?? w.scheduledStart} /> →{" "}
        <Time iso={w.completedAt ?? w.scheduledEnd} />
        {!w.autoTransition && " · started and completed by hand"}
      </p>
      {w.updates[0] && (
        <p className="small muted">
          Latest update: {w.updates[0].message} (<Time iso={w.updates[0].at} relativeOnly />)
        </p>
      )}
      {canManage && isActiveWindow(w) && (
        <div className="button-row">
          <button
            type="button"
            className="button button-small"
            onClick={() => setForm({ kind: "edit", id: w.id })}
          >
            Edit
          </button>
          <button
            type="button"
            className="button button-small"
            onClick={() => setForm({ kind: "update", id: w.id })}
          >
            Post update
          </button>
          {w.state === "SCHEDULED" && (
            <button
              type="button"
              className="button button-small"
              disabled={busy}
              onClick={() => step(w, "start")}
            >
              Start now
            </button>
          )}
          {isRunningWindow(w) && (
            <button
              type="button"
              className="button button-small"
              disabled={busy}
              onClick={() => step(w, "complete")}
            >
              Complete now
            </button>
          )}
          <button
            type="button"
            className="button button-small button-danger"
            onClick={() => setForm({ kind: "cancel", id: w.id })}
          >
            Cancel…
          </button>
        </div>
      )}
    </li>
  );

  const list = (title: string, items: WarMaintenance[], testId: string) => (
    <section aria-labelledby={`${testId}-title`} data-testid={testId}>
      <h2 id={`${testId}-title`} className="section-title">
        {title}
      </h2>
      {items.length === 0 ? (
        <p className="muted small">None.</p>
      ) : (
        <ul className="stack plain-list">{items.map(row)}</ul>
      )}
    </section>
  );

  const monthName = new Date(month.year, month.month, 1).toLocaleDateString(undefined, {
    year: "numeric",
    month: "long",
  });
  const moveMonth = (by: number) =>
    setMonth((m) => {
      const d = new Date(m.year, m.month + by, 1);
      return { year: d.getFullYear(), month: d.getMonth() };
    });

  return (
    <>
      <div className="page-head">
        <h1 className="page-title">Maintenance</h1>
        {canSchedule && (
          <button
            type="button"
            className="button button-primary"
            onClick={() => setForm({ kind: "schedule" })}
          >
            Schedule maintenance
          </button>
        )}
      </div>
      <p className="muted small">
        Windows start and finish by themselves at their times; their services go under maintenance and back.
        {canSchedule ? "" : " Read-only: only incident managers and admins schedule and change windows."}
      </p>
      <div className="sr-only" aria-live="polite" aria-atomic="true" data-testid="maintenance-status">
        {status}
      </div>
      {(live.error || error) && (
        <p className="notice notice-error" role="alert" data-testid="maintenance-error">
          {(error ?? live.error)?.message}
        </p>
      )}
      {!sections && !live.error && <div className="card skeleton" style={{ height: 240 }} />}
      {sections && (
        <div className="maintenance-layout">
          <div>
            {list("In progress", sections.running, "maintenance-running")}
            {list("Upcoming", sections.upcoming, "maintenance-upcoming")}
            {list("Past", sections.past.slice(0, 30), "maintenance-past")}
          </div>
          <section aria-labelledby="maintenance-calendar-title" className="card maintenance-calendar">
            <div className="maintenance-calendar-head">
              <button
                type="button"
                className="button button-small"
                onClick={() => moveMonth(-1)}
                aria-label="Previous month"
              >
                ‹
              </button>
              <h2 id="maintenance-calendar-title">{monthName}</h2>
              <button
                type="button"
                className="button button-small"
                onClick={() => moveMonth(1)}
                aria-label="Next month"
              >
                ›
              </button>
            </div>
            <table className="month-grid" data-testid="maintenance-calendar">
              <thead>
                <tr>
                  {["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].map((d) => (
                    <th key={d} scope="col">
                      {d}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {monthGrid(month.year, month.month, windows ?? []).map((week) => (
                  <tr key={week[0]?.date.toISOString()}>
                    {week.map((day) => (
                      <td key={day.date.toISOString()} className={day.inMonth ? "" : "muted"}>
                        <span className="month-day">{day.date.getDate()}</span>
                        {day.windows.map((w) => (
                          <span
                            key={w.id}
                            className={`month-window state-${w.state.toLowerCase()}`}
                            title={w.title}
                          >
                            {w.title}
                          </span>
                        ))}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </div>
      )}

      {form?.kind === "schedule" && (
        <MaintenanceForm
          services={services}
          windows={windows ?? []}
          openIncidents={openIncidents}
          onClose={() => setForm(null)}
          onSaved={(w) => saved(w, "Scheduled")}
        />
      )}
      {form?.kind === "edit" && selected && (
        <MaintenanceForm
          window={selected}
          services={services}
          windows={windows ?? []}
          openIncidents={openIncidents}
          onClose={() => setForm(null)}
          onSaved={(w) => saved(w, "Saved")}
        />
      )}
      {(form?.kind === "update" || form?.kind === "cancel") && selected && (
        <MaintenanceActionForm
          window={selected}
          action={form.kind}
          onClose={() => setForm(null)}
          onSaved={(w) => saved(w, form.kind === "cancel" ? "Canceled" : "Update posted")}
        />
      )}
    </>
  );
}
