import { useState } from "react";
import { useNow } from "../shared/hooks";
import { Link } from "../shared/router";
import { Time } from "../shared/Time";
import { duration } from "../shared/time";
import {
  HOLD_REASON_WORDS,
  humanize,
  PROBLEM_STATE_WORDS,
  PUBLIC_STATUS_WORDS,
  RESOLUTION_WORDS,
  STATE_WORDS,
} from "../shared/words";
import { PriorityBadge, StateBadge } from "./badges";
import type { Actor } from "./commands";
import type { Incident } from "./queries";
import { CadenceNote, SlaClocks } from "./SlaClocks";
import { cadenceOwner } from "./sla-state";

/**
 * Number, title, state, priority (major flagged, and the peak when it was higher), people, how long
 * it has been open, its classification, requester, problem record and follow-ups, and any known
 * error recorded for its services.
 */
export function RoomHeader({ incident, viewer }: { incident: Incident; viewer: Pick<Actor, "id" | "role"> }) {
  const now = useNow();
  const end = incident.closedAt ?? incident.resolvedAt;
  return (
    <header className={`room-header card${incident.major ? " is-major" : ""}`} data-testid="room-header">
      <div className="room-title-row">
        <span className="incident-number" data-testid="incident-number">
          {incident.number}
        </span>
        <StateBadge state={incident.state} />
        <PriorityBadge priority={incident.priority} major={incident.major} />
        {incident.peakPriority !== incident.priority && (
          <span
            className="tag tone-neutral"
            data-testid="incident-peak-priority"
            title="The highest priority it ever had; closing follows it"
          >
            Peak {incident.peakPriority}
          </span>
        )}
        {incident.public && (
          <span className="tag tone-maintenance">
            Public{incident.publicStatus ? `: ${PUBLIC_STATUS_WORDS[incident.publicStatus]}` : ""}
          </span>
        )}
      </div>
      <h1 className="room-title" data-testid="incident-title">
        {incident.title}
      </h1>
      <dl className="facts">
        <div>
          <dt>Owner</dt>
          <dd data-testid="incident-owner">{incident.owner.name}</dd>
        </div>
        <div className="fact-secondary">
          <dt>Queue</dt>
          <dd data-testid="incident-queue">{incident.queue?.name ?? "—"}</dd>
        </div>
        <div>
          <dt>Assignee</dt>
          <dd data-testid="incident-assignee">{incident.assignee?.name ?? "—"}</dd>
        </div>
        <div>
          <dt>{end ? "Was open" : "Open for"}</dt>
          <dd data-testid="incident-age">
            {duration(incident.createdAt, end ? Date.parse(end) : now)}{" "}
            <span className="muted small">
              (since <Time iso={incident.createdAt} relativeOnly />)
            </span>
          </dd>
        </div>
        <div className="fact-sla">
          <dt>Service levels</dt>
          <dd data-testid="incident-sla">
            <SlaClocks sla={incident.sla} />
            {incident.sla.escalationLevel > 0 && (
              <span className="tag tone-major" data-testid="sla-escalated">
                {incident.sla.escalationLevel === 1
                  ? "Escalated to the queue's manager"
                  : "Escalated to incident managers"}
              </span>
            )}
            <CadenceNote sla={incident.sla} {...cadenceOwner(incident, viewer)} />
          </dd>
        </div>
        <div className="fact-secondary">
          <dt>Impact × urgency</dt>
          <dd>
            {humanize(incident.impact)} × {humanize(incident.urgency)}
          </dd>
        </div>
        <div>
          <dt>Services</dt>
          <dd>{incident.services.map((s) => s.name).join(", ") || "—"}</dd>
        </div>
        {incident.holdReason && (
          <div>
            <dt>On hold</dt>
            <dd>{HOLD_REASON_WORDS[incident.holdReason]}</dd>
          </div>
        )}
        {incident.resolutionCode && (
          <div>
            <dt>Resolution</dt>
            <dd>
              {RESOLUTION_WORDS[incident.resolutionCode]}
              {incident.resolutionNotes && <span className="muted"> — {incident.resolutionNotes}</span>}
            </dd>
          </div>
        )}
        <div className="fact-secondary">
          <dt>Category</dt>
          <dd data-testid="incident-category">{incident.category?.path ?? "—"}</dd>
        </div>
        <div className="fact-secondary">
          <dt>Requester</dt>
          <dd data-testid="incident-requester">
            {incident.requester ? <RequesterFacts requester={incident.requester} /> : "—"}
            {incident.requesterConfirmationUrl && (
              <ConfirmationLink
                url={incident.requesterConfirmationUrl}
                mailed={!!incident.requester?.email}
              />
            )}
          </dd>
        </div>
        <div className="fact-secondary">
          <dt>Problem</dt>
          <dd data-testid="incident-problem">
            {incident.problem ? (
              <>
                <Link to={`/war-room/problems/${encodeURIComponent(incident.problem.id)}`}>
                  {incident.problem.number}
                </Link>{" "}
                {incident.problem.title}{" "}
                <span className="muted small">({PROBLEM_STATE_WORDS[incident.problem.state]})</span>
              </>
            ) : (
              (incident.problemReference ?? "—")
            )}
          </dd>
        </div>
        {incident.relatedTo && (
          <div className="fact-secondary">
            <dt>Follows up</dt>
            <dd>
              <Link to={`/war-room/incidents/${encodeURIComponent(incident.relatedTo.id)}`}>
                {incident.relatedTo.number}
              </Link>{" "}
              {incident.relatedTo.title}
            </dd>
          </div>
        )}
        {incident.followUps.length > 0 && (
          <div className="fact-secondary">
            <dt>Follow-ups</dt>
            <dd data-testid="incident-follow-ups">
              {incident.followUps.map((f, i) => (
                <span key={f.id}>
                  {i > 0 && ", "}
                  <Link to={`/war-room/incidents/${encodeURIComponent(f.id)}`}>{f.number}</Link> {f.title}{" "}
                  <span className="muted small">({STATE_WORDS[f.state]})</span>
                </span>
              ))}
            </dd>
          </div>
        )}
      </dl>
      {incident.description && <p className="room-description">{incident.description}</p>}
      {incident.knownErrors.map((k) => (
        <p key={k.id} className="notice notice-warning known-error" data-testid={`known-error-${k.number}`}>
          <strong>
            Known error <Link to={`/war-room/problems/${encodeURIComponent(k.id)}`}>{k.number}</Link>
          </strong>{" "}
          {k.title}: workaround {k.workaround ?? "not documented yet"}
        </p>
      ))}
    </header>
  );
}

function RequesterFacts({ requester: r }: { requester: NonNullable<Incident["requester"]> }) {
  const reach = [r.email, r.phone].filter(Boolean).join(", ");
  return (
    <>
      {r.name}
      {r.organization && <span className="muted"> ({r.organization})</span>}
      {reach && <span className="muted small"> · {reach}</span>}
    </>
  );
}

/**
 * While the incident waits for its requester: the signed link by which they confirm themselves.
 * Mailed to them when they have an email; otherwise staff send it another way (chat, ticket).
 */
function ConfirmationLink({ url, mailed }: { url: string; mailed: boolean }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="small" data-testid="requester-confirmation-link">
      <span className="muted">
        {mailed ? "Confirmation link (mailed to them):" : "Confirmation link — send it to them:"}
      </span>{" "}
      <input
        readOnly
        value={url}
        aria-label="Requester's confirmation link"
        onFocus={(e) => e.currentTarget.select()}
        size={24}
      />{" "}
      <button
        type="button"
        className="button-small"
        onClick={() =>
          navigator.clipboard?.writeText(url).then(
            () => setCopied(true),
            () => setCopied(false),
          )
        }
      >
        {copied ? "Copied" : "Copy"}
      </button>
    </div>
  );
}
