import type { FeatureResolvers } from "../kernel/feature";
import { ServiceResolver } from "./service.resolver";

/** Services, their status, uptime and history. */
export const RESOLVERS: FeatureResolvers = [ServiceResolver];
