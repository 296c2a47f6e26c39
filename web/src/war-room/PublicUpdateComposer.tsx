import { type FormEvent, useState } from "react";
import { decidePublicStatus, publicImpactFor, publicTitleOf } from "../../../server/domain/public-story";
import { type IncidentState, PublicStatus, ServiceStatus } from "../../../server/domain/vocabulary";
import { mutate } from "../graphql-client";
import { StatusLabel } from "../shared/StatusIcon";
import { PUBLIC_STATUS_TONE, PUBLIC_STATUS_WORDS } from "../shared/words";
import { PublicIncidentCard } from "../status-page/PublicIncidentCard";
import type { PublicIncident } from "../status-page/queries";
import { useSubmit } from "./form-state";
import { FormError } from "./ModalForm";
import type { Incident, PublicUpdate } from "./queries";
import { POST_PUBLIC_UPDATE } from "./queries";

/** "Next update by" choices, in minutes from posting (0: no promise). */
const NEXT_UPDATE_MINUTES = [0, 15, 30, 60, 120, 240];
const nextUpdateWords = (m: number) =>
  m === 0 ? "No promise" : m < 60 ? `In ${m} minutes` : `In ${m / 60} hour${m === 60 ? "" : "s"}`;

/** Which public statuses an update may set now (the server's own rule: no way back from Resolved). */
export function allowedPublicStatuses(incident: Pick<Incident, "publicStatus" | "state">): PublicStatus[] {
  return Object.values(PublicStatus).filter(
    (s) => decidePublicStatus(incident.publicStatus, s, incident.state as IncidentState).ok,
  );
}

/** The card as customers will see it with the draft on top (its own earlier updates are not loaded here). */
function draftCard(incident: Incident, status: PublicStatus, message: string, nextUpdateBy: string | null) {
  const impacts = Object.fromEntries(
    incident.services.filter((s) => s.status !== ServiceStatus.OPERATIONAL).map((s) => [s.id, s.status]),
  );
  const now = new Date().toISOString();
  const card: PublicIncident = {
    id: "preview",
    title: publicTitleOf(incident),
    status,
    impact: publicImpactFor(impacts, incident.priority),
    services: incident.services.map((s) => ({ id: s.id, slug: s.slug, name: s.name })),
    updates: [
      { id: "draft", status, message: message || "Your message will appear here.", at: now, nextUpdateBy },
    ],
    startedAt: incident.createdAt,
    resolvedAt: status === PublicStatus.RESOLVED ? (incident.resolvedAt ?? now) : null,
    postmortem: null,
    nextUpdateBy: status === PublicStatus.RESOLVED ? null : nextUpdateBy,
  };
  return card;
}

/**
 * Drafts a message for the status page. The status starts at (and follows) the incident's current
 * public status, live, so a composer left open cannot quietly send "Investigating" after a colleague
 * resolved it; statuses the server would refuse are not offered. The preview is the status page's
 * own card component, so what you see is what customers will see.
 */
export function PublicUpdateComposer({
  incident,
  onPosted,
}: {
  incident: Incident;
  onPosted?: (u: PublicUpdate) => void;
}) {
  // null: follow the incident's current public status.
  const [chosen, setChosen] = useState<PublicStatus | null>(null);
  const [message, setMessage] = useState("");
  const [nextIn, setNextIn] = useState(0);
  const [posted, setPosted] = useState<string | null>(null);
  const { busy, error, run } = useSubmit();

  const current = incident.publicStatus ?? PublicStatus.INVESTIGATING;
  const allowed = allowedPublicStatuses(incident);
  const status = chosen !== null && allowed.includes(chosen) ? chosen : current;
  const locked = !allowed.includes(PublicStatus.INVESTIGATING);
  const promise = status === PublicStatus.RESOLVED ? 0 : nextIn;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setPosted(null);
    void run(async () => {
      const { postPublicUpdate } = await mutate(POST_PUBLIC_UPDATE, {
        incidentId: incident.id,
        status,
        message: message.trim(),
        nextUpdateBy: promise ? new Date(Date.now() + promise * 60_000).toISOString() : null,
      });
      setMessage("");
      setChosen(null);
      setNextIn(0);
      setPosted("Posted to the status page.");
      onPosted?.(postPublicUpdate);
    });
  };

  const previewNext = promise ? new Date(Date.now() + promise * 60_000).toISOString() : null;
  return (
    <section className="panel" aria-labelledby="public-update-title" data-testid="public-update-composer">
      <h2 id="public-update-title" className="panel-title">
        Public update
      </h2>
      {!incident.public && (
        <p className="notice notice-warning small">This incident is not shown on the status page yet.</p>
      )}
      {incident.public && (
        <p className="small" data-testid="current-public-status" data-status={current}>
          Now on the status page:{" "}
          <StatusLabel tone={PUBLIC_STATUS_TONE[current]}>{PUBLIC_STATUS_WORDS[current]}</StatusLabel>
        </p>
      )}
      <form className="form" onSubmit={submit}>
        <label className="field">
          <span className="field-label">Public status</span>
          <select
            value={status}
            onChange={(e) => setChosen(e.target.value as PublicStatus)}
            data-testid="public-status-select"
          >
            {Object.values(PublicStatus).map((s) => (
              <option key={s} value={s} disabled={!allowed.includes(s)}>
                {PUBLIC_STATUS_WORDS[s]}
              </option>
            ))}
          </select>
          {locked && (
            <span className="field-help" data-testid="public-status-locked">
              This incident is resolved, so its updates stay Resolved (for example a wrap-up). If the problem
              is back, reopen the incident.
            </span>
          )}
        </label>
        <label className="field">
          <span className="field-label">Message for customers</span>
          <textarea rows={4} required value={message} onChange={(e) => setMessage(e.target.value)} />
        </label>
        {status !== PublicStatus.RESOLVED && (
          <label className="field">
            <span className="field-label">Next update</span>
            <select value={nextIn} onChange={(e) => setNextIn(Number(e.target.value))}>
              {NEXT_UPDATE_MINUTES.map((m) => (
                <option key={m} value={m}>
                  {nextUpdateWords(m)}
                </option>
              ))}
            </select>
            <span className="field-help">Shown on the card as "Next update by …".</span>
          </label>
        )}
        <figure className="preview" data-testid="public-update-preview">
          <figcaption className="preview-label small muted">
            Preview, as customers will see the card
          </figcaption>
          <PublicIncidentCard
            incident={draftCard(incident, status, message.trim(), previewNext)}
            linkTitle={false}
            updateLimit={1}
          />
        </figure>
        <FormError error={error?.message} />
        {posted && (
          <p className="notice notice-ok small" role="status">
            {posted}
          </p>
        )}
        <button type="submit" className="button button-primary" disabled={busy || !message.trim()}>
          Post public update
        </button>
      </form>
    </section>
  );
}
