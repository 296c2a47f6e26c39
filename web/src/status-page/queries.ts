// Public operations only: nothing here selects internal data.

export const PUBLIC_INCIDENT_FIELDS = /* GraphQL */ `
  fragment PublicIncidentFields on PublicIncident {
    id
    title
    status
    impact
    services { id slug name }
    updates { id status message at }
    startedAt
    resolvedAt
  }
`;

const SERVICE_FIELDS = /* GraphQL */ `
  fragment ServiceFields on Service { id slug name description group status updatedAt }
`;

/** The status page snapshot; `withUptime: false` is the fallback for a server without `Service.uptime`. */
export const statusPageQuery = (withUptime = true) => /* GraphQL */ `
  query StatusPage {
    statusSummary {
      seq
      indicator
      description
      updatedAt
      services { ...ServiceFields ${withUptime ? "uptime(days: 90) { date hasData uptimePercent worstStatus incidents }" : ""} }
      activeIncidents { ...PublicIncidentFields }
    }
  }
  ${SERVICE_FIELDS}
  ${PUBLIC_INCIDENT_FIELDS}
`;

export const STATUS_PAGE_QUERY = statusPageQuery(true);

export const STATUS_SEQ_QUERY = /* GraphQL */ `
  query StatusSeq { statusSummary { seq } }
`;

export const STATUS_CHANGED = /* GraphQL */ `
  subscription StatusChanged($since: String) {
    statusChanged(since: $since) {
      seq
      kind
      at
      service { ...ServiceFields }
      incident { ...PublicIncidentFields }
      withdrawnIncidentId
    }
  }
  ${SERVICE_FIELDS}
  ${PUBLIC_INCIDENT_FIELDS}
`;

export const PUBLIC_INCIDENTS_QUERY = /* GraphQL */ `
  query PublicIncidents($first: Int!) {
    publicIncidents(first: $first) { ...PublicIncidentFields }
  }
  ${PUBLIC_INCIDENT_FIELDS}
`;

export const PUBLIC_INCIDENT_QUERY = /* GraphQL */ `
  query PublicIncident($id: ID!) {
    publicIncident(id: $id) { ...PublicIncidentFields }
  }
  ${PUBLIC_INCIDENT_FIELDS}
`;
