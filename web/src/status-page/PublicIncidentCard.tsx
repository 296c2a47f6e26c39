import { PublicUpdateList } from "../shared/PublicUpdateItem";
import { Link } from "../shared/router";
import { StatusLabel } from "../shared/StatusIcon";
import { Time } from "../shared/Time";
import { IMPACT_WORDS, INDICATOR_TONE, PUBLIC_STATUS_TONE, PUBLIC_STATUS_WORDS } from "../shared/words";
import type { PublicIncident } from "./queries";

/** One public incident: title, impact, current status, affected services and its updates (newest first). */
export function PublicIncidentCard({
  incident,
  headingLevel = 3,
  linkTitle = true,
  updateLimit,
}: {
  incident: PublicIncident;
  headingLevel?: 1 | 2 | 3;
  linkTitle?: boolean;
  updateLimit?: number;
}) {
  const Heading = ({ 1: "h1", 2: "h2", 3: "h3" } as const)[headingLevel];
  const headingId = `incident-${incident.id}-title`;
  const hidden = updateLimit ? Math.max(0, incident.updates.length - updateLimit) : 0;
  return (
    <article
      className={`card incident-card impact-${INDICATOR_TONE[incident.impact]}`}
      data-testid={`public-incident-${incident.id}`}
      data-status={incident.status}
      aria-labelledby={headingId}
    >
      <header className="incident-card-head">
        <Heading id={headingId} className="incident-title">
          {linkTitle ? (
            <Link to={`/incidents/${encodeURIComponent(incident.id)}`}>{incident.title}</Link>
          ) : (
            incident.title
          )}
        </Heading>
        <div className="incident-tags">
          <StatusLabel tone={PUBLIC_STATUS_TONE[incident.status]}>
            {PUBLIC_STATUS_WORDS[incident.status]}
          </StatusLabel>
          <span className={`tag tone-${INDICATOR_TONE[incident.impact]}`}>
            {IMPACT_WORDS[incident.impact]}
          </span>
        </div>
      </header>
      <p className="incident-meta">
        {incident.services.length > 0 && (
          <>
            Affects <strong>{incident.services.map((s) => s.name).join(", ")}</strong> ·{" "}
          </>
        )}
        Started <Time iso={incident.startedAt} />
        {incident.resolvedAt && (
          <>
            {" "}
            · Resolved <Time iso={incident.resolvedAt} relativeOnly />
          </>
        )}
      </p>
      {incident.nextUpdateBy && !incident.resolvedAt && (
        <p className="incident-next-update" data-testid="next-update-by">
          Next update by <Time iso={incident.nextUpdateBy} />
        </p>
      )}
      {incident.updates.length > 0 ? (
        <PublicUpdateList updates={incident.updates} limit={updateLimit} />
      ) : (
        <p className="muted">We are looking into it. Updates will appear here.</p>
      )}
      {hidden > 0 && linkTitle && (
        <p className="incident-more">
          <Link to={`/incidents/${encodeURIComponent(incident.id)}`}>
            {hidden} earlier update{hidden === 1 ? "" : "s"}
          </Link>
        </p>
      )}
    </article>
  );
}
