import type { FeatureResolvers } from "../kernel/feature";
import { StatusResolver } from "./status.resolver";

/** The public status page: summary, public incidents, statusChanged. */
export const RESOLVERS: FeatureResolvers = [StatusResolver];
