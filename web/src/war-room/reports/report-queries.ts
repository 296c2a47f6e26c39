// The Reports page (docs/reports.md): incidentMetrics, and the open incidents for the "now" panel.
import { graphql, type ResultOf } from "../../graphql";

export const METRICS_ROW_FIELDS = graphql(`
  fragment MetricsRowFields on MetricsRow {
    key label count
    mttaSeconds mttaMedianSeconds mttaBusinessSeconds mttaBusinessMedianSeconds
    mttrSeconds mttrMedianSeconds mttrBusinessSeconds mttrBusinessMedianSeconds
    slaAttainment ackAttainment breaches ackBreaches resolveBreaches
  }
`);

/** The report as grouped, plus incidents per day for the line chart (whatever the grouping). */
export const METRICS_QUERY = graphql(
  `
  query IncidentMetrics($from: DateTime!, $to: DateTime!, $groupBy: MetricsGroup) {
    incidentMetrics(from: $from, to: $to, groupBy: $groupBy) {
      from to groupBy timeZone
      count
      mttaSeconds mttaMedianSeconds mttaBusinessSeconds mttaBusinessMedianSeconds
      mttrSeconds mttrMedianSeconds mttrBusinessSeconds mttrBusinessMedianSeconds
      slaAttainment ackAttainment breaches ackBreaches resolveBreaches
      rows { ...MetricsRowFields }
      trends { key label count group baselineWeekly }
    }
    daily: incidentMetrics(from: $from, to: $to, groupBy: DAY) { rows { key count breaches } }
  }
`,
  [METRICS_ROW_FIELDS],
);

export type Metrics = ResultOf<typeof METRICS_QUERY>["incidentMetrics"];
export type MetricsRowData = Metrics["rows"][number];
export type Trend = Metrics["trends"][number];
export type DailyRow = ResultOf<typeof METRICS_QUERY>["daily"]["rows"][number];

export const OPEN_INCIDENT_FIELDS = graphql(`
  fragment OpenIncidentFields on Incident {
    id number title priority state
    sla { acknowledge { dueAt breached } resolve { dueAt breached } }
  }
`);

/** Unresolved incidents with their SLA clocks, for the "now" panel. */
export const OPEN_INCIDENTS_QUERY = graphql(
  `
  query ReportsOpenIncidents($filter: IncidentFilter, $first: Int, $after: String) {
    incidents(filter: $filter, first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node { ...OpenIncidentFields } }
    }
  }
`,
  [OPEN_INCIDENT_FIELDS],
);

export const OPEN_INCIDENTS_CHANGED = graphql(
  `
  subscription ReportsOpenIncidentsChanged($since: String) {
    incidentsChanged(since: $since) { seq incident { ...OpenIncidentFields } }
  }
`,
  [OPEN_INCIDENT_FIELDS],
);
