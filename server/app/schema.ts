import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { GraphQLDateTime } from "graphql-scalars";
import { buildSchema, type NonEmptyArray, registerEnumType } from "type-graphql";
import { RESOLVERS as AUTH } from "../auth/resolvers";
import { RESOLVERS as CATEGORIES } from "../categories/resolvers";
import * as vocabulary from "../domain/vocabulary";
import { RESOLVERS as HISTORY } from "../history/resolvers";
import { RESOLVERS as INCIDENTS } from "../incidents/resolvers";
import { RESOLVERS as MAINTENANCE } from "../maintenance/resolvers";
import { RESOLVERS as METRICS } from "../metrics/resolvers";
import { RESOLVERS as NOTIFICATIONS } from "../notifications/resolvers";
import { RESOLVERS as PROBLEMS } from "../problems/resolvers";
import { RESOLVERS as QUEUES } from "../queues/resolvers";
import { RESOLVERS as SERVICES } from "../services/resolvers";
import { RESOLVERS as SLA } from "../sla/resolvers";
import { RESOLVERS as STATUS_PAGE } from "../status-page/resolvers";
import { RESOLVERS as SUBSCRIPTIONS } from "../subscriptions";
import { RESOLVERS as WAR_ROOM } from "../war-room/resolvers";

const ENUMS = {
  ServiceStatus: vocabulary.ServiceStatus,
  StatusIndicator: vocabulary.StatusIndicator,
  Impact: vocabulary.Impact,
  Urgency: vocabulary.Urgency,
  Priority: vocabulary.Priority,
  IncidentState: vocabulary.IncidentState,
  PublicStatus: vocabulary.PublicStatus,
  HoldReason: vocabulary.HoldReason,
  ResolutionCode: vocabulary.ResolutionCode,
  ContactMethod: vocabulary.ContactMethod,
  Role: vocabulary.Role,
  TimelineKind: vocabulary.TimelineKind,
  StatusEventKind: vocabulary.StatusEventKind,
  ApiScope: vocabulary.ApiScope,
  RoomRole: vocabulary.RoomRole,
  ProblemState: vocabulary.ProblemState,
  MetricsGroup: vocabulary.MetricsGroup,
  IncidentOrder: vocabulary.IncidentOrder,
} as const;

let registered = false;
function registerEnums() {
  if (registered) return;
  registered = true;
  for (const [name, e] of Object.entries(ENUMS)) registerEnumType(e, { name });
}

let cached: Promise<GraphQLSchema> | null = null;

/** The schema, built once per process from the decorated classes. */
export function beaconSchema(): Promise<GraphQLSchema> {
  registerEnums();
  cached ??= buildSchema({
    // Each feature lists its own resolvers (<feature>/resolvers.ts); this is the one place that
    // assembles them.
    resolvers: [
      ...AUTH,
      ...SERVICES,
      ...STATUS_PAGE,
      ...WAR_ROOM,
      ...INCIDENTS,
      ...QUEUES,
      ...HISTORY,
      ...SUBSCRIPTIONS,
      ...MAINTENANCE,
      ...PROBLEMS,
      ...CATEGORIES,
      ...METRICS,
      ...NOTIFICATIONS,
      ...SLA,
    ] as unknown as NonEmptyArray<new () => object>,
    scalarsMap: [{ type: Date, scalar: GraphQLDateTime }],
    validate: { forbidUnknownValues: false },
    emitSchemaFile: false,
    // Every subscription brings its own `subscribe` (the event hub); type-graphql still insists on a
    // PubSub, so give it one that refuses to be used.
    pubSub: {
      publish() {
        throw new Error("Beacon publishes through the outbox, not type-graphql's PubSub");
      },
      subscribe() {
        throw new Error("Beacon subscriptions use the event hub, not type-graphql's PubSub");
      },
    },
  });
  return cached;
}
