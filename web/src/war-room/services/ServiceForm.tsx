import { useEffect, useId, useState } from "react";
import { mutate } from "../../graphql-client";
import { type CatalogService, CREATE_SERVICE, UPDATE_SERVICE } from "../admin-queries";
import { FormField } from "../FormField";
import { useEditedValues, useSubmit } from "../form-state";
import { ModalForm } from "../ModalForm";
import { createInput, formValuesOf, type ServiceFormValues, updateInput } from "../services-state";

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
  const { values, edit, rebase } = useEditedValues<ServiceFormValues>(base.values);
  const { busy, error, run } = useSubmit();
  const groupListId = useId();

  // After a conflict, rebase on the service as it is now: untouched fields take the new values.
  // biome-ignore lint/correctness/useExhaustiveDependencies: rebase when the live service moves on
  useEffect(() => {
    if (!service || error?.code !== "CONFLICT" || service.version === base.version) return;
    const fresh = formValuesOf(service);
    setBase({ version: service.version, values: fresh });
    rebase(fresh);
  }, [service?.version, error?.code]);

  const set = (key: keyof ServiceFormValues, value: string) => edit(key, value);

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
