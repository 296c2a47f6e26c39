import type { FeatureResolvers } from "../kernel/feature";
import { MaintenanceResolver } from "./maintenance.resolver";

/** Scheduled maintenance: windows, their updates and history. */
export const RESOLVERS: FeatureResolvers = [MaintenanceResolver];
