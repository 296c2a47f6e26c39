import { Fragment } from "react";
import { StatusLabel } from "../../shared/StatusIcon";
import { Time } from "../../shared/Time";
import type { Tone } from "../../shared/words";
import type { WebhookDelivery } from "../subscription-queries";

// A webhook endpoint's delivery log, as the Admin page's Webhooks section shows it.

const STATE_TONE: Record<string, Tone> = {
  DELIVERED: "ok",
  PENDING: "neutral",
  FAILED: "critical",
  SKIPPED: "minor",
};
const STATE_WORDS: Record<string, string> = {
  DELIVERED: "Delivered",
  PENDING: "Pending",
  FAILED: "Failed",
  SKIPPED: "Skipped",
};

/** One row per attempt (attempt, status code, latency, error, time), grouped by delivery. */
export function DeliveryLog({
  deliveries,
  busy,
  onRetry,
}: {
  deliveries: WebhookDelivery[];
  busy: boolean;
  onRetry: (d: WebhookDelivery) => void;
}) {
  return (
    <table className="admin-table delivery-table">
      <caption className="sr-only">Deliveries, newest first, with each attempt</caption>
      <thead>
        <tr>
          <th scope="col">Event</th>
          <th scope="col">State</th>
          <th scope="col">Attempt</th>
          <th scope="col">Status code</th>
          <th scope="col">Latency</th>
          <th scope="col">Error</th>
          <th scope="col">Time</th>
          <th scope="col">
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {deliveries.map((d) => {
          const attempts = d.attempts.length > 0 ? d.attempts : [null];
          const retryable = d.state === "FAILED" || d.state === "SKIPPED";
          return (
            <Fragment key={d.id}>
              {attempts.map((a, i) => (
                <tr
                  key={a?.attempt ?? "none"}
                  className={i === 0 ? "delivery-first" : undefined}
                  data-testid={i === 0 ? "delivery" : "delivery-attempt"}
                  data-state={d.state}
                >
                  {i === 0 && (
                    <>
                      <th scope="row" rowSpan={attempts.length}>
                        {d.test ? "Test event" : `Event ${d.eventSeq}`}
                        <span className="small muted d-block" title="webhook-id">
                          <code>{d.id.slice(0, 8)}</code>
                        </span>
                      </th>
                      <td rowSpan={attempts.length}>
                        <StatusLabel tone={STATE_TONE[d.state] ?? "neutral"}>
                          {STATE_WORDS[d.state] ?? d.state}
                        </StatusLabel>
                      </td>
                    </>
                  )}
                  {a ? (
                    <>
                      <td>{a.attempt}</td>
                      <td data-testid="attempt-status">{a.statusCode ?? "—"}</td>
                      <td>{a.latencyMs} ms</td>
                      <td className="small">{a.error ?? ""}</td>
                      <td>
                        <Time iso={a.at} relativeOnly />
                      </td>
                    </>
                  ) : (
                    <td colSpan={5} className="muted small">
                      {d.state === "PENDING" ? "Waiting for the first attempt…" : "Never attempted."}
                    </td>
                  )}
                  {i === 0 && (
                    <td rowSpan={attempts.length}>
                      {retryable && (
                        <button
                          type="button"
                          className="button button-small"
                          disabled={busy}
                          onClick={() => onRetry(d)}
                        >
                          Retry
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
