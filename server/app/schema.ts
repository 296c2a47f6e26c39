import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { GraphQLDateTime } from "graphql-scalars";
import { buildSchema, registerEnumType } from "type-graphql";
import { ApiKeyResolver } from "../auth/api-key.resolver";
import { AuthResolver } from "../auth/auth.resolver";
import * as vocabulary from "../domain/vocabulary";
import { RESOLVERS as INCIDENT_RESOLVERS } from "../incidents/resolvers";
import { ServiceResolver } from "../services/service.resolver";
import { StatusResolver } from "../status-page/status.resolver";
import { PresenceResolver } from "../war-room/presence.resolver";

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
    resolvers: [
      AuthResolver,
      ApiKeyResolver,
      ServiceResolver,
      StatusResolver,
      PresenceResolver,
      ...INCIDENT_RESOLVERS,
    ],
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
