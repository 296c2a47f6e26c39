import { useNow } from "../shared/hooks";
import { Link } from "../shared/router";
import { Time } from "../shared/Time";
import { duration } from "../shared/time";
import { HOLD_REASON_WORDS, humanize, PUBLIC_STATUS_WORDS, RESOLUTION_WORDS } from "../shared/words";
import { PriorityBadge, StateBadge } from "./badges";
import type { Incident } from "./queries";

/** Number, title, state, priority (major flagged), people, and how long it has been open. */
export function RoomHeader({ incident }: { incident: Incident }) {
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
        <div>
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
        <div>
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
        {incident.relatedTo && (
          <div>
            <dt>Follows up</dt>
            <dd>
              <Link to={`/war-room/incidents/${encodeURIComponent(incident.relatedTo.id)}`}>
                {incident.relatedTo.number}
              </Link>{" "}
              {incident.relatedTo.title}
            </dd>
          </div>
        )}
        <div>
          <dt>Version</dt>
          <dd data-testid="incident-version">{incident.version}</dd>
        </div>
      </dl>
      {incident.description && <p className="room-description">{incident.description}</p>}
    </header>
  );
}
