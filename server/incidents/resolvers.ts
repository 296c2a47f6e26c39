import type { FeatureResolvers } from "../kernel/feature";
import { IncidentResolver } from "./incident.resolver";
import { IncidentCommandResolver } from "./incident-commands.resolver";

/** Incidents: reads, fields and live activity; the commands as mutations. */
export const RESOLVERS: FeatureResolvers = [IncidentResolver, IncidentCommandResolver];
