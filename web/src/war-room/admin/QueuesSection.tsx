import { useId, useRef, useState } from "react";
import type { TypedDocument } from "../../graphql";
import { mutate } from "../../graphql-client";
import { humanize } from "../../shared/words";
import type { Queue } from "../admin-queries";
import { ADD_QUEUE_MEMBER, CREATE_QUEUE, REMOVE_QUEUE_MEMBER, SET_QUEUE_MANAGER } from "../admin-queries";
import { useSubmit } from "../form-state";
import { FormError, ModalForm } from "../ModalForm";
import type { User } from "../queries";
import { LoadState, Section } from "./Section";

/** The escalation queues and their members (admins and incident managers). */
export function QueuesSection({
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
    <Section id="queues" title="Escalation queues" actionLabel="New queue" onAction={() => setCreating(true)}>
      <LoadState error={error} loaded={queues !== null} what="queues" />
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
  const { busy, error, run } = useSubmit();
  const selectId = useId();
  const selectRef = useRef<HTMLSelectElement>(null);
  const candidates = users.filter((u) => !queue.members.some((m) => m.id === u.id));

  const change = (document: TypedDocument<unknown, { queueId: string; userId: string }>, userId: string) =>
    run(async () => {
      await mutate(document, { queueId: queue.id, userId });
      setAdding("");
      // The removed member's button is gone: keep keyboard focus in this queue.
      if (document === REMOVE_QUEUE_MEMBER) selectRef.current?.focus();
      onChanged();
    });

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
                onClick={() => change(REMOVE_QUEUE_MEMBER, m.id)}
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
          if (adding) void change(ADD_QUEUE_MEMBER, adding);
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
      <label className="field">
        <span className="field-label">Escalation manager</span>
        <select
          value={queue.manager?.id ?? ""}
          data-testid={`queue-manager-${queue.name}`}
          onChange={(e) =>
            run(async () => {
              await mutate(SET_QUEUE_MANAGER, { queueId: queue.id, userId: e.target.value || null });
              onChanged();
            })
          }
        >
          <option value="">None: straight to the incident managers</option>
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
        <span className="field-help">
          Told first when nobody acknowledges in time (docs: service levels).
        </span>
      </label>
      <FormError error={error?.message} testId="queue-error" />
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
  const { busy, error, run } = useSubmit();

  const submit = () =>
    run(async () => {
      const { createQueue } = await mutate(CREATE_QUEUE, { name, memberIds });
      onCreated(createQueue);
    });

  return (
    <ModalForm
      title="New escalation queue"
      testId="create-queue-dialog"
      onClose={onClose}
      onSubmit={submit}
      busy={busy}
      error={error?.message}
      errorTestId="create-queue-error"
      submitLabel="Create queue"
    >
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
                  setMemberIds((old) => (e.target.checked ? [...old, u.id] : old.filter((id) => id !== u.id)))
                }
              />
              {u.name}
            </label>
          ))}
        </div>
        <span className="field-help">Members can acknowledge the incidents assigned to this queue.</span>
      </fieldset>
    </ModalForm>
  );
}
