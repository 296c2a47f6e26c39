import { type FormEvent, useEffect, useId, useState } from "react";
import { ServiceStatus } from "../../../server/domain/vocabulary";
import type { ResultOf } from "../graphql";
import { mutate, query } from "../graphql-client";
import { useDocumentTitle } from "../shared/hooks";
import { Modal } from "../shared/Modal";
import { StatusLabel } from "../shared/StatusIcon";
import { Time } from "../shared/Time";
import { useLiveQuery } from "../shared/useLiveQuery";
import { SERVICE_STATUS_TONE, SERVICE_STATUS_WORDS } from "../shared/words";
import { groupServices, worstStatus } from "../status-page/status-state";
import type { CatalogService } from "./admin-queries";
import {
  CATALOG_SERVICES_QUERY,
  CREATE_SERVICE,
  SERVICE_CATALOG_CHANGED,
  SERVICE_HISTORY_QUERY,
  SET_SERVICE_STATUS,
  UPDATE_SERVICE,
  VERIFY_SERVICE_HISTORY,
} from "./admin-queries";
import { type Catalog, refreshCatalog } from "./catalog";
import { type Actor, mayDo } from "./commands";
import { FormField } from "./FormField";
import { ChangeHistory } from "./HistoryView";
import { ModalForm, useSubmit } from "./ModalForm";
import { SEQ_QUERY } from "./queries";
import {
  applyServiceEvent,
  createInput,
  formValuesOf,
  groupNames,
  type ServiceCatalogEvent,
  type ServiceFormValues,
  sortServices,
  updateInput,
  upsertService,
} from "./services-state";

const STATUSES = Object.values(ServiceStatus);

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

/** Add a service (no `service`) or edit one, with the version the admin was looking at. */
export function ServiceForm({
  service,
  groups,
  onClose,
  onSaved,
}: {
  service?: CatalogService;
  groups: string[];
  onClose: () => void;
  onSaved: (service: CatalogService) => void;
}) {
  const editing = Boolean(service);
  // What the form opened with: the edit sends only what differs, with this version.
  const [base, setBase] = useState(() => ({ version: service?.version ?? 0, values: formValuesOf(service) }));
  const [values, setValues] = useState<ServiceFormValues>(base.values);
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  const { busy, error, run } = useSubmit();
  const groupListId = useId();

  // After a conflict, rebase on the service as it is now: untouched fields take the new values.
  // biome-ignore lint/correctness/useExhaustiveDependencies: rebase when the live service moves on
  useEffect(() => {
    if (!service || error?.code !== "CONFLICT" || service.version === base.version) return;
    const fresh = formValuesOf(service);
    setBase({ version: service.version, values: fresh });
    setValues((old) => {
      const next = { ...old };
      for (const key of Object.keys(fresh) as (keyof ServiceFormValues)[])
        if (!touched.has(key)) next[key] = fresh[key];
      return next;
    });
  }, [service?.version, error?.code]);

  const set = (key: keyof ServiceFormValues, value: string) => {
    setTouched((old) => new Set(old).add(key));
    setValues((old) => ({ ...old, [key]: value }));
  };

  const submit = () =>
    run(async () => {
      if (service) {
        const input = updateInput(base.values, values);
        if (Object.keys(input).length === 0) {
          onClose();
          return;
        }
        const { updateService } = await mutate(UPDATE_SERVICE, {
          id: service.id,
          input,
          expectedVersion: base.version,
        });
        onSaved(updateService);
      } else {
        const { createService } = await mutate(CREATE_SERVICE, {
          input: createInput(values),
        });
        onSaved(createService);
      }
    });

  const field = (key: keyof ServiceFormValues, label: string, help?: string, extra?: object) => (
    <FormField label={label} help={help}>
      {(control) => (
        <input
          type="text"
          value={values[key]}
          onChange={(e) => set(key, e.target.value)}
          data-testid={`service-form-${key}`}
          {...control}
          {...extra}
        />
      )}
    </FormField>
  );

  return (
    <ModalForm
      title={service ? `Edit ${service.name}` : "Add service"}
      testId={editing ? "edit-service-dialog" : "add-service-dialog"}
      onClose={onClose}
      onSubmit={submit}
      busy={busy}
      error={error?.code === "CONFLICT" ? null : error?.message}
      errorTestId="service-form-error"
      submitLabel={service ? "Save changes" : "Add service"}
    >
      {field("name", "Name", undefined, { required: true, maxLength: 200 })}
      {field(
        "slug",
        editing ? "Slug" : "Slug (optional)",
        editing
          ? "Changing it changes the service's id in the public JSON feed."
          : "Lowercase letters, digits and dashes; defaults to a slug of the name.",
        { maxLength: 64, required: editing, spellCheck: false },
      )}
      <div className="field-row">
        {field("group", "Group", "Services with the same group are shown together.", {
          list: groupListId,
          maxLength: 200,
        })}
        {editing &&
          field("position", "Position", "Display order, ascending.", {
            inputMode: "numeric",
            pattern: "[0-9]*",
          })}
      </div>
      <datalist id={groupListId}>
        {groups.map((g) => (
          <option key={g} value={g} />
        ))}
      </datalist>
      <label className="field">
        <span className="field-label">Description (optional)</span>
        <textarea
          rows={2}
          maxLength={2000}
          value={values.description}
          onChange={(e) => set("description", e.target.value)}
          data-testid="service-form-description"
        />
      </label>
      {error?.code === "CONFLICT" && (
        <div className="notice notice-warning" role="alert" data-testid="service-conflict">
          <strong>Someone else changed this service while you were editing it.</strong> The form now shows
          their version, with your edits kept; check it and save again.
          <div className="small muted">Server: {error.message}</div>
        </div>
      )}
    </ModalForm>
  );
}

/** A service's append-only change history, and a check of its hash chain. */
export function ServiceHistory({
  service,
  catalog,
  onClose,
}: {
  service: CatalogService;
  catalog: Catalog;
  onClose: () => void;
}) {
  return (
    <Modal title={`History of ${service.name}`} onClose={onClose} testId="service-history-dialog" wide>
      <ChangeHistory
        reloadKey={`${service.id}:${service.version}`}
        catalog={catalog}
        testId="service-history"
        recordTestIdPrefix="service-history-v"
        load={async () =>
          (
            await query(SERVICE_HISTORY_QUERY, {
              id: service.id,
            })
          ).service?.history ?? null
        }
        verify={async () =>
          (
            await query(VERIFY_SERVICE_HISTORY, {
              id: service.id,
            })
          ).verifyServiceHistory
        }
      />
    </Modal>
  );
}
