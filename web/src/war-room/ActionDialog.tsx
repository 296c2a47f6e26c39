import { type FormEvent, useEffect, useState } from "react";
import { toRequestError } from "../graphql-client";
import { Modal } from "../shared/Modal";
import { absoluteTime } from "../shared/time";
import { STATE_WORDS } from "../shared/words";
import { ACTION_FORMS, type FieldSpec, initialValues, type Values } from "./action-forms";
import { ConflictNotice, useChangesSince } from "./ConflictNotice";
import { type Catalog, refreshCatalog } from "./catalog";
import { type Actor, allowedCommands, commandLabel, type IncidentCommand } from "./commands";
import { useEditedValues, useSubmit } from "./form-state";
import type { Incident, TimelineEntry } from "./queries";

function Field({
  field,
  value,
  onChange,
}: {
  field: FieldSpec;
  value: Values[string] | undefined;
  onChange: (v: Values[string]) => void;
}) {
  const help = field.help && <span className="field-help">{field.help}</span>;
  switch (field.kind) {
    case "checkbox":
      return (
        <label className="checkbox">
          <input type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />
          {field.label}
        </label>
      );
    case "multi": {
      const selected = Array.isArray(value) ? value : [];
      return (
        <fieldset className="field">
          <legend className="field-label">{field.label}</legend>
          <div className="checkbox-grid">
            {(field.options ?? []).map((o) => (
              <label key={o.value} className="checkbox">
                <input
                  type="checkbox"
                  checked={selected.includes(o.value)}
                  onChange={(e) =>
                    onChange(
                      e.target.checked ? [...selected, o.value] : selected.filter((s) => s !== o.value),
                    )
                  }
                />
                {o.label}
              </label>
            ))}
          </div>
        </fieldset>
      );
    }
    case "select":
      return (
        <label className="field">
          <span className="field-label">{field.label}</span>
          <select
            value={typeof value === "string" ? value : ""}
            required={field.required}
            onChange={(e) => onChange(e.target.value)}
          >
            {(field.options ?? []).map((o) => (
              <option key={o.value} value={o.value} disabled={field.required && o.value === ""}>
                {o.label}
              </option>
            ))}
          </select>
          {help}
        </label>
      );
    case "textarea":
      return (
        <label className="field">
          <span className="field-label">{field.label}</span>
          <textarea
            rows={3}
            required={field.required}
            value={typeof value === "string" ? value : ""}
            onChange={(e) => onChange(e.target.value)}
          />
          {help}
        </label>
      );
    default:
      return (
        <label className="field">
          <span className="field-label">{field.label}</span>
          <input
            type={field.kind === "datetime" ? "datetime-local" : "text"}
            required={field.required}
            value={typeof value === "string" ? value : ""}
            onChange={(e) => onChange(e.target.value)}
          />
          {help}
        </label>
      );
  }
}

/**
 * Asks for what the rule requires and calls the mutation with the version the user was looking at
 * when the form opened (not a version that moved underneath them while it was open: that would
 * silently overwrite someone else's change). A refusal is shown verbatim; on CONFLICT the incident is
 * reloaded, the form shows what changed meanwhile, and the user can check and retry.
 */
export function ActionDialog({
  command,
  incident,
  catalog,
  actor = null,
  canPublish = true,
  onClose,
  onDone,
  onConflict,
}: {
  command: IncidentCommand;
  incident: Incident;
  catalog: Catalog;
  /** Who acts: after a change underneath, the dialog re-reads what they may still do. */
  actor?: Actor | null;
  /** May this person change what the status page shows (the `publish` permission)? */
  canPublish?: boolean;
  onClose: () => void;
  onDone: (result: { incident?: Incident; entry?: TimelineEntry }) => void;
  onConflict: () => void;
}) {
  const spec = ACTION_FORMS[command];
  // Fields the user edited keep their values after a conflict; the others take the reloaded ones.
  const { values, edit, rebase } = useEditedValues<Values>(() => (spec ? initialValues(spec, incident) : {}));
  const { busy, error, run } = useSubmit();
  // The version this form acts on: the one on screen when it opened, then the one the conflict showed.
  const [baseVersion, setBaseVersion] = useState(incident.version);
  // After a conflict: the version the user had seen, so the form can show what changed since.
  const [staleVersion, setStaleVersion] = useState<number | null>(null);
  // What changed since the version the user acted on, live while the form is open (the conflict
  // notice lists them itself after a conflict).
  const changes = useChangesSince(
    incident.id,
    staleVersion ?? (incident.version !== baseVersion ? baseVersion : null),
    incident.version,
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: rebase once the reloaded incident arrives
  useEffect(() => {
    if (!spec || staleVersion === null || incident.version !== baseVersion) return;
    rebase(initialValues(spec, incident));
  }, [incident.version, baseVersion, staleVersion]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: once, when the form opens
  useEffect(() => {
    if (spec?.refreshCatalog) refreshCatalog();
  }, []);

  if (!spec) return null;
  const label = commandLabel(command);
  // Re-planned from the incident as it is now (it follows the room live): a retry that cannot work
  // is not offered.
  const stillAllowed = allowedCommands(incident, actor).includes(command);
  const changedUnderneath = incident.version !== baseVersion && staleVersion === null;
  const latest = changes?.at(-1);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      try {
        onDone(await spec.run({ ...incident, version: baseVersion }, values));
      } catch (e) {
        const refusal = toRequestError(e);
        if (refusal.code === "CONFLICT") {
          const current = Number(refusal.extensions.currentVersion);
          setStaleVersion(baseVersion);
          setBaseVersion(Number.isInteger(current) ? current : incident.version);
          onConflict();
        }
        throw refusal;
      }
    });
  };

  return (
    <Modal title={`${label} · ${incident.number}`} onClose={onClose} testId={`action-dialog-${command}`}>
      <form className="form" onSubmit={submit}>
        <p className="muted">{spec.intro}</p>
        {spec.fields(incident, catalog, values, { canPublish }).map((field) => (
          <Field
            key={field.name}
            field={field}
            value={values[field.name]}
            onChange={(v) => edit(field.name, v)}
          />
        ))}
        {!stillAllowed && (
          <div className="notice notice-warning" role="alert" data-testid="action-no-longer-applies">
            <strong>
              {latest
                ? `${latest.authorName}: ${latest.description} (${absoluteTime(latest.at)})`
                : "This incident changed"}{" "}
              — “{label}” no longer applies.
            </strong>{" "}
            It is {STATE_WORDS[incident.state].toLowerCase()} now. Close this dialog and pick from the actions
            the room offers.
          </div>
        )}
        {stillAllowed && changedUnderneath && (
          <p className="notice notice-warning small" role="status" data-testid="action-changed-underneath">
            Someone changed this incident while this dialog was open. If you go ahead, you will see their
            change first.
          </p>
        )}
        {stillAllowed && error?.code === "CONFLICT" && (
          <ConflictNotice
            incidentId={incident.id}
            staleVersion={staleVersion}
            baseVersion={baseVersion}
            version={incident.version}
            catalog={catalog}
            message={error.message}
          />
        )}
        {error && error.code !== "CONFLICT" && (
          <p className="form-error" role="alert" data-testid="action-error">
            {error.message}
          </p>
        )}
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            {stillAllowed ? "Back" : "Close"}
          </button>
          {stillAllowed && (
            <button
              type="submit"
              className="button button-primary"
              disabled={busy}
              data-testid="action-submit"
            >
              {error?.code === "CONFLICT"
                ? `Retry: ${spec.submitLabel ?? label}`
                : (spec.submitLabel ?? label)}
            </button>
          )}
        </div>
      </form>
    </Modal>
  );
}
