import type { FeatureResolvers } from "../kernel/feature";
import { ChangeRecordResolver } from "./change-record.resolver";

/** Change records (shared by every versioned subject). */
export const RESOLVERS: FeatureResolvers = [ChangeRecordResolver];
