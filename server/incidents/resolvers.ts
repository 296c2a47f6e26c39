import type { FeatureResolvers } from "../kernel/feature";
import { IncidentResolver } from "./incident.resolver";
import { IncidentCommandResolver } from "./incident-commands.resolver";
import {
  IncidentRecordResolver,
  ReviewActionItemResolver,
  TimelineEntryRecordResolver,
} from "./record.resolver";
import { RequesterConfirmationResolver } from "./requester.resolver";

/** Incidents: reads, fields and live activity; the commands as mutations. */
export const RESOLVERS: FeatureResolvers = [
  IncidentResolver,
  IncidentCommandResolver,
  IncidentRecordResolver,
  TimelineEntryRecordResolver,
  ReviewActionItemResolver,
  RequesterConfirmationResolver,
];
