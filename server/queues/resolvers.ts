import type { FeatureResolvers } from "../kernel/feature";
import { QueueResolver } from "./queue.resolver";

/** Queues and their members. */
export const RESOLVERS: FeatureResolvers = [QueueResolver];
