import { IMPACT_STATUSES } from "../../../server/domain/public-story";
import { ServiceStatus } from "../../../server/domain/vocabulary";
import { SERVICE_STATUS_WORDS } from "../shared/words";

/** What the incident does to each service: "" or OPERATIONAL means not affected. */
export type ImpactChoice = Record<string, ServiceStatus | "">;

export const IMPACT_OPTIONS = [
  { value: ServiceStatus.OPERATIONAL, label: "Not affected (Operational)" },
  ...IMPACT_STATUSES.map((s) => ({ value: s, label: SERVICE_STATUS_WORDS[s] })),
];

/** The impacts worth sending: the services this incident puts in an outage. */
export function impactsOf(choice: ImpactChoice): { serviceId: string; status: ServiceStatus }[] {
  return Object.entries(choice)
    .filter(([, s]) => s !== "" && s !== ServiceStatus.OPERATIONAL)
    .map(([serviceId, status]) => ({ serviceId, status: status as ServiceStatus }));
}

/**
 * Statuspage's component picker: each affected service's status on the status page while the
 * incident lasts. The services change in the same command that opens or updates the incident.
 */
export function ServiceImpactPicker({
  services,
  value,
  onChange,
}: {
  services: { id: string; name: string }[];
  value: ImpactChoice;
  onChange: (next: ImpactChoice) => void;
}) {
  if (services.length === 0) return null;
  return (
    <fieldset className="field impact-picker" data-testid="service-impacts">
      <legend className="field-label">How the status page shows each affected service</legend>
      {services.map((s) => (
        <label key={s.id} className="impact-row">
          <span>{s.name}</span>
          <select
            aria-label={`${s.name} on the status page`}
            value={value[s.id] || ServiceStatus.OPERATIONAL}
            onChange={(e) => onChange({ ...value, [s.id]: e.target.value as ServiceStatus })}
          >
            {IMPACT_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
      ))}
      <span className="field-help">
        Set when you open or update the incident; resolving it sets them back to Operational.
      </span>
    </fieldset>
  );
}
