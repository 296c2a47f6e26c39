import type { FeatureResolvers } from "../kernel/feature";
import { ApiKeyResolver } from "./api-key.resolver";
import { AuthResolver } from "./auth.resolver";

/** Sign-in, sessions, people and API keys. */
export const RESOLVERS: FeatureResolvers = [ApiKeyResolver, AuthResolver];
