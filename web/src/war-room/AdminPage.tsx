import { type FormEvent, type ReactNode, useCallback, useEffect, useId, useRef, useState } from "react";
import type { Action } from "../../../server/domain/permissions";
import { ApiScope, Role } from "../../../server/domain/vocabulary";
import { mutate, query, toRequestError, type Variables } from "../graphql-client";
import { useDocumentTitle } from "../shared/hooks";
import { Modal } from "../shared/Modal";
import { Link } from "../shared/router";
import { StatusLabel } from "../shared/StatusIcon";
import { Time } from "../shared/Time";
import type { ApiKey, Person, Queue, User } from "../shared/types";
import { humanize } from "../shared/words";
import {
  ADD_QUEUE_MEMBER,
  ADMIN_QUEUES_QUERY,
  ADMIN_USERS_QUERY,
  API_KEYS_QUERY,
  CREATE_API_KEY,
  CREATE_QUEUE,
  CREATE_USER,
  REMOVE_QUEUE_MEMBER,
  REVOKE_API_KEY,
  UPDATE_USER,
} from "./admin-queries";
import { refreshCatalog } from "./catalog";
import { type Actor, mayDo } from "./commands";
import { FormField } from "./FormField";

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

export const SCOPE_HELP: Record<ApiScope, string> = {
  [ApiScope.READ]: "Read: queries and subscriptions",
  [ApiScope.WRITE]: "Write: mutations, as the user it acts for",
};

/**
 * The permission behind each section of the Admin page (the server's own table): people and API
 * keys are for admins, escalation queues (create, add and remove members) also for incident managers.
 */
const SECTION_ACTIONS = {
  people: "createUser",
  queues: "createQueue",
  apiKeys: "manageApiKeys",
} as const satisfies Record<string, Action>;

/** True when the actor may use at least one section of the Admin page (the nav link shows then). */
export function mayAdminister(actor: Actor): boolean {
  return Object.values(SECTION_ACTIONS).some((action) => mayDo(actor, action));
}

/** The admin page; anyone who may use none of its sections is told whom to ask. */
export function AdminPage({
  actor,
  self,
  onSelfChanged,
}: {
  actor: Actor;
  self: Pick<User, "id" | "name">;
  /** Called after the signed-in user changed their own name or role here. */
  onSelfChanged?: () => void;
}) {
  useDocumentTitle("Admin · Beacon war room");
  if (!mayAdminister(actor)) return <OnlyAdmins />;
  return <AdminConsole actor={actor} self={self} onSelfChanged={onSelfChanged} />;
}

export function OnlyAdmins() {
  return (
    <div className="card empty" data-testid="only-admins">
      <h1 className="page-title">Admin</h1>
      <p role="alert">
        Only admins can manage people and API keys, and only admins and incident managers can manage
        escalation queues. Ask an admin if you need a change.
      </p>
      <p>
        <Link to="/war-room">Back to incidents</Link> · <Link to="/war-room/services">Services</Link>
      </p>
    </div>
  );
}

/**
 * Loads a list (only when `enabled`: a section the actor may not use asks the server nothing);
 * `reload` after a change. A refusal is kept as the server's message.
 */
function useList<T>(
  document: string,
  pick: (data: Record<string, unknown>) => T[],
  { enabled = true, variables }: { enabled?: boolean; variables?: Variables } = {},
) {
  const [items, setItems] = useState<T[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const pickRef = useRef(pick);
  const variablesKey = JSON.stringify(variables ?? {});
  const reload = useCallback(() => {
    if (!enabled) return;
    query<Record<string, unknown>>(document, JSON.parse(variablesKey) as Variables)
      .then((data) => {
        setItems(pickRef.current(data));
        setError(null);
      })
      .catch((e) => setError(toRequestError(e).message));
  }, [document, enabled, variablesKey]);
  useEffect(reload, [reload]);
  return { items, error, reload, setItems };
}

function AdminConsole({
  actor,
  self,
  onSelfChanged,
}: {
  actor: Actor;
  self: Pick<User, "id" | "name">;
  onSelfChanged?: () => void;
}) {
  const canPeople = mayDo(actor, SECTION_ACTIONS.people);
  const canQueues = mayDo(actor, SECTION_ACTIONS.queues);
  const canKeys = mayDo(actor, SECTION_ACTIONS.apiKeys);
  // Admins see everyone, inactive people too; the queue and key pickers offer active people only.
  const users = useList<Person>(ADMIN_USERS_QUERY, (d) => d.users as Person[], {
    variables: { includeInactive: canPeople },
  });
  const queues = useList<Queue>(ADMIN_QUEUES_QUERY, (d) => d.queues as Queue[], { enabled: canQueues });
  const keys = useList<ApiKey>(API_KEYS_QUERY, (d) => d.apiKeys as ApiKey[], { enabled: canKeys });
  const reloadQueues = queues.reload;
  const activeUsers = (users.items ?? []).filter((u) => u.active);
  const inactiveIds = new Set((users.items ?? []).filter((u) => !u.active).map((u) => u.id));

  return (
    <>
      <div className="page-head">
        <h1 className="page-title">Admin</h1>
      </div>
      {!canPeople && (
        <p className="muted small" data-testid="admin-scope">
          You can manage escalation queues. People and API keys are managed by admins.
        </p>
      )}
      <div className="admin-sections">
        {canPeople && (
          <PeopleSection
            users={users.items}
            error={users.error}
            self={self}
            apiKeys={keys.items ?? []}
            onChanged={(user) => {
              users.reload();
              refreshCatalog();
              if (user?.id === self.id) onSelfChanged?.();
            }}
          />
        )}
        {canQueues && (
          <QueuesSection
            queues={queues.items}
            users={activeUsers}
            inactiveIds={inactiveIds}
            error={queues.error}
            onChanged={() => {
              reloadQueues();
              refreshCatalog();
            }}
          />
        )}
        {canKeys && (
          <ApiKeysSection
            keys={keys.items}
            users={activeUsers}
            inactiveIds={inactiveIds}
            self={self}
            error={keys.error}
            onChanged={keys.reload}
          />
        )}
      </div>
    </>
  );
}

function Section({
  id,
  title,
  action,
  children,
}: {
  id: string;
  title: string;
  action?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="card admin-section" aria-labelledby={`${id}-title`} data-testid={`admin-${id}`}>
      <div className="admin-section-head">
        <h2 id={`${id}-title`} className="admin-section-title">
          {title}
        </h2>
        {action}
      </div>
      {children}
    </section>
  );
}

function FormError({ error, testId }: { error: string | null; testId: string }) {
  if (!error) return null;
  return (
    <p className="form-error" role="alert" data-testid={testId}>
      {error}
    </p>
  );
}

// ---------------------------------------------------------------------------------------------
// People

function PeopleSection({
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
    <Section
      id="people"
      title="People"
      action={
        <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
          Add person
        </button>
      }
    >
      <p className="small muted" role="status" data-testid="people-status">
        {done}
      </p>
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      {!users && !error && <p className="muted">Loading people…</p>}
      {users && (
        <table className="admin-table" data-testid="people-table">
          <caption className="sr-only">Everyone with an account; inactive people cannot sign in</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
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
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const input: { name?: string; role?: Role } = {};
    if (name.trim() !== person.name) input.name = name.trim();
    if (role !== person.role) input.role = role;
    if (Object.keys(input).length === 0) {
      onClose();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { updateUser } = await mutate<{ updateUser: Person }>(UPDATE_USER, { id: person.id, input });
      onSaved(updateUser);
    } catch (e) {
      setError(toRequestError(e).message);
      setBusy(false);
    }
  };

  const losesAdmin = isSelf && person.role === Role.ADMIN && role !== Role.ADMIN;
  return (
    <Modal title={`Edit ${person.name}`} onClose={onClose} testId="edit-person-dialog">
      <form className="form" onSubmit={submit}>
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
          {(control) => (
            <select value={role} onChange={(e) => setRole(e.target.value as Role)} {...control}>
              {ROLE_ORDER.map((r) => (
                <option key={r} value={r}>
                  {humanize(r)}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <p className="small muted">Email: {person.email} (it cannot be changed).</p>
        <FormError error={error} testId="edit-person-error" />
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            Back
          </button>
          <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
            Save changes
          </button>
        </div>
      </form>
    </Modal>
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
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const deactivating = person.active;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const { updateUser } = await mutate<{ updateUser: Person }>(UPDATE_USER, {
        id: person.id,
        input: { active: !deactivating },
      });
      onDone(updateUser);
    } catch (e) {
      setError(toRequestError(e).message);
      setBusy(false);
    }
  };

  const keyNames = apiKeys.map((k) => `"${k.name}"`).join(", ");
  return (
    <Modal
      title={`${deactivating ? "Deactivate" : "Reactivate"} ${person.name}?`}
      onClose={onClose}
      testId="set-active-dialog"
    >
      <form className="form" onSubmit={submit}>
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
        <FormError error={error} testId="set-active-error" />
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            Back
          </button>
          <button
            type="submit"
            className={`button ${deactivating ? "button-danger" : "button-primary"}`}
            aria-disabled={busy || undefined}
          >
            {deactivating ? "Deactivate" : "Reactivate"}
          </button>
        </div>
      </form>
    </Modal>
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
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const { createUser } = await mutate<{ createUser: User }>(CREATE_USER, {
        input: { name, email, password, role },
      });
      onCreated(createUser);
    } catch (e) {
      setError(toRequestError(e).message);
      setBusy(false);
    }
  };

  return (
    <Modal title="Add person" onClose={onClose} testId="create-user-dialog">
      <form className="form" onSubmit={submit}>
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
          {(control) => (
            <select value={role} onChange={(e) => setRole(e.target.value as Role)} {...control}>
              {ROLE_ORDER.map((r) => (
                <option key={r} value={r}>
                  {humanize(r)}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormError error={error} testId="create-user-error" />
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            Back
          </button>
          <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
            Add person
          </button>
        </div>
      </form>
    </Modal>
  );
}

// ---------------------------------------------------------------------------------------------
// Queues

function QueuesSection({
  queues,
  users,
  inactiveIds,
  error,
  onChanged,
}: {
  queues: Queue[] | null;
  /** Active people: who can be added. */
  users: User[];
  inactiveIds: ReadonlySet<string>;
  error: string | null;
  onChanged: () => void;
}) {
  const [creating, setCreating] = useState(false);
  return (
    <Section
      id="queues"
      title="Escalation queues"
      action={
        <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
          New queue
        </button>
      }
    >
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      {!queues && !error && <p className="muted">Loading queues…</p>}
      {queues && queues.length === 0 && <p className="muted">No queues yet.</p>}
      {queues && queues.length > 0 && (
        <ul className="admin-list">
          {queues.map((q) => (
            <QueueItem key={q.id} queue={q} users={users} inactiveIds={inactiveIds} onChanged={onChanged} />
          ))}
        </ul>
      )}
      {creating && (
        <CreateQueueForm
          users={users}
          onClose={() => setCreating(false)}
          onCreated={() => {
            setCreating(false);
            onChanged();
          }}
        />
      )}
    </Section>
  );
}

function QueueItem({
  queue,
  users,
  inactiveIds,
  onChanged,
}: {
  queue: Queue;
  users: User[];
  inactiveIds: ReadonlySet<string>;
  onChanged: () => void;
}) {
  const [adding, setAdding] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const selectId = useId();
  const selectRef = useRef<HTMLSelectElement>(null);
  const candidates = users.filter((u) => !queue.members.some((m) => m.id === u.id));

  const run = async (document: string, userId: string) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await mutate(document, { queueId: queue.id, userId });
      setAdding("");
      // The removed member's button is gone: keep keyboard focus in this queue.
      if (document === REMOVE_QUEUE_MEMBER) selectRef.current?.focus();
      onChanged();
    } catch (e) {
      setError(toRequestError(e).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className="admin-item" data-testid={`queue-${queue.name}`}>
      <h3 className="admin-item-title">{queue.name}</h3>
      {queue.members.length === 0 ? (
        <p className="small muted">No members: nobody can acknowledge this queue's incidents.</p>
      ) : (
        <ul className="member-list" aria-label={`Members of ${queue.name}`}>
          {queue.members.map((m) => (
            <li key={m.id} className="member" data-testid={`queue-member-${m.name}`}>
              <span>
                {m.name}
                {inactiveIds.has(m.id) && <span className="muted small"> (inactive)</span>}
              </span>
              <button
                type="button"
                className="icon-button member-remove"
                aria-label={`Remove ${m.name} from ${queue.name}`}
                title={`Remove ${m.name}`}
                aria-disabled={busy || undefined}
                onClick={() => run(REMOVE_QUEUE_MEMBER, m.id)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (adding) void run(ADD_QUEUE_MEMBER, adding);
        }}
      >
        <label htmlFor={selectId} className="sr-only">
          Add a member to {queue.name}
        </label>
        <select id={selectId} ref={selectRef} value={adding} onChange={(e) => setAdding(e.target.value)}>
          <option value="">Add a member…</option>
          {candidates.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name} ({humanize(u.role).toLowerCase()})
            </option>
          ))}
        </select>
        <button type="submit" className="button button-small" aria-disabled={busy || !adding || undefined}>
          Add
        </button>
      </form>
      <FormError error={error} testId="queue-error" />
    </li>
  );
}

function CreateQueueForm({
  users,
  onClose,
  onCreated,
}: {
  users: User[];
  onClose: () => void;
  onCreated: (queue: Queue) => void;
}) {
  const [name, setName] = useState("");
  const [memberIds, setMemberIds] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const { createQueue } = await mutate<{ createQueue: Queue }>(CREATE_QUEUE, { name, memberIds });
      onCreated(createQueue);
    } catch (e) {
      setError(toRequestError(e).message);
      setBusy(false);
    }
  };

  return (
    <Modal title="New escalation queue" onClose={onClose} testId="create-queue-dialog">
      <form className="form" onSubmit={submit}>
        <label className="field">
          <span className="field-label">Name</span>
          <input type="text" required value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <fieldset className="field">
          <legend className="field-label">Members</legend>
          <div className="checkbox-grid">
            {users.map((u) => (
              <label key={u.id} className="checkbox">
                <input
                  type="checkbox"
                  checked={memberIds.includes(u.id)}
                  onChange={(e) =>
                    setMemberIds((old) =>
                      e.target.checked ? [...old, u.id] : old.filter((id) => id !== u.id),
                    )
                  }
                />
                {u.name}
              </label>
            ))}
          </div>
          <span className="field-help">Members can acknowledge the incidents assigned to this queue.</span>
        </fieldset>
        <FormError error={error} testId="create-queue-error" />
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            Back
          </button>
          <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
            Create queue
          </button>
        </div>
      </form>
    </Modal>
  );
}

// ---------------------------------------------------------------------------------------------
// API keys

function ApiKeysSection({
  keys,
  users,
  inactiveIds,
  self,
  error,
  onChanged,
}: {
  keys: ApiKey[] | null;
  /** Active people: whom a new key can act as. */
  users: User[];
  inactiveIds: ReadonlySet<string>;
  self: Pick<User, "id" | "name">;
  error: string | null;
  onChanged: () => void;
}) {
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  return (
    <Section
      id="api-keys"
      title="API keys"
      action={
        <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
          New API key
        </button>
      }
    >
      <p className="small muted">
        Partner systems send <code>Authorization: Bearer &lt;secret&gt;</code> to <code>/graphql</code>; a key
        acts as its user, narrowed to its scopes.
      </p>
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      {!keys && !error && <p className="muted">Loading API keys…</p>}
      {keys && keys.length === 0 && <p className="muted">No API keys yet.</p>}
      {keys && keys.length > 0 && (
        <table className="admin-table" data-testid="api-keys-table">
          <caption className="sr-only">API keys, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Key</th>
              <th scope="col">Acts as</th>
              <th scope="col">Scopes</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k.id} data-testid={`api-key-${k.name}`} data-revoked={k.revokedAt ? "true" : "false"}>
                <th scope="row">{k.name}</th>
                <td>
                  <code>bk_{k.prefix}_…</code>
                </td>
                <td data-testid="api-key-user">
                  {k.user ? k.user.name : <span className="muted">Unknown user</span>}
                  {k.user && k.user.id === self.id && <span className="muted small"> (you)</span>}
                  {k.user && !k.revokedAt && inactiveIds.has(k.user.id) && (
                    <span className="muted small"> (deactivated: the key is refused)</span>
                  )}
                </td>
                <td>{k.scopes.map((s) => humanize(s)).join(", ")}</td>
                <td>
                  <Time iso={k.createdAt} relativeOnly />
                </td>
                <td>{k.lastUsedAt ? <Time iso={k.lastUsedAt} relativeOnly /> : "Never"}</td>
                <td data-testid="api-key-status">
                  {k.revokedAt ? (
                    <StatusLabel tone="neutral">Revoked</StatusLabel>
                  ) : (
                    <StatusLabel tone="ok">Active</StatusLabel>
                  )}
                </td>
                <td>
                  {!k.revokedAt && (
                    <button
                      type="button"
                      className="button button-small button-danger"
                      aria-label={`Revoke ${k.name}`}
                      onClick={() => setRevoking(k)}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {creating && (
        <CreateApiKeyForm
          users={users}
          self={self}
          onCreated={onChanged}
          onClose={() => setCreating(false)}
        />
      )}
      {revoking && (
        <RevokeApiKeyDialog
          apiKey={revoking}
          onClose={() => setRevoking(null)}
          onRevoked={() => {
            setRevoking(null);
            onChanged();
          }}
        />
      )}
    </Section>
  );
}

/** Create a key; on success the dialog shows the secret, once, with a warning and a copy button. */
export function CreateApiKeyForm({
  users,
  self,
  onCreated,
  onClose,
}: {
  users: User[];
  self: Pick<User, "id" | "name">;
  onCreated: (key: ApiKey) => void;
  onClose: () => void;
}) {
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<ApiScope[]>([ApiScope.READ]);
  const [userId, setUserId] = useState(self.id);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<{ secret: string; apiKey: ApiKey } | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const { createApiKey } = await mutate<{ createApiKey: { secret: string; apiKey: ApiKey } }>(
        CREATE_API_KEY,
        { name, scopes, userId },
      );
      setCreated(createApiKey);
      onCreated(createApiKey.apiKey);
    } catch (e) {
      setError(toRequestError(e).message);
    } finally {
      setBusy(false);
    }
  };

  if (created) {
    return (
      <Modal
        title={`API key "${created.apiKey.name}" created`}
        onClose={onClose}
        testId="api-key-created-dialog"
      >
        <div className="form">
          <SecretBox secret={created.secret} />
          <div className="form-actions">
            <button type="button" className="button button-primary" onClick={onClose}>
              I have stored it
            </button>
          </div>
        </div>
      </Modal>
    );
  }

  const people = users.some((u) => u.id === self.id) ? users : [self, ...users];
  return (
    <Modal title="New API key" onClose={onClose} testId="create-api-key-dialog">
      <form className="form" onSubmit={submit}>
        <FormField label="Name" help='The partner system that will use it, e.g. "Uptime monitor".'>
          {(control) => (
            <input type="text" required value={name} onChange={(e) => setName(e.target.value)} {...control} />
          )}
        </FormField>
        <fieldset className="field">
          <legend className="field-label">Scopes</legend>
          <div className="checkbox-grid">
            {Object.values(ApiScope).map((s) => (
              <label key={s} className="checkbox">
                <input
                  type="checkbox"
                  checked={scopes.includes(s)}
                  onChange={(e) =>
                    setScopes((old) => (e.target.checked ? [...old, s] : old.filter((x) => x !== s)))
                  }
                />
                {SCOPE_HELP[s]}
              </label>
            ))}
          </div>
        </fieldset>
        <FormField
          label="Acts as"
          help="The key can do what this person may do, and no more than its scopes."
        >
          {(control) => (
            <select value={userId} onChange={(e) => setUserId(e.target.value)} {...control}>
              {people.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.id === self.id ? `${u.name} (you)` : u.name}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormError error={error} testId="create-api-key-error" />
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            Back
          </button>
          <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
            Create key
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** The secret, shown once: a warning, a read-only box (focused and selected) and a copy button. */
export function SecretBox({ secret }: { secret: string }) {
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  const ref = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const warningId = useId();

  useEffect(() => {
    ref.current?.focus();
    ref.current?.select();
  }, []);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied("yes");
    } catch {
      ref.current?.focus();
      ref.current?.select();
      setCopied("no");
    }
  };

  return (
    <div className="secret-box" data-testid="api-key-secret-box">
      <div className="notice notice-warning" id={warningId}>
        <strong>Copy this secret now: it is shown only once.</strong> Beacon keeps only a hash of it and
        cannot show it again. If it is lost, revoke the key and create a new one.
      </div>
      <label htmlFor={inputId} className="field-label">
        Secret
      </label>
      <div className="secret-row">
        <input
          id={inputId}
          ref={ref}
          type="text"
          readOnly
          value={secret}
          spellCheck={false}
          aria-describedby={warningId}
          onFocus={(e) => e.target.select()}
          className="secret-input"
          data-testid="api-key-secret"
        />
        <button type="button" className="button" onClick={copy}>
          Copy
        </button>
      </div>
      <p className="small muted" role="status" data-testid="copy-status">
        {copied === "yes" && "Copied to the clipboard."}
        {copied === "no" &&
          "Could not copy automatically: the secret is selected, press Ctrl+C (⌘C on a Mac)."}
      </p>
    </div>
  );
}

function RevokeApiKeyDialog({
  apiKey,
  onClose,
  onRevoked,
}: {
  apiKey: ApiKey;
  onClose: () => void;
  onRevoked: () => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const revoke = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await mutate(REVOKE_API_KEY, { id: apiKey.id });
      onRevoked();
    } catch (e) {
      setError(toRequestError(e).message);
      setBusy(false);
    }
  };
  return (
    <Modal title={`Revoke "${apiKey.name}"?`} onClose={onClose} testId="revoke-api-key-dialog">
      <form className="form" onSubmit={revoke}>
        <p>
          Systems using <code>bk_{apiKey.prefix}_…</code> are refused from now on. This cannot be undone; a
          revoked key stays listed.
        </p>
        <FormError error={error} testId="revoke-api-key-error" />
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            Back
          </button>
          <button type="submit" className="button button-danger" aria-disabled={busy || undefined}>
            Revoke key
          </button>
        </div>
      </form>
    </Modal>
  );
}
