import { useCallback, useEffect, useRef, useState } from "react";
import { mutate, query, toRequestError } from "../../graphql-client";
import { Modal } from "../../shared/Modal";
import { Time } from "../../shared/Time";
import type { CatalogService } from "../admin-queries";
import { FormField } from "../FormField";
import { useSubmit } from "../form-state";
import { ModalForm } from "../ModalForm";
import {
  REGISTER_WEBHOOK,
  RESUME_WEBHOOK_ENDPOINT,
  RETRY_WEBHOOK_DELIVERY,
  SEND_TEST_WEBHOOK,
  UPDATE_SUBSCRIPTIONS_QUERY,
  type UpdateSubscription,
  WEBHOOK_DELIVERIES_QUERY,
  type WebhookDelivery,
} from "../subscription-queries";
import { SecretBox } from "./SecretBox";
import { LoadState, Section } from "./Section";
import { RemoveSubscriptionDialog, SubscriptionState, servicesWords } from "./SubscribersSection";
import { DeliveryLog } from "./WebhookDeliveryLog";

/** While a delivery is pending, its log is read again this often (the job answers within seconds). */
const LOG_REFRESH_MS = 1000;
/** …for at most this long after the last action (a receiver being retried with backoff takes longer). */
const LOG_REFRESH_FOR_MS = 60_000;

/**
 * Partners' webhook endpoints (admins): register one (URL + services; the signing secret is shown
 * once), send a test event, read each endpoint's delivery log, retry a failed delivery, resume a
 * paused endpoint, remove one.
 */
export function WebhooksSection({
  services,
  refreshKey = 0,
  onChanged,
}: {
  services: CatalogService[];
  refreshKey?: number;
  onChanged?: () => void;
}) {
  const [endpoints, setEndpoints] = useState<UpdateSubscription[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [registering, setRegistering] = useState(false);
  const [removing, setRemoving] = useState<UpdateSubscription | null>(null);
  const [status, setStatus] = useState("");

  const load = useCallback(async () => {
    try {
      const d = await query(UPDATE_SUBSCRIPTIONS_QUERY, { channel: "WEBHOOK", first: 200 });
      setEndpoints(d.updateSubscriptions);
      setError(null);
    } catch (e) {
      setError(toRequestError(e).message);
    }
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey asks for a reload
  useEffect(() => {
    void load();
  }, [load, refreshKey]);

  const changed = (message: string) => {
    setStatus(message);
    // The page reloads every subscriber section (this one included) through refreshKey.
    if (onChanged) onChanged();
    else void load();
  };

  return (
    <Section
      id="webhooks"
      title="Webhook endpoints"
      actionLabel="Register endpoint"
      onAction={() => setRegistering(true)}
    >
      <p className="small muted">
        Beacon POSTs every public event to each endpoint, signed per Standard Webhooks (
        <code>webhook-id</code>, <code>webhook-timestamp</code>, <code>webhook-signature</code>). An endpoint
        whose deliveries keep failing is paused.
      </p>
      <p className="small muted" role="status" data-testid="webhooks-status">
        {status}
      </p>
      <LoadState error={error} loaded={endpoints !== null} what="webhook endpoints" />
      {endpoints && endpoints.length === 0 && (
        <p className="muted" data-testid="webhooks-empty">
          No webhook endpoints yet. Register a partner's URL to send them every public event.
        </p>
      )}
      {endpoints && endpoints.length > 0 && (
        <ul className="endpoint-list">
          {endpoints.map((e) => (
            <Endpoint key={e.id} endpoint={e} onChanged={changed} onRemove={() => setRemoving(e)} />
          ))}
        </ul>
      )}
      {registering && (
        <RegisterWebhookForm
          services={services}
          onRegistered={(url) => changed(`Registered ${url}`)}
          onClose={() => setRegistering(false)}
        />
      )}
      {removing && (
        <RemoveSubscriptionDialog
          subscription={removing}
          onClose={() => setRemoving(null)}
          onRemoved={() => {
            setRemoving(null);
            changed(`Removed ${removing.target}`);
          }}
        />
      )}
    </Section>
  );
}

function Endpoint({
  endpoint,
  onChanged,
  onRemove,
}: {
  endpoint: UpdateSubscription;
  onChanged: (message: string) => void;
  onRemove: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [deliveries, setDeliveries] = useState<WebhookDelivery[] | null>(null);
  const [logError, setLogError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** Until when the log keeps refreshing while a delivery is pending (set by an action). */
  const watchUntil = useRef(0);
  const logId = `log-${endpoint.id}`;

  const loadLog = useCallback(async () => {
    try {
      const d = await query(WEBHOOK_DELIVERIES_QUERY, { subscriptionId: endpoint.id, first: 20 });
      setDeliveries(d.webhookDeliveries);
      setLogError(null);
    } catch (e) {
      setLogError(toRequestError(e).message);
    }
  }, [endpoint.id]);

  useEffect(() => {
    if (!open) return;
    watchUntil.current = Math.max(watchUntil.current, Date.now() + LOG_REFRESH_FOR_MS);
    void loadLog();
  }, [open, loadLog]);

  // Live while something is on its way: the log is read again until nothing is pending.
  const pending = deliveries?.some((d) => d.state === "PENDING") ?? false;
  // biome-ignore lint/correctness/useExhaustiveDependencies: each fresh log schedules the next read
  useEffect(() => {
    if (!open || !pending || Date.now() > watchUntil.current) return;
    const timer = setTimeout(() => void loadLog(), LOG_REFRESH_MS);
    return () => clearTimeout(timer);
  }, [open, pending, deliveries, loadLog]);

  const act = async (task: () => Promise<unknown>, message: string) => {
    if (busy) return;
    setBusy(true);
    setActionError(null);
    try {
      await task();
      watchUntil.current = Date.now() + LOG_REFRESH_FOR_MS;
      setOpen(true);
      await loadLog();
      onChanged(message);
    } catch (e) {
      setActionError(toRequestError(e).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className="endpoint" data-testid={`endpoint-${endpoint.target}`} data-paused={endpoint.paused}>
      <div className="endpoint-head">
        <div className="endpoint-title">
          <code className="break-anywhere">{endpoint.target}</code>
          <span className="small muted">
            {servicesWords(endpoint)} · registered <Time iso={endpoint.createdAt} relativeOnly />
          </span>
        </div>
        <SubscriptionState s={endpoint} />
      </div>
      {endpoint.paused && (
        <p className="notice notice-warning small" data-testid="endpoint-paused">
          {endpoint.pausedReason ?? "Paused."} Resume it to deliver later events again.
        </p>
      )}
      <div className="endpoint-actions">
        <button
          type="button"
          className="button button-small"
          aria-expanded={open}
          aria-controls={logId}
          onClick={() => setOpen((o) => !o)}
        >
          {open ? "Hide delivery log" : "Delivery log"}
        </button>
        <button
          type="button"
          className="button button-small"
          disabled={busy}
          onClick={() =>
            act(() => mutate(SEND_TEST_WEBHOOK, { subscriptionId: endpoint.id }), "Test event sent")
          }
        >
          Send test event
        </button>
        {endpoint.paused && (
          <button
            type="button"
            className="button button-small"
            disabled={busy}
            onClick={() =>
              act(() => mutate(RESUME_WEBHOOK_ENDPOINT, { id: endpoint.id }), `Resumed ${endpoint.target}`)
            }
          >
            Resume
          </button>
        )}
        <button
          type="button"
          className="button button-small button-danger"
          aria-label={`Remove ${endpoint.target}`}
          onClick={onRemove}
        >
          Remove
        </button>
      </div>
      {actionError && (
        <p className="form-error" role="alert">
          {actionError}
        </p>
      )}
      {open && (
        <div id={logId} className="delivery-log" data-testid="delivery-log">
          <div className="delivery-log-head">
            <h3 className="small">Delivery log</h3>
            <button type="button" className="button button-small" onClick={() => void loadLog()}>
              Refresh
            </button>
          </div>
          <LoadState error={logError} loaded={deliveries !== null} what="the delivery log" />
          {deliveries?.length === 0 && <p className="muted small">Nothing delivered yet.</p>}
          {deliveries && deliveries.length > 0 && (
            <DeliveryLog
              deliveries={deliveries}
              busy={busy}
              onRetry={(d) =>
                act(() => mutate(RETRY_WEBHOOK_DELIVERY, { id: d.id }), "Delivery queued again")
              }
            />
          )}
        </div>
      )}
    </li>
  );
}

/** Register an endpoint; on success the dialog shows its signing secret, once. */
function RegisterWebhookForm({
  services,
  onRegistered,
  onClose,
}: {
  services: CatalogService[];
  onRegistered: (url: string) => void;
  onClose: () => void;
}) {
  const [url, setUrl] = useState("");
  const [chosen, setChosen] = useState<ReadonlySet<string>>(() => new Set());
  const { busy, error, run } = useSubmit();
  const [secret, setSecret] = useState<string | null>(null);

  if (secret) {
    return (
      <Modal title="Webhook endpoint registered" onClose={onClose} testId="webhook-secret-dialog">
        <div className="form">
          <p className="small">
            Verify each request's <code>webhook-signature</code> with this secret (any Standard Webhooks
            library does it).
          </p>
          <SecretBox
            secret={secret}
            note="Beacon needs it to sign and cannot show it again. If it is lost, remove the endpoint and register it again."
          />
          <div className="form-actions">
            <button type="button" className="button button-primary" onClick={onClose}>
              I have stored it
            </button>
          </div>
        </div>
      </Modal>
    );
  }

  const groups = new Map<string, CatalogService[]>();
  for (const s of services) groups.set(s.group ?? "", [...(groups.get(s.group ?? "") ?? []), s]);
  return (
    <ModalForm
      title="Register a webhook endpoint"
      testId="register-webhook-dialog"
      onClose={onClose}
      onSubmit={() =>
        run(async () => {
          const { subscribe } = await mutate(REGISTER_WEBHOOK, {
            input: { webhookUrl: url.trim(), serviceIds: [...chosen] },
          });
          setSecret(subscribe.webhookSecret ?? "");
          onRegistered(url.trim());
        })
      }
      busy={busy}
      error={error?.message}
      errorTestId="register-webhook-error"
      submitLabel="Register"
    >
      <FormField
        label="URL"
        help="https:// on the partner's side. Loopback and private addresses are refused unless BEACON_WEBHOOK_ALLOW_PRIVATE=1."
      >
        {(control) => (
          <input
            type="text"
            inputMode="url"
            required
            value={url}
            placeholder="https://partner.example.com/beacon"
            onChange={(e) => setUrl(e.target.value)}
            {...control}
          />
        )}
      </FormField>
      <fieldset className="field">
        <legend className="field-label">Services (none: every service)</legend>
        {[...groups].map(([group, list]) => (
          <div key={group} className="service-choice-group">
            {group && <div className="small muted">{group}</div>}
            <div className="checkbox-grid">
              {list.map((s) => (
                <label key={s.id} className="checkbox">
                  <input
                    type="checkbox"
                    checked={chosen.has(s.id)}
                    onChange={(e) =>
                      setChosen((old) => {
                        const next = new Set(old);
                        if (e.target.checked) next.add(s.id);
                        else next.delete(s.id);
                        return next;
                      })
                    }
                  />
                  {s.name}
                </label>
              ))}
            </div>
          </div>
        ))}
      </fieldset>
    </ModalForm>
  );
}
