import { useCallback, useEffect, useId, useState } from "react";
import { mutate, query, toRequestError } from "../../graphql-client";
import { StatusLabel } from "../../shared/StatusIcon";
import { Time } from "../../shared/Time";
import type { CatalogService } from "../admin-queries";
import { useSubmit } from "../form-state";
import { ModalForm } from "../ModalForm";
import {
  REMOVE_UPDATE_SUBSCRIPTION,
  UPDATE_SUBSCRIPTIONS_QUERY,
  type UpdateSubscription,
} from "../subscription-queries";
import { ActionsHeader, LoadState, Section } from "./Section";

const PAGE = 50;
type ChannelFilter = "" | "EMAIL" | "WEBHOOK";

/** A subscription's state in words: waiting for the confirmation link, receiving, or paused. */
export function SubscriptionState({
  s,
}: {
  s: Pick<UpdateSubscription, "channel" | "confirmed" | "paused">;
}) {
  if (s.paused) return <StatusLabel tone="major">Paused</StatusLabel>;
  if (!s.confirmed) return <StatusLabel tone="neutral">Pending confirmation</StatusLabel>;
  return <StatusLabel tone="ok">{s.channel === "WEBHOOK" ? "Active" : "Confirmed"}</StatusLabel>;
}

/** "All services" (none chosen) or the chosen services' names. */
export function servicesWords(s: Pick<UpdateSubscription, "services">): string {
  return s.services.length === 0 ? "All services" : s.services.map((x) => x.name).join(", ");
}

/** The search box waits for a pause in typing before asking the server. */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * Everyone who receives public updates (admins): email subscribers and webhook endpoints, searched by
 * address, filtered by channel and service, with their state; remove one after a confirmation.
 */
export function SubscribersSection({
  services,
  refreshKey = 0,
  onChanged,
}: {
  services: CatalogService[];
  /** Bumped when another section changed subscriptions (an endpoint registered or removed). */
  refreshKey?: number;
  onChanged?: () => void;
}) {
  const ids = useId();
  const [search, setSearch] = useState("");
  const [channel, setChannel] = useState<ChannelFilter>("");
  const [serviceId, setServiceId] = useState("");
  const [items, setItems] = useState<UpdateSubscription[] | null>(null);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [removing, setRemoving] = useState<UpdateSubscription | null>(null);
  const [status, setStatus] = useState("");
  const term = useDebounced(search.trim(), 300);

  const load = useCallback(
    async (offset: number) => {
      try {
        const d = await query(UPDATE_SUBSCRIPTIONS_QUERY, {
          search: term || null,
          channel: channel || null,
          serviceId: serviceId || null,
          first: PAGE + 1,
          offset,
        });
        const page = d.updateSubscriptions.slice(0, PAGE);
        setItems((old) => (offset === 0 ? page : [...(old ?? []), ...page]));
        setMore(d.updateSubscriptions.length > PAGE);
        setError(null);
      } catch (e) {
        setError(toRequestError(e).message);
      }
    },
    [term, channel, serviceId],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey asks for a reload
  useEffect(() => {
    void load(0);
  }, [load, refreshKey]);

  const filtered = Boolean(term || channel || serviceId);
  return (
    <Section id="subscribers" title="Subscribers">
      <p className="small muted">
        People who get updates by email (they subscribe with "Get updates" on the status page and confirm by a
        mailed link) and partners' webhook endpoints.
      </p>
      <search className="filter-bar" aria-label="Filter subscribers">
        <div className="field">
          <label htmlFor={`${ids}-search`} className="field-label">
            Search address
          </label>
          <input
            id={`${ids}-search`}
            type="search"
            value={search}
            placeholder="e.g. example.com"
            onChange={(e) => setSearch(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${ids}-channel`} className="field-label">
            Channel
          </label>
          <select
            id={`${ids}-channel`}
            value={channel}
            onChange={(e) => setChannel(e.target.value as ChannelFilter)}
          >
            <option value="">Email and webhooks</option>
            <option value="EMAIL">Email</option>
            <option value="WEBHOOK">Webhook</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-service`} className="field-label">
            Service
          </label>
          <select id={`${ids}-service`} value={serviceId} onChange={(e) => setServiceId(e.target.value)}>
            <option value="">Any service</option>
            {services.map((s) => (
              <option key={s.id} value={s.id}>
                {s.group ? `${s.group} · ${s.name}` : s.name}
              </option>
            ))}
          </select>
        </div>
      </search>
      <p className="small muted" role="status" data-testid="subscribers-status">
        {status}
      </p>
      <LoadState error={error} loaded={items !== null} what="subscribers" />
      {items && items.length === 0 && (
        <p className="muted" data-testid="subscribers-empty">
          {filtered
            ? "No subscriber matches these filters."
            : 'No subscribers yet. People subscribe with "Get updates" on the status page.'}
        </p>
      )}
      {items && items.length > 0 && (
        <table className="admin-table" data-testid="subscribers-table">
          <caption className="sr-only">Subscribers, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Address</th>
              <th scope="col">Channel</th>
              <th scope="col">Services</th>
              <th scope="col">State</th>
              <th scope="col">Since</th>
              <ActionsHeader />
            </tr>
          </thead>
          <tbody>
            {items.map((s) => (
              <tr key={s.id} data-testid={`subscriber-${s.target}`}>
                <th scope="row">{s.target}</th>
                <td>{s.channel === "EMAIL" ? "Email" : "Webhook"}</td>
                <td>{servicesWords(s)}</td>
                <td data-testid="subscriber-state" title={s.pausedReason ?? undefined}>
                  <SubscriptionState s={s} />
                </td>
                <td>
                  <Time iso={s.createdAt} relativeOnly />
                </td>
                <td>
                  <button
                    type="button"
                    className="button button-small button-danger"
                    aria-label={`Remove ${s.target}`}
                    onClick={() => setRemoving(s)}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {more && items && (
        <button type="button" className="button" onClick={() => void load(items.length)}>
          Show more
        </button>
      )}
      {removing && (
        <RemoveSubscriptionDialog
          subscription={removing}
          onClose={() => setRemoving(null)}
          onRemoved={() => {
            setStatus(`Removed ${removing.target}`);
            setRemoving(null);
            if (onChanged) onChanged();
            else void load(0);
          }}
        />
      )}
    </Section>
  );
}

/** Remove a subscriber or endpoint, after saying what it means. */
export function RemoveSubscriptionDialog({
  subscription,
  onClose,
  onRemoved,
}: {
  subscription: UpdateSubscription;
  onClose: () => void;
  onRemoved: () => void;
}) {
  const { busy, error, run } = useSubmit();
  const email = subscription.channel === "EMAIL";
  return (
    <ModalForm
      title={email ? "Remove this subscriber?" : "Remove this webhook endpoint?"}
      testId="remove-subscription-dialog"
      onClose={onClose}
      onSubmit={() =>
        run(async () => {
          await mutate(REMOVE_UPDATE_SUBSCRIPTION, { id: subscription.id });
          onRemoved();
        })
      }
      busy={busy}
      error={error?.message}
      errorTestId="remove-subscription-error"
      submitLabel="Remove"
      danger
    >
      <p>
        <strong className="break-anywhere">{subscription.target}</strong>{" "}
        {email
          ? "gets no more updates. They can subscribe again on the status page."
          : "gets no more events; pending deliveries are skipped. The delivery log is kept."}
      </p>
    </ModalForm>
  );
}
