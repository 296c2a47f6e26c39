// Public operations only: nothing here selects internal data.
import { graphql, type ResultOf } from "../graphql";

export const PUBLIC_INCIDENT_FIELDS = graphql(`
  fragment PublicIncidentFields on PublicIncident {
    id
    title
    status
    impact
    services { id slug name }
    updates { id status message at nextUpdateBy }
    startedAt
    resolvedAt
    postmortem
    nextUpdateBy
  }
`);

export const MAINTENANCE_FIELDS = graphql(`
  fragment MaintenanceFields on Maintenance {
    id
    title
    description
    state
    services { id slug name }
    scheduledStart
    scheduledEnd
    startedAt
    completedAt
    updates { id state message at }
  }
`);

const SERVICE_FIELDS = graphql(`
  fragment ServiceFields on Service { id slug name description group status updatedAt }
`);

const UPTIME_FIELDS = graphql(`
  fragment UptimeFields on Service {
    uptime(days: 90) { date hasData uptimePercent worstStatus incidents maintenances }
  }
`);

/** The status page snapshot. */
export const STATUS_PAGE_QUERY = graphql(
  `
  query StatusPage {
    statusSummary {
      seq
      indicator
      description
      updatedAt
      services { ...ServiceFields ...UptimeFields }
      activeIncidents { ...PublicIncidentFields }
      recentlyResolved { ...PublicIncidentFields }
      maintenances { ...MaintenanceFields }
    }
  }
`,
  [SERVICE_FIELDS, UPTIME_FIELDS, PUBLIC_INCIDENT_FIELDS, MAINTENANCE_FIELDS],
);

/** The fallback for a server without `Service.uptime`: everything else of the snapshot. */
export const STATUS_PAGE_WITHOUT_UPTIME_QUERY = graphql(
  `
  query StatusPageWithoutUptime {
    statusSummary {
      seq
      indicator
      description
      updatedAt
      services { ...ServiceFields }
      activeIncidents { ...PublicIncidentFields }
      recentlyResolved { ...PublicIncidentFields }
      maintenances { ...MaintenanceFields }
    }
  }
`,
  [SERVICE_FIELDS, PUBLIC_INCIDENT_FIELDS, MAINTENANCE_FIELDS],
);

export const STATUS_SEQ_QUERY = graphql(`
  query StatusSeq { statusSummary { seq } }
`);

export const STATUS_CHANGED = graphql(
  `
  subscription StatusChanged($since: String) {
    statusChanged(since: $since) {
      seq
      kind
      at
      service { ...ServiceFields }
      incident { ...PublicIncidentFields }
      withdrawnIncidentId
      maintenance { ...MaintenanceFields }
    }
  }
`,
  [SERVICE_FIELDS, PUBLIC_INCIDENT_FIELDS, MAINTENANCE_FIELDS],
);

export const PUBLIC_INCIDENTS_QUERY = graphql(
  `
  query PublicIncidents($first: Int!) {
    publicIncidents(first: $first) { ...PublicIncidentFields }
  }
`,
  [PUBLIC_INCIDENT_FIELDS],
);

/** Finished and cancelled maintenance windows, latest start first (the history page). */
export const PAST_MAINTENANCES_QUERY = graphql(
  `
  query PastMaintenances {
    maintenances(states: [COMPLETED, CANCELED], first: 20) { ...MaintenanceFields }
  }
`,
  [MAINTENANCE_FIELDS],
);

export const PUBLIC_INCIDENT_QUERY = graphql(
  `
  query PublicIncident($id: ID!) {
    publicIncident(id: $id) { ...PublicIncidentFields }
  }
`,
  [PUBLIC_INCIDENT_FIELDS],
);

// The shapes the status page works with, as the documents above select them.
export type PublicIncident = ResultOf<typeof PUBLIC_INCIDENT_FIELDS>;
export type PublicUpdate = PublicIncident["updates"][number];
export type PublicMaintenance = ResultOf<typeof MAINTENANCE_FIELDS>;
export type UptimeDay = NonNullable<ResultOf<typeof UPTIME_FIELDS>["uptime"]>[number];
/** A service on the status page; `uptime` is missing when the server does not know it. */
export type Service = ResultOf<typeof SERVICE_FIELDS> & { uptime?: UptimeDay[] };
export type StatusSummary = Omit<ResultOf<typeof STATUS_PAGE_QUERY>["statusSummary"], "services"> & {
  services: Service[];
};
export type StatusEvent = NonNullable<ResultOf<typeof STATUS_CHANGED>["statusChanged"]>;

/** The services a subscriber can choose from, grouped as on the page (public). */
export const SUBSCRIBE_SERVICES_QUERY = graphql(`
  query SubscribeServices { services { id name group } }
`);

/** "Get updates": a public email subscription (double opt-in; the same answer for any address). */
export const SUBSCRIBE_EMAIL = graphql(`
  mutation SubscribeEmail($input: SubscribeInput!) { subscribe(input: $input) { ok } }
`);

export type SubscribeService = ResultOf<typeof SUBSCRIBE_SERVICES_QUERY>["services"][number];
