// Operations of the war room's Maintenance page (the server decides who may change windows).
import { graphql, type ResultOf } from "../graphql";

const WINDOW_FIELDS = graphql(`
  fragment WarMaintenanceFields on Maintenance {
    id title description state version autoTransition
    scheduledStart scheduledEnd startedAt completedAt
    services { id name slug }
    updates { id state message at }
  }
`);

export const WAR_MAINTENANCES_QUERY = graphql(
  `
  query WarMaintenances { maintenances(first: 100) { ...WarMaintenanceFields } }
`,
  [WINDOW_FIELDS],
);

export const WAR_MAINTENANCE_CHANGED = graphql(
  `
  subscription WarMaintenanceChanged($since: String) {
    statusChanged(since: $since) { seq kind maintenance { ...WarMaintenanceFields } }
  }
`,
  [WINDOW_FIELDS],
);

export const SCHEDULE_MAINTENANCE = graphql(
  `
  mutation WarScheduleMaintenance($input: ScheduleMaintenanceInput!) {
    scheduleMaintenance(input: $input) { ...WarMaintenanceFields }
  }
`,
  [WINDOW_FIELDS],
);

export const UPDATE_MAINTENANCE = graphql(
  `
  mutation WarUpdateMaintenance($id: ID!, $expectedVersion: Int!, $input: UpdateMaintenanceInput!) {
    updateMaintenance(id: $id, expectedVersion: $expectedVersion, input: $input) { ...WarMaintenanceFields }
  }
`,
  [WINDOW_FIELDS],
);

export const POST_MAINTENANCE_UPDATE = graphql(
  `
  mutation WarPostMaintenanceUpdate($id: ID!, $expectedVersion: Int!, $message: String!, $state: MaintenanceState) {
    postMaintenanceUpdate(id: $id, expectedVersion: $expectedVersion, message: $message, state: $state) {
      ...WarMaintenanceFields
    }
  }
`,
  [WINDOW_FIELDS],
);

export const START_MAINTENANCE = graphql(
  `
  mutation WarStartMaintenance($id: ID!, $expectedVersion: Int!) {
    startMaintenance(id: $id, expectedVersion: $expectedVersion) { ...WarMaintenanceFields }
  }
`,
  [WINDOW_FIELDS],
);

export const COMPLETE_MAINTENANCE = graphql(
  `
  mutation WarCompleteMaintenance($id: ID!, $expectedVersion: Int!) {
    completeMaintenance(id: $id, expectedVersion: $expectedVersion) { ...WarMaintenanceFields }
  }
`,
  [WINDOW_FIELDS],
);

export const CANCEL_MAINTENANCE = graphql(
  `
  mutation WarCancelMaintenance($id: ID!, $expectedVersion: Int!, $reason: String!) {
    cancelMaintenance(id: $id, expectedVersion: $expectedVersion, reason: $reason) { ...WarMaintenanceFields }
  }
`,
  [WINDOW_FIELDS],
);

/** Open incidents with their services: what a planned window may run into. */
export const OPEN_INCIDENT_SERVICES_QUERY = graphql(`
  query WarOpenIncidentServices {
    incidents(first: 100) { edges { node { id number title state services { id } } } }
  }
`);

export type WarMaintenance = ResultOf<typeof WINDOW_FIELDS>;
export type WarMaintenanceEvent = NonNullable<ResultOf<typeof WAR_MAINTENANCE_CHANGED>["statusChanged"]>;
