import { useEffect, useState } from "react";
import { type MaintenanceState, maintenanceOverlaps } from "../../../../server/domain/maintenance";
import { mutate } from "../../graphql-client";
import { FormField } from "../FormField";
import { useEditedValues, useSubmit } from "../form-state";
import { ModalForm } from "../ModalForm";
import { SCHEDULE_MAINTENANCE, UPDATE_MAINTENANCE, type WarMaintenance } from "../maintenance-queries";
import { fromLocalInput, isRunningWindow, toLocalInput } from "../maintenance-state";

export interface MaintenanceFormValues {
  title: string;
  description: string;
  serviceIds: string[];
  start: string;
  end: string;
}

const valuesOf = (w?: WarMaintenance): MaintenanceFormValues => {
  const inOneHour = new Date(Date.now() + 3_600_000);
  inOneHour.setMinutes(0, 0, 0);
  return {
    title: w?.title ?? "",
    description: w?.description ?? "",
    serviceIds: w?.services.map((s) => s.id) ?? [],
    start: toLocalInput(w?.scheduledStart ?? inOneHour.toISOString()),
    end: toLocalInput(w?.scheduledEnd ?? new Date(inOneHour.getTime() + 3_600_000).toISOString()),
  };
};

/**
 * Schedule a window (no `window`) or edit one with the version the manager was looking at. Times are
 * entered in the user's zone and sent as instants. Overlaps are warnings, never refusals.
 */
export function MaintenanceForm({
  window: w,
  services,
  windows,
  openIncidents,
  onClose,
  onSaved,
}: {
  window?: WarMaintenance;
  services: { id: string; name: string }[];
  windows: WarMaintenance[];
  openIncidents: { id: string; title: string; serviceIds: string[] }[];
  onClose: () => void;
  onSaved: (w: WarMaintenance) => void;
}) {
  const [base, setBase] = useState(() => ({ version: w?.version ?? 0, values: valuesOf(w) }));
  const { values, edit, rebase } = useEditedValues<MaintenanceFormValues>(base.values);
  const { busy, error, run } = useSubmit();
  const started = w ? isRunningWindow(w) : false;

  // biome-ignore lint/correctness/useExhaustiveDependencies: rebase when the live window moves on after a conflict
  useEffect(() => {
    if (!w || error?.code !== "CONFLICT" || w.version === base.version) return;
    const fresh = valuesOf(w);
    setBase({ version: w.version, values: fresh });
    rebase(fresh);
  }, [w?.version, error?.code]);

  const start = fromLocalInput(values.start);
  const end = fromLocalInput(values.end);
  const overlaps =
    start && end
      ? maintenanceOverlaps(
          {
            id: w?.id ?? null,
            serviceIds: values.serviceIds,
            scheduledStart: new Date(start),
            scheduledEnd: new Date(end),
          },
          {
            windows: windows.map((x) => ({
              ...x,
              state: x.state as MaintenanceState,
              serviceIds: x.services.map((s) => s.id),
              scheduledStart: new Date(x.scheduledStart),
              scheduledEnd: new Date(x.scheduledEnd),
            })),
            openIncidents,
          },
          new Date(),
        )
      : [];
  const nameOf = (id: string) => services.find((s) => s.id === id)?.name ?? id;

  const submit = () =>
    run(async () => {
      if (!start || !end) throw new Error("Enter both a start and an end.");
      if (w) {
        const input: Record<string, unknown> = {};
        if (values.title !== base.values.title) input.title = values.title;
        if (values.description !== base.values.description) input.description = values.description || null;
        if (values.serviceIds.join() !== base.values.serviceIds.join()) input.serviceIds = values.serviceIds;
        if (values.start !== base.values.start) input.scheduledStart = start;
        if (values.end !== base.values.end) input.scheduledEnd = end;
        if (Object.keys(input).length === 0) return onClose();
        const { updateMaintenance } = await mutate(UPDATE_MAINTENANCE, {
          id: w.id,
          expectedVersion: base.version,
          input,
        });
        onSaved(updateMaintenance);
      } else {
        const { scheduleMaintenance } = await mutate(SCHEDULE_MAINTENANCE, {
          input: {
            title: values.title,
            description: values.description || null,
            serviceIds: values.serviceIds,
            scheduledStart: start,
            scheduledEnd: end,
          },
        });
        onSaved(scheduleMaintenance);
      }
    });

  return (
    <ModalForm
      title={w ? `Edit ${w.title}` : "Schedule maintenance"}
      testId={w ? "edit-maintenance-dialog" : "schedule-maintenance-dialog"}
      onClose={onClose}
      onSubmit={submit}
      busy={busy}
      error={error?.code === "CONFLICT" ? null : error?.message}
      errorTestId="maintenance-form-error"
      submitLabel={w ? "Save changes" : "Schedule"}
    >
      <FormField label="Title">
        {(control) => (
          <input
            type="text"
            required
            maxLength={200}
            value={values.title}
            onChange={(e) => edit("title", e.target.value)}
            {...control}
          />
        )}
      </FormField>
      <FormField label="Public description (optional)" help="Shown on the status page and in calendars.">
        {(control) => (
          <textarea
            rows={3}
            maxLength={5000}
            value={values.description}
            onChange={(e) => edit("description", e.target.value)}
            {...control}
          />
        )}
      </FormField>
      <div className="field-row">
        <FormField label="Start" help={started ? "Already started: only the end moves." : "Your time zone."}>
          {(control) => (
            <input
              type="datetime-local"
              required
              disabled={started}
              value={values.start}
              onChange={(e) => edit("start", e.target.value)}
              {...control}
            />
          )}
        </FormField>
        <FormField label="End" help="Your time zone.">
          {(control) => (
            <input
              type="datetime-local"
              required
              value={values.end}
              onChange={(e) => edit("end", e.target.value)}
              {...control}
            />
          )}
        </FormField>
      </div>
      <fieldset className="field" disabled={started}>
        <legend className="field-label">Affected services</legend>
        {services.map((s) => (
          <label key={s.id} className="checkbox">
            <input
              type="checkbox"
              checked={values.serviceIds.includes(s.id)}
              onChange={(e) =>
                edit(
                  "serviceIds",
                  e.target.checked
                    ? [...values.serviceIds, s.id]
                    : values.serviceIds.filter((id) => id !== s.id),
                )
              }
            />{" "}
            {s.name}
          </label>
        ))}
      </fieldset>
      {overlaps.length > 0 && (
        <div className="notice notice-warning" role="status" data-testid="maintenance-overlaps">
          <strong>This window overlaps:</strong>
          <ul>
            {overlaps.map((o) => (
              <li key={`${o.kind}-${o.id}`}>
                {o.kind === "incident" ? "Open incident" : "Maintenance"} “{o.title}”
                {o.sharedServiceIds.length > 0 && ` on ${o.sharedServiceIds.map(nameOf).join(", ")}`}
              </li>
            ))}
          </ul>
        </div>
      )}
      {error?.code === "CONFLICT" && (
        <div className="notice notice-warning" role="alert" data-testid="maintenance-conflict">
          <strong>Someone else changed this window while you were editing it.</strong> The form now shows
          their version, with your edits kept; check it and save again.
          <div className="small muted">Server: {error.message}</div>
        </div>
      )}
    </ModalForm>
  );
}
