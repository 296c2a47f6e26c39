import { useState } from "react";
import { Role } from "../../../../server/domain/vocabulary";
import { mutate } from "../../graphql-client";
import { StatusLabel } from "../../shared/StatusIcon";
import { humanize } from "../../shared/words";
import type { ApiKey, Person } from "../admin-queries";
import { CREATE_USER, UPDATE_USER } from "../admin-queries";
import { type ControlProps, FormField } from "../FormField";
import { useSubmit } from "../form-state";
import { ModalForm } from "../ModalForm";
import type { User } from "../queries";
import { ActionsHeader, LoadState, Section } from "./Section";

/** What each role may do, in one line (the permission table in docs/permissions.md is exact). */
export const ROLE_HELP: Record<Role, string> = {
  [Role.AGENT]:
    "Help desk: opens incidents and owns them; updates, assigns to queues, contacts customers, closes.",
  [Role.RESPONDER]:
    "Escalation queue member: acknowledges their queue's incidents and works those assigned to them.",
  [Role.INCIDENT_MANAGER]:
    "Accountable for every incident: any incident action, service status, public updates, queues.",
  [Role.ADMIN]: "Everything, including people, API keys and the service catalog.",
};

const ROLE_ORDER: Role[] = [Role.AGENT, Role.RESPONDER, Role.INCIDENT_MANAGER, Role.ADMIN];

/** Everyone with an account: add, edit, deactivate and reactivate (admins only). */
export function PeopleSection({
  users,
  error,
  self,
  apiKeys,
  onChanged,
}: {
  users: Person[] | null;
  error: string | null;
  self: Pick<User, "id" | "name">;
  /** The API keys, to name those a deactivation stops. */
  apiKeys: ApiKey[];
  onChanged: (user?: Person) => void;
}) {
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<Person | null>(null);
  const [switching, setSwitching] = useState<Person | null>(null);
  const [done, setDone] = useState("");
  return (
    <Section id="people" title="People" actionLabel="Add person" onAction={() => setAdding(true)}>
      <p className="small muted" role="status" data-testid="people-status">
        {done}
      </p>
      <LoadState error={error} loaded={users !== null} what="people" />
      {users && (
        <table className="admin-table" data-testid="people-table">
          <caption className="sr-only">Everyone with an account; inactive people cannot sign in</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <ActionsHeader />
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} data-testid={`person-${u.email}`} data-active={u.active ? "true" : "false"}>
                <th scope="row">
                  {u.name}
                  {u.id === self.id && <span className="muted small"> (you)</span>}
                </th>
                <td>{u.email}</td>
                <td>{humanize(u.role)}</td>
                <td data-testid="person-status">
                  {u.active ? (
                    <StatusLabel tone="ok">Active</StatusLabel>
                  ) : (
                    <StatusLabel tone="neutral">Inactive</StatusLabel>
                  )}
                </td>
                <td>
                  <div className="row-buttons">
                    <button
                      type="button"
                      className="button button-small"
                      aria-label={`Edit ${u.name}`}
                      onClick={() => setEditing(u)}
                    >
                      Edit
                    </button>
                    {/* Nobody can deactivate themselves (the server refuses it): not offered. */}
                    {u.id !== self.id && (
                      <button
                        type="button"
                        className={`button button-small${u.active ? " button-danger" : ""}`}
                        aria-label={`${u.active ? "Deactivate" : "Reactivate"} ${u.name}`}
                        onClick={() => setSwitching(u)}
                      >
                        {u.active ? "Deactivate" : "Reactivate"}
                      </button>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {adding && (
        <CreateUserForm
          onClose={() => setAdding(false)}
          onCreated={(user) => {
            setAdding(false);
            setDone(`Added ${user.name} (${user.email}) as ${humanize(user.role).toLowerCase()}.`);
            onChanged();
          }}
        />
      )}
      {editing && (
        <EditPersonForm
          person={editing}
          isSelf={editing.id === self.id}
          onClose={() => setEditing(null)}
          onSaved={(user) => {
            setEditing(null);
            setDone(`Saved ${user.name}: ${humanize(user.role).toLowerCase()}.`);
            onChanged(user);
          }}
        />
      )}
      {switching && (
        <SetActiveDialog
          person={switching}
          apiKeys={apiKeys.filter((k) => !k.revokedAt && k.user?.id === switching.id)}
          onClose={() => setSwitching(null)}
          onDone={(user) => {
            setSwitching(null);
            setDone(
              user.active
                ? `Reactivated ${user.name}: they can sign in again.`
                : `Deactivated ${user.name}: signed out everywhere, and their API keys stopped working.`,
            );
            onChanged(user);
          }}
        />
      )}
    </Section>
  );
}

/** Rename someone or change their role; only what changed is sent. */
export function EditPersonForm({
  person,
  isSelf,
  onClose,
  onSaved,
}: {
  person: Person;
  isSelf: boolean;
  onClose: () => void;
  onSaved: (user: Person) => void;
}) {
  const [name, setName] = useState(person.name);
  const [role, setRole] = useState<Role>(person.role);
  const { busy, error, run } = useSubmit();

  const submit = () => {
    const input: { name?: string; role?: Role } = {};
    if (name.trim() !== person.name) input.name = name.trim();
    if (role !== person.role) input.role = role;
    if (Object.keys(input).length === 0) {
      onClose();
      return;
    }
    void run(async () => {
      const { updateUser } = await mutate(UPDATE_USER, { id: person.id, input });
      onSaved(updateUser);
    });
  };

  const losesAdmin = isSelf && person.role === Role.ADMIN && role !== Role.ADMIN;
  return (
    <ModalForm
      title={`Edit ${person.name}`}
      testId="edit-person-dialog"
      onClose={onClose}
      onSubmit={submit}
      busy={busy}
      error={error?.message}
      errorTestId="edit-person-error"
      submitLabel="Save changes"
    >
      <FormField label="Name">
        {(control) => (
          <input
            type="text"
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoComplete="off"
            {...control}
          />
        )}
      </FormField>
      <FormField
        label="Role"
        help={
          losesAdmin
            ? `${ROLE_HELP[role]} You are changing your own role: you will no longer be an admin.`
            : ROLE_HELP[role]
        }
      >
        {(control) => <RoleSelect role={role} onChange={setRole} control={control} />}
      </FormField>
      <p className="small muted">Email: {person.email} (it cannot be changed).</p>
    </ModalForm>
  );
}

/** The roles, in order of reach, as a select. */
function RoleSelect({
  role,
  onChange,
  control,
}: {
  role: Role;
  onChange: (role: Role) => void;
  control: ControlProps;
}) {
  return (
    <select value={role} onChange={(e) => onChange(e.target.value as Role)} {...control}>
      {ROLE_ORDER.map((r) => (
        <option key={r} value={r}>
          {humanize(r)}
        </option>
      ))}
    </select>
  );
}

/**
 * Deactivate or reactivate someone, after saying what it does: deactivating signs them out
 * everywhere and stops their API keys; reactivating lets them (and those keys) in again.
 */
export function SetActiveDialog({
  person,
  apiKeys,
  onClose,
  onDone,
}: {
  person: Person;
  /** Unrevoked keys acting as them. */
  apiKeys: ApiKey[];
  onClose: () => void;
  onDone: (user: Person) => void;
}) {
  const { busy, error, run } = useSubmit();
  const deactivating = person.active;

  const submit = () =>
    run(async () => {
      const { updateUser } = await mutate(UPDATE_USER, {
        id: person.id,
        input: { active: !deactivating },
      });
      onDone(updateUser);
    });

  const keyNames = apiKeys.map((k) => `"${k.name}"`).join(", ");
  return (
    <ModalForm
      title={`${deactivating ? "Deactivate" : "Reactivate"} ${person.name}?`}
      testId="set-active-dialog"
      onClose={onClose}
      onSubmit={submit}
      busy={busy}
      error={error?.message}
      errorTestId="set-active-error"
      submitLabel={deactivating ? "Deactivate" : "Reactivate"}
      danger={deactivating}
    >
      {deactivating ? (
        <p>
          {person.name} is <strong>signed out everywhere at once</strong> and cannot sign in until an admin
          reactivates them. <strong>Every API key acting as them stops working</strong>
          {apiKeys.length > 0 ? ` (${keyNames})` : ""}. Their incidents, notes and history stay as they are.
        </p>
      ) : (
        <p>
          {person.name} can sign in again with their current password, and API keys acting as them that were
          not revoked {apiKeys.length > 0 ? `(${keyNames}) ` : ""}work again.
        </p>
      )}
    </ModalForm>
  );
}

export function CreateUserForm({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (user: User) => void;
}) {
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<Role>(Role.AGENT);
  const { busy, error, run } = useSubmit();

  const submit = () =>
    run(async () => {
      const { createUser } = await mutate(CREATE_USER, {
        input: { name, email, password, role },
      });
      onCreated(createUser);
    });

  return (
    <ModalForm
      title="Add person"
      testId="create-user-dialog"
      onClose={onClose}
      onSubmit={submit}
      busy={busy}
      error={error?.message}
      errorTestId="create-user-error"
      submitLabel="Add person"
    >
      <label className="field">
        <span className="field-label">Name</span>
        <input
          type="text"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          autoComplete="off"
        />
      </label>
      <label className="field">
        <span className="field-label">Email</span>
        <input
          type="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          autoComplete="off"
        />
      </label>
      <FormField
        label="Initial password"
        help="At least 8 characters. Give it to them over a separate channel."
      >
        {(control) => (
          <input
            type="password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="new-password"
            {...control}
          />
        )}
      </FormField>
      <FormField label="Role" help={ROLE_HELP[role]}>
        {(control) => <RoleSelect role={role} onChange={setRole} control={control} />}
      </FormField>
    </ModalForm>
  );
}
