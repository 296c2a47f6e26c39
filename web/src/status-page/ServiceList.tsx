import { StatusLabel } from "../shared/StatusIcon";
import { SERVICE_STATUS_TONE, SERVICE_STATUS_WORDS } from "../shared/words";
import type { Service } from "./queries";
import { groupServices, worstStatus } from "./status-state";
import { UptimeBars } from "./UptimeBars";

export function ServiceRow({ service }: { service: Service }) {
  return (
    <li className="service-row" data-testid={`service-${service.slug}`} data-status={service.status}>
      <div className="service-row-head">
        <div className="service-name">
          <span>{service.name}</span>
          {service.description && <span className="service-description">{service.description}</span>}
        </div>
        <StatusLabel tone={SERVICE_STATUS_TONE[service.status]}>
          {SERVICE_STATUS_WORDS[service.status]}
        </StatusLabel>
      </div>
      {service.uptime && service.uptime.length > 0 && (
        <UptimeBars serviceName={service.name} days={service.uptime} />
      )}
    </li>
  );
}

/** Services grouped by `group`; each group shows its worst status too. */
export function ServiceList({ services }: { services: Service[] }) {
  const groups = groupServices(services);
  if (services.length === 0) return <p className="empty">No services are listed yet.</p>;
  return (
    <div className="service-groups">
      {groups.map((group) => {
        const headingId = `group-${(group.name ?? "ungrouped").replace(/\W+/g, "-").toLowerCase()}`;
        const worst = worstStatus(group.services);
        return (
          <section
            key={group.name ?? ""}
            className="card service-group"
            aria-labelledby={group.name ? headingId : undefined}
            aria-label={group.name ? undefined : "Services"}
            data-testid={`service-group-${group.name ?? "ungrouped"}`}
          >
            {group.name && (
              <div className="service-group-head">
                <h3 id={headingId}>{group.name}</h3>
                <StatusLabel tone={SERVICE_STATUS_TONE[worst]}>{SERVICE_STATUS_WORDS[worst]}</StatusLabel>
              </div>
            )}
            <ul className="service-rows">
              {group.services.map((service) => (
                <ServiceRow key={service.id} service={service} />
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
