import { useId, useState } from "react";
import { mutate } from "../../graphql-client";
import type { Catalog } from "../catalog";
import { useSubmit } from "../form-state";
import { FormError } from "../ModalForm";
import type { ActionItem, Incident } from "../queries";
import { ADD_ACTION_ITEM, SET_ACTION_ITEM_DONE } from "../queries";

/** "2026-12-08" from a due date (dates are sent as UTC midnight of the chosen day). */
const day = (iso: string) => iso.slice(0, 10);

/**
 * The review's action items: title, owner, due date, done. Marking one done is allowed after the
 * incident closed (follow-up work outlives it); adding one is part of drafting the review.
 */
export function ActionItems({
  incident,
  users,
  canAdd,
  canTick,
  onChanged,
}: {
  incident: Incident;
  users: Catalog["users"];
  canAdd: boolean;
  canTick: boolean;
  onChanged: (item: ActionItem) => void;
}) {
  const tick = useSubmit();
  // The box shows the click at once; the server's answer (or refusal) then decides.
  const [pending, setPending] = useState<ReadonlyMap<string, boolean>>(new Map());
  const items = incident.actionItems;
  const setDone = (item: ActionItem, done: boolean) => {
    setPending((old) => new Map(old).set(item.id, done));
    void tick
      .run(async () => {
        onChanged((await mutate(SET_ACTION_ITEM_DONE, { id: item.id, done })).setReviewActionItemDone);
      })
      .finally(() =>
        setPending((old) => {
          const next = new Map(old);
          next.delete(item.id);
          return next;
        }),
      );
  };
  return (
    <section className="action-items" aria-labelledby="action-items-title" data-testid="action-items">
      <h3 id="action-items-title" className="action-items-title">
        Action items
      </h3>
      {items.length === 0 ? (
        <p className="muted small">No action items yet.</p>
      ) : (
        <ul className="action-item-list">
          {items.map((item) => (
            <li
              key={item.id}
              className="action-item"
              data-testid={`action-item-${item.title}`}
              data-done={item.done}
            >
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={pending.get(item.id) ?? item.done}
                  disabled={!canTick}
                  onChange={(e) => setDone(item, e.target.checked)}
                />
                <span className={item.done ? "action-item-done" : undefined}>{item.title}</span>
              </label>
              <span className="small muted">
                {item.owner ? item.owner.name : "No owner"}
                {item.dueAt && <> · due {day(item.dueAt)}</>}
              </span>
            </li>
          ))}
        </ul>
      )}
      <FormError error={tick.error?.message} testId="action-item-tick-error" />
      {canAdd && <AddActionItem incidentId={incident.id} users={users} onAdded={onChanged} />}
    </section>
  );
}

function AddActionItem({
  incidentId,
  users,
  onAdded,
}: {
  incidentId: string;
  users: Catalog["users"];
  onAdded: (item: ActionItem) => void;
}) {
  const [title, setTitle] = useState("");
  const [ownerId, setOwnerId] = useState("");
  const [due, setDue] = useState("");
  const { busy, error, run } = useSubmit();
  const id = useId();

  const add = () =>
    run(async () => {
      const { addReviewActionItem } = await mutate(ADD_ACTION_ITEM, {
        incidentId,
        title: title.trim(),
        ownerId: ownerId || null,
        dueAt: due ? new Date(`${due}T00:00:00Z`).toISOString() : null,
      });
      onAdded(addReviewActionItem);
      setTitle("");
      setOwnerId("");
      setDue("");
    });

  // Not a <form>: it sits inside the review's form; Enter in the title adds the item.
  return (
    <fieldset className="action-item-add" data-testid="action-item-add">
      <legend className="sr-only">Add an action item</legend>
      <div className="field-row">
        <label className="field field-grow" htmlFor={`${id}-title`}>
          <span className="field-label">New action item</span>
          <input
            id={`${id}-title`}
            type="text"
            value={title}
            maxLength={500}
            onChange={(e) => setTitle(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                if (title.trim()) void add();
              }
            }}
          />
        </label>
        <label className="field" htmlFor={`${id}-owner`}>
          <span className="field-label">Owner</span>
          <select id={`${id}-owner`} value={ownerId} onChange={(e) => setOwnerId(e.target.value)}>
            <option value="">Nobody yet</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field" htmlFor={`${id}-due`}>
          <span className="field-label">Due</span>
          <input id={`${id}-due`} type="date" value={due} onChange={(e) => setDue(e.target.value)} />
        </label>
      </div>
      <button
        type="button"
        className="button button-small"
        aria-disabled={busy || !title.trim() || undefined}
        onClick={() => title.trim() && void add()}
        data-testid="action-item-submit"
      >
        Add action item
      </button>
      <FormError error={error?.message} testId="action-item-error" />
    </fieldset>
  );
}
