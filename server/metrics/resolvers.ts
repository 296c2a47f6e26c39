import type { FeatureResolvers } from "../kernel/feature";
import { MetricsResolver } from "./metrics.resolver";

/** Incident metrics and reports (docs/reports.md). */
export const RESOLVERS: FeatureResolvers = [MetricsResolver];
