import type { ResultOf } from "../graphql";
import { publicQuery } from "../graphql-client";
import { useDocumentTitle } from "../shared/hooks";
import { Link } from "../shared/router";
import { useLiveQuery } from "../shared/useLiveQuery";
import { PublicIncidentCard } from "./PublicIncidentCard";
import type { PublicIncident, StatusEvent } from "./queries";
import { PUBLIC_INCIDENT_QUERY, STATUS_CHANGED, STATUS_SEQ_QUERY } from "./queries";

type State = { incident: PublicIncident | null };

/** One public incident, live. */
export function IncidentPage({ id }: { id: string }) {
  const live = useLiveQuery<State, StatusEvent, ResultOf<typeof STATUS_CHANGED>>(`public-incident:${id}`, {
    load: async () => {
      // The seq is read BEFORE the incident, so a replay may repeat what the snapshot shows
      // (harmless: an event carries the whole incident) but can never skip anything.
      const { statusSummary } = await publicQuery(STATUS_SEQ_QUERY);
      const { publicIncident } = await publicQuery(PUBLIC_INCIDENT_QUERY, { id });
      return { snapshot: { incident: publicIncident }, seq: statusSummary.seq };
    },
    subscription: STATUS_CHANGED,
    eventOf: (data) => data.statusChanged,
    seqOf: (event) => event.seq,
    apply: (state, event) => (event.incident?.id === id ? { incident: event.incident } : state),
  });
  const incident = live.data?.incident;
  useDocumentTitle(incident ? `${incident.title} · Beacon status` : "Incident · Beacon status");

  return (
    <>
      <p className="breadcrumb">
        <Link to="/">Current status</Link> <span aria-hidden="true">›</span>{" "}
        <Link to="/history">History</Link>
      </p>
      {live.data === undefined && !live.error && (
        <div className="card skeleton" style={{ height: 280 }} aria-busy="true" />
      )}
      {live.error && live.data === undefined && live.error.code !== "NOT_FOUND" && (
        <p className="notice notice-error" role="alert">
          {live.error.message}
        </p>
      )}
      {((live.data && !incident) || live.error?.code === "NOT_FOUND") && (
        <div className="card empty">
          <h1 className="page-title">Incident not found</h1>
          <p>
            There is no public incident with this address. See the <Link to="/history">incident history</Link>
            .
          </p>
        </div>
      )}
      {incident && (
        <div aria-live="polite">
          <PublicIncidentCard incident={incident} headingLevel={1} linkTitle={false} />
          {incident.postmortem && <Postmortem text={incident.postmortem} />}
        </div>
      )}
    </>
  );
}

/** The post-incident review's text written for the public, paragraph by paragraph. */
function Postmortem({ text }: { text: string }) {
  return (
    <section className="card postmortem" aria-labelledby="postmortem-title" data-testid="public-postmortem">
      <h2 id="postmortem-title" className="postmortem-title">
        Postmortem
      </h2>
      {text.split(/\n\s*\n/).map((paragraph, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: paragraphs of one fixed text
        <p key={i}>{paragraph}</p>
      ))}
    </section>
  );
}
