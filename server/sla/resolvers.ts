import type { FeatureResolvers } from "../kernel/feature";
import { IncidentSlaResolver, SlaPolicyResolver } from "./sla.resolver";

/** Service levels: Incident.sla, the policies and setSlaPolicy. */
export const RESOLVERS: FeatureResolvers = [IncidentSlaResolver, SlaPolicyResolver];
