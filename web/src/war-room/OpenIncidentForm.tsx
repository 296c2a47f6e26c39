import { type FormEvent, useEffect, useState } from "react";
import { Impact, Urgency } from "../../../server/domain/vocabulary";
import type { ResultOf } from "../graphql";
import { mutate, query } from "../graphql-client";
import { Modal } from "../shared/Modal";
import { humanize } from "../shared/words";
import { type Catalog, categoryOptions } from "./catalog";
import { useSubmit } from "./form-state";
import { FormError } from "./ModalForm";
import type { Incident } from "./queries";
import { KNOWN_ERRORS_QUERY, OPEN_FOLLOW_UP, OPEN_INCIDENT } from "./queries";
import { type ImpactChoice, impactsOf, ServiceImpactPicker } from "./ServiceImpactPicker";

const LEVELS = [Impact.HIGH, Impact.MEDIUM, Impact.LOW] as const;

type KnownError = ResultOf<typeof KNOWN_ERRORS_QUERY>["knownErrors"][number];

/** Known errors recorded for incidents on the chosen services: the workaround may help at once. */
function useKnownErrors(serviceIds: string[]): KnownError[] {
  const [found, setFound] = useState<KnownError[]>([]);
  const key = [...serviceIds].sort().join(",");
  useEffect(() => {
    if (!key) {
      setFound([]);
      return;
    }
    let current = true;
    query(KNOWN_ERRORS_QUERY, { serviceIds: key.split(",") })
      .then((d) => current && setFound(d.knownErrors))
      .catch(() => current && setFound([]));
    return () => {
      current = false;
    };
  }, [key]);
  return found;
}

/** "Open incident" (or, with `previous`, a follow-up of a closed one). */
export function OpenIncidentForm({
  catalog,
  previous,
  canPublish = true,
  onClose,
  onOpened,
}: {
  catalog: Catalog;
  previous?: { id: string; number: string; title: string };
  /** May this person put it on the status page (the `publish` permission)? */
  canPublish?: boolean;
  onClose: () => void;
  onOpened: (incident: Incident) => void;
}) {
  const [title, setTitle] = useState(previous ? `Follow-up: ${previous.title}` : "");
  const [description, setDescription] = useState("");
  const [impact, setImpact] = useState<Impact>(Impact.MEDIUM);
  const [urgency, setUrgency] = useState<Urgency>(Urgency.MEDIUM);
  const [serviceIds, setServiceIds] = useState<string[]>([]);
  const [isPublic, setPublic] = useState(false);
  const [categoryId, setCategoryId] = useState("");
  const [requester, setRequester] = useState({ name: "", email: "", phone: "", organization: "" });
  const [publicTitle, setPublicTitle] = useState("");
  const [impacts, setImpacts] = useState<ImpactChoice>({});
  const { busy, error, run } = useSubmit();
  const affected = catalog.services.filter((s) => serviceIds.includes(s.id));
  const knownErrors = useKnownErrors(serviceIds);
  const categories = categoryOptions(catalog);
  const setRequesterField = (field: keyof typeof requester, value: string) =>
    setRequester((r) => ({ ...r, [field]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const input = {
      title: title.trim(),
      description: description.trim(),
      impact,
      urgency,
      serviceIds,
      public: canPublish && isPublic,
      categoryId: categoryId || null,
      requester: requester.name.trim()
        ? {
            name: requester.name.trim(),
            email: requester.email.trim() || null,
            phone: requester.phone.trim() || null,
            organization: requester.organization.trim() || null,
          }
        : null,
      // Public wording and service impacts only mean something on the status page.
      ...(isPublic
        ? {
            publicTitle: publicTitle.trim() || null,
            serviceImpacts: impactsOf(impacts).filter((i) => serviceIds.includes(i.serviceId)),
          }
        : {}),
    };
    void run(async () => {
      const incident = previous
        ? (await mutate(OPEN_FOLLOW_UP, { previousId: previous.id, input })).openFollowUpIncident
        : (await mutate(OPEN_INCIDENT, { input })).openIncident;
      onOpened(incident);
    });
  };

  return (
    <Modal
      title={previous ? `Open follow-up to ${previous.number}` : "Open incident"}
      onClose={onClose}
      testId="open-incident-dialog"
      wide
    >
      <form onSubmit={submit} className="form">
        <label className="field">
          <span className="field-label">Title</span>
          <input required value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} />
        </label>
        <label className="field">
          <span className="field-label">Description</span>
          <textarea required rows={4} value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <div className="field-row">
          <label className="field">
            <span className="field-label">Impact</span>
            <select value={impact} onChange={(e) => setImpact(e.target.value as Impact)}>
              {LEVELS.map((l) => (
                <option key={l} value={l}>
                  {humanize(l)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">Urgency</span>
            <select value={urgency} onChange={(e) => setUrgency(e.target.value as Urgency)}>
              {LEVELS.map((l) => (
                <option key={l} value={l}>
                  {humanize(l)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <p className="muted small">
          Priority is derived from impact × urgency (high × high is P1, a major incident).
        </p>
        {catalog.services.length > 0 && (
          <fieldset className="field">
            <legend className="field-label">Affected services</legend>
            <div className="checkbox-grid">
              {catalog.services.map((s) => (
                <label key={s.id} className="checkbox">
                  <input
                    type="checkbox"
                    checked={serviceIds.includes(s.id)}
                    onChange={(e) =>
                      setServiceIds((ids) =>
                        e.target.checked ? [...ids, s.id] : ids.filter((id) => id !== s.id),
                      )
                    }
                  />
                  {s.name}
                </label>
              ))}
            </div>
          </fieldset>
        )}
        {knownErrors.map((k) => (
          <p key={k.id} className="notice notice-warning" data-testid={`open-known-error-${k.number}`}>
            <strong>Known error {k.number}</strong> {k.title}: workaround{" "}
            {k.workaround ?? "not documented yet"}
          </p>
        ))}
        {categories.length > 0 && (
          <label className="field">
            <span className="field-label">Category</span>
            <select value={categoryId} onChange={(e) => setCategoryId(e.target.value)}>
              <option value="">Not classified yet</option>
              {categories.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
            <span className="field-help">Resolving needs a category; it can be set later.</span>
          </label>
        )}
        <fieldset className="field">
          <legend className="field-label">Requester (who reported it)</legend>
          <div className="field-row">
            <label className="field">
              <span className="field-label">Name</span>
              <input value={requester.name} onChange={(e) => setRequesterField("name", e.target.value)} />
            </label>
            <label className="field">
              <span className="field-label">Organization</span>
              <input
                value={requester.organization}
                onChange={(e) => setRequesterField("organization", e.target.value)}
              />
            </label>
            <label className="field">
              <span className="field-label">Email</span>
              <input
                type="email"
                value={requester.email}
                onChange={(e) => setRequesterField("email", e.target.value)}
              />
            </label>
            <label className="field">
              <span className="field-label">Phone</span>
              <input
                type="tel"
                value={requester.phone}
                onChange={(e) => setRequesterField("phone", e.target.value)}
              />
            </label>
          </div>
        </fieldset>
        {canPublish ? (
          <label className="checkbox">
            <input type="checkbox" checked={isPublic} onChange={(e) => setPublic(e.target.checked)} />
            Show on the public status page
          </label>
        ) : (
          <p className="muted small" data-testid="publish-hint">
            An incident manager decides what goes on the public status page.
          </p>
        )}
        {canPublish && isPublic && (
          <>
            <label className="field">
              <span className="field-label">Public title (what customers see)</span>
              <input
                value={publicTitle}
                onChange={(e) => setPublicTitle(e.target.value)}
                maxLength={200}
                placeholder={title || "e.g. Checkout is failing for some customers"}
              />
              <span className="field-help">Leave empty to show the title above.</span>
            </label>
            <ServiceImpactPicker services={affected} value={impacts} onChange={setImpacts} />
          </>
        )}
        <FormError error={error?.message} />
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            Back
          </button>
          <button type="submit" className="button button-primary" disabled={busy}>
            {previous ? "Open follow-up" : "Open incident"}
          </button>
        </div>
      </form>
    </Modal>
  );
}
