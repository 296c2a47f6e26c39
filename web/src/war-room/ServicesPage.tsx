import { useState } from "react";
import type { ResultOf } from "../graphql";
import { query } from "../graphql-client";
import { useDocumentTitle } from "../shared/hooks";
import { StatusLabel } from "../shared/StatusIcon";
import { useLiveQuery } from "../shared/useLiveQuery";
import { SERVICE_STATUS_TONE, SERVICE_STATUS_WORDS } from "../shared/words";
import { groupServices, worstStatus } from "../status-page/status-state";
import type { CatalogService } from "./admin-queries";
import { CATALOG_SERVICES_QUERY, SERVICE_CATALOG_CHANGED } from "./admin-queries";
import { type Catalog, refreshCatalog } from "./catalog";
import { type Actor, mayDo } from "./commands";
import { SEQ_QUERY } from "./queries";
import { CatalogServiceRow } from "./services/CatalogServiceRow";
import { ServiceForm } from "./services/ServiceForm";
import { ServiceHistory } from "./services/ServiceHistory";
import {
  applyServiceEvent,
  groupNames,
  type ServiceCatalogEvent,
  sortServices,
  upsertService,
} from "./services-state";

// The page's parts live in services/, one file each, as the Admin page's sections live in admin/.
export { CatalogServiceRow, StatusPicker } from "./services/CatalogServiceRow";
export { ServiceForm } from "./services/ServiceForm";
export { ServiceHistory } from "./services/ServiceHistory";

/** The service catalog, live: status for incident managers, catalog edits for admins, read-only for others. */
export function ServicesPage({ actor, catalog }: { actor: Actor; catalog: Catalog }) {
  useDocumentTitle("Services · Beacon war room");
  const canSetStatus = mayDo(actor, "setServiceStatus");
  const canCreate = mayDo(actor, "createService");
  const canEdit = mayDo(actor, "updateService");
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [historyOf, setHistoryOf] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");

  const live = useLiveQuery<CatalogService[], ServiceCatalogEvent, ResultOf<typeof SERVICE_CATALOG_CHANGED>>(
    "war-room-services",
    {
      load: async () => {
        // The seq first: a replay from an older seq is harmless (versions decide), a gap is not.
        const { statusSummary } = await query(SEQ_QUERY);
        const { services } = await query(CATALOG_SERVICES_QUERY);
        return { snapshot: sortServices(services), seq: statusSummary.seq };
      },
      subscription: SERVICE_CATALOG_CHANGED,
      eventOf: (data) => data.statusChanged,
      seqOf: (event) => event.seq,
      apply: (services, event) => {
        if (event.service && event.kind === "SERVICE_STATUS_CHANGED")
          setAnnouncement(`${event.service.name}: ${SERVICE_STATUS_WORDS[event.service.status]}`);
        return applyServiceEvent(services, event);
      },
    },
  );

  const services = live.data;
  const applyService = (service: CatalogService) => live.update((list) => upsertService(list, service));
  const editingService = services?.find((s) => s.id === editing);
  const historyService = services?.find((s) => s.id === historyOf);

  return (
    <>
      <div className="page-head">
        <h1 className="page-title">Services</h1>
        {canCreate && (
          <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
            Add service
          </button>
        )}
      </div>
      <p className="muted small services-intro" data-testid="services-permissions">
        {canSetStatus
          ? "Changing a status publishes it on the public status page at once, and documents it in the service's history."
          : "Read-only: only incident managers and admins can change a service's status."}
      </p>
      <div className="sr-only" aria-live="polite" aria-atomic="true">
        {announcement}
      </div>

      {live.error && (
        <p className="notice notice-error" role="alert">
          {live.error.message}
        </p>
      )}
      <section aria-labelledby="service-catalog-title" aria-busy={!services}>
        <h2 id="service-catalog-title" className="sr-only">
          Service catalog
        </h2>
        {!services && !live.error && <div className="card skeleton" style={{ height: 280 }} />}
        {services && services.length === 0 && (
          <p className="card empty">
            No services yet.{canCreate ? " Add the first one: it appears on the public status page." : ""}
          </p>
        )}
        {services && services.length > 0 && (
          <div className="service-groups" data-testid="service-catalog">
            {groupServices(services).map((group) => {
              const headingId = `catalog-group-${(group.name ?? "ungrouped").replace(/\W+/g, "-").toLowerCase()}`;
              const worst = worstStatus(group.services);
              return (
                <section
                  key={group.name ?? ""}
                  className="card service-group"
                  aria-labelledby={headingId}
                  data-testid={`catalog-group-${group.name ?? "ungrouped"}`}
                >
                  <div className="service-group-head">
                    <h3 id={headingId}>{group.name ?? "Ungrouped"}</h3>
                    <StatusLabel tone={SERVICE_STATUS_TONE[worst]}>{SERVICE_STATUS_WORDS[worst]}</StatusLabel>
                  </div>
                  <ul className="service-rows">
                    {(group.services as CatalogService[]).map((service) => (
                      <CatalogServiceRow
                        key={service.id}
                        service={service}
                        canSetStatus={canSetStatus}
                        canEdit={canEdit}
                        onChanged={applyService}
                        onEdit={() => setEditing(service.id)}
                        onHistory={() => setHistoryOf(service.id)}
                      />
                    ))}
                  </ul>
                </section>
              );
            })}
          </div>
        )}
      </section>

      {adding && (
        <ServiceForm
          groups={groupNames(services ?? [])}
          onClose={() => setAdding(false)}
          onSaved={(service) => {
            applyService(service);
            refreshCatalog();
            setAdding(false);
          }}
        />
      )}
      {editingService && (
        <ServiceForm
          service={editingService}
          groups={groupNames(services ?? [])}
          onClose={() => setEditing(null)}
          onSaved={(service) => {
            applyService(service);
            refreshCatalog();
            setEditing(null);
          }}
        />
      )}
      {historyService && (
        <ServiceHistory service={historyService} catalog={catalog} onClose={() => setHistoryOf(null)} />
      )}
    </>
  );
}
