import type { FeatureResolvers } from "../kernel/feature";
import { PresenceResolver } from "./presence.resolver";

/** Who is in the war room. */
export const RESOLVERS: FeatureResolvers = [PresenceResolver];
