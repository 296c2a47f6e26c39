import { type FormEvent, useState } from "react";
import { toRequestError } from "../graphql-client";
import { Modal } from "../shared/Modal";
import type { Incident, TimelineEntry } from "../shared/types";
import { ACTION_FORMS, type FieldSpec, initialValues, type Values } from "./action-forms";
import type { Catalog } from "./catalog";
import { commandLabel, type IncidentCommand } from "./commands";

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
 * Asks for what the rule requires and calls the mutation with the version on screen. A refusal is
 * shown verbatim; on CONFLICT the incident is reloaded and the user can check and retry.
 */
export function ActionDialog({
  command,
  incident,
  catalog,
  onClose,
  onDone,
  onConflict,
}: {
  command: IncidentCommand;
  incident: Incident;
  catalog: Catalog;
  onClose: () => void;
  onDone: (result: { incident?: Incident; entry?: TimelineEntry }) => void;
  onConflict: () => void;
}) {
  const spec = ACTION_FORMS[command];
  const [values, setValues] = useState<Values>(() => (spec ? initialValues(spec, incident) : {}));
  const [error, setError] = useState<{ message: string; code: string } | null>(null);
  const [busy, setBusy] = useState(false);
  if (!spec) return null;
  const label = commandLabel(command);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await spec.run(incident, values);
      onDone(result);
    } catch (e) {
      const err = toRequestError(e);
      setError({ message: err.message, code: err.code });
      if (err.code === "CONFLICT") onConflict();
      setBusy(false);
    }
  };

  return (
    <Modal title={`${label} · ${incident.number}`} onClose={onClose} testId={`action-dialog-${command}`}>
      <form className="form" onSubmit={submit}>
        <p className="muted">{spec.intro}</p>
        {spec.fields(incident, catalog, values).map((field) => (
          <Field
            key={field.name}
            field={field}
            value={values[field.name]}
            onChange={(v) => setValues((old) => ({ ...old, [field.name]: v }))}
          />
        ))}
        {error?.code === "CONFLICT" && (
          <div className="notice notice-warning" role="alert" data-testid="conflict-notice">
            <strong>This incident changed while you were looking at it.</strong> It has been reloaded (now
            version {incident.version}); check the header and timeline, then try again.
            <div className="small muted">Server: {error.message}</div>
          </div>
        )}
        {error && error.code !== "CONFLICT" && (
          <p className="form-error" role="alert" data-testid="action-error">
            {error.message}
          </p>
        )}
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            Back
          </button>
          <button type="submit" className="button button-primary" disabled={busy} data-testid="action-submit">
            {error?.code === "CONFLICT" ? `Retry: ${spec.submitLabel ?? label}` : (spec.submitLabel ?? label)}
          </button>
        </div>
      </form>
    </Modal>
  );
}
