import type { FeatureResolvers } from "../kernel/feature";
import { ProblemResolver } from "./problem.resolver";

/** Problem records: list, page, known errors, and their commands. */
export const RESOLVERS: FeatureResolvers = [ProblemResolver];
