import { type FormEvent, useId, useState } from "react";
import { ServiceStatus } from "../../../../server/domain/vocabulary";
import { mutate } from "../../graphql-client";
import { StatusLabel } from "../../shared/StatusIcon";
import { Time } from "../../shared/Time";
import { SERVICE_STATUS_TONE, SERVICE_STATUS_WORDS } from "../../shared/words";
import { type CatalogService, SET_SERVICE_STATUS } from "../admin-queries";
import { useSubmit } from "../form-state";

const STATUSES = Object.values(ServiceStatus);

/** One service: its status in words, and what this person may do with it. */
export function CatalogServiceRow({
  service,
  canSetStatus,
  canEdit,
  onChanged,
  onEdit,
  onHistory,
}: {
  service: CatalogService;
  canSetStatus: boolean;
  canEdit: boolean;
  onChanged: (service: CatalogService) => void;
  onEdit: () => void;
  onHistory: () => void;
}) {
  return (
    <li
      className="service-row"
      data-testid={`catalog-service-${service.slug}`}
      data-status={service.status}
      data-version={service.version}
    >
      <div className="service-row-head">
        <div className="service-name">
          <span>{service.name}</span>
          {service.description && <span className="service-description">{service.description}</span>}
          <span className="service-description">
            <code>{service.slug}</code> · updated <Time iso={service.updatedAt} relativeOnly />
          </span>
        </div>
        <span data-testid="service-status">
          <StatusLabel tone={SERVICE_STATUS_TONE[service.status]}>
            {SERVICE_STATUS_WORDS[service.status]}
          </StatusLabel>
        </span>
      </div>
      <div className="service-row-controls">
        {canSetStatus && <StatusPicker service={service} onChanged={onChanged} />}
        <div className="service-row-buttons">
          {canEdit && (
            <button
              type="button"
              className="button button-small"
              onClick={onEdit}
              aria-label={`Edit ${service.name}`}
            >
              Edit
            </button>
          )}
          <button
            type="button"
            className="button button-small"
            onClick={onHistory}
            aria-label={`History of ${service.name}`}
          >
            History
          </button>
        </div>
      </div>
    </li>
  );
}

/**
 * Pick a status, then "Set status": a deliberate step, so arrowing through the options with the
 * keyboard does not publish every status on the way.
 */
export function StatusPicker({
  service,
  onChanged,
}: {
  service: Pick<CatalogService, "id" | "name" | "status">;
  onChanged: (service: CatalogService) => void;
}) {
  const [picked, setPicked] = useState<ServiceStatus | null>(null);
  const { busy, error, setError, run } = useSubmit();
  const selectId = useId();
  const value = picked ?? service.status;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (value === service.status) return;
    void run(async () => {
      const { setServiceStatus } = await mutate(SET_SERVICE_STATUS, {
        serviceId: service.id,
        status: value,
      });
      setPicked(null);
      onChanged(setServiceStatus);
    });
  };

  return (
    <form className="status-picker" onSubmit={submit}>
      <label htmlFor={selectId} className="sr-only">
        Status of {service.name}
      </label>
      <select
        id={selectId}
        value={value}
        onChange={(e) => {
          setError(null);
          setPicked(e.target.value as ServiceStatus);
        }}
        data-testid="status-select"
      >
        {STATUSES.map((s) => (
          <option key={s} value={s}>
            {SERVICE_STATUS_WORDS[s]}
          </option>
        ))}
      </select>
      <button
        type="submit"
        className="button button-small button-primary"
        aria-disabled={busy || value === service.status || undefined}
      >
        {busy ? "Setting…" : "Set status"}
      </button>
      {error && (
        <p className="form-error small" role="alert" data-testid="status-error">
          {error.message}
        </p>
      )}
    </form>
  );
}
