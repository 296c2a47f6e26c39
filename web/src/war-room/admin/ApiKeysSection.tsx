import { useState } from "react";
import { ApiScope } from "../../../../server/domain/vocabulary";
import { mutate } from "../../graphql-client";
import { Modal } from "../../shared/Modal";
import { StatusLabel } from "../../shared/StatusIcon";
import { Time } from "../../shared/Time";
import { humanize } from "../../shared/words";
import type { ApiKey } from "../admin-queries";
import { CREATE_API_KEY, REVOKE_API_KEY } from "../admin-queries";
import { FormField } from "../FormField";
import { useSubmit } from "../form-state";
import { ModalForm } from "../ModalForm";
import type { User } from "../queries";
import { SecretBox } from "./SecretBox";
import { ActionsHeader, LoadState, Section } from "./Section";

export const SCOPE_HELP: Record<ApiScope, string> = {
  [ApiScope.READ]: "Read: queries and subscriptions",
  [ApiScope.WRITE]: "Write: mutations, as the user it acts for",
};

/** The API keys partner systems use (admins only): create, and revoke. */
export function ApiKeysSection({
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
    <Section id="api-keys" title="API keys" actionLabel="New API key" onAction={() => setCreating(true)}>
      <p className="small muted">
        Partner systems send <code>Authorization: Bearer &lt;secret&gt;</code> to <code>/graphql</code>; a key
        acts as its user, narrowed to its scopes.
      </p>
      <LoadState error={error} loaded={keys !== null} what="API keys" />
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
              <ActionsHeader />
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
  const { busy, error, run } = useSubmit();
  const [created, setCreated] = useState<{ secret: string; apiKey: ApiKey } | null>(null);

  const submit = () =>
    run(async () => {
      const { createApiKey } = await mutate(CREATE_API_KEY, { name, scopes, userId });
      setCreated(createApiKey);
      onCreated(createApiKey.apiKey);
    });

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
    <ModalForm
      title="New API key"
      testId="create-api-key-dialog"
      onClose={onClose}
      onSubmit={submit}
      busy={busy}
      error={error?.message}
      errorTestId="create-api-key-error"
      submitLabel="Create key"
    >
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
      <FormField label="Acts as" help="The key can do what this person may do, and no more than its scopes.">
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
    </ModalForm>
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
  const { busy, error, run } = useSubmit();
  const revoke = () =>
    run(async () => {
      await mutate(REVOKE_API_KEY, { id: apiKey.id });
      onRevoked();
    });
  return (
    <ModalForm
      title={`Revoke "${apiKey.name}"?`}
      testId="revoke-api-key-dialog"
      onClose={onClose}
      onSubmit={revoke}
      busy={busy}
      error={error?.message}
      errorTestId="revoke-api-key-error"
      submitLabel="Revoke key"
      danger
    >
      <p>
        Systems using <code>bk_{apiKey.prefix}_…</code> are refused from now on. This cannot be undone; a
        revoked key stays listed.
      </p>
    </ModalForm>
  );
}
