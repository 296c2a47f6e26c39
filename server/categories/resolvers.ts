import type { FeatureResolvers } from "../kernel/feature";
import { CategoryResolver } from "./category.resolver";

/** The classification tree. */
export const RESOLVERS: FeatureResolvers = [CategoryResolver];
