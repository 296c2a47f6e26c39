import type { FeatureResolvers } from "../kernel/feature";
import { NotificationResolver } from "./notification.resolver";

/** Responder notifications: the bell's reads, marking read, preferences, the live stream. */
export const RESOLVERS: FeatureResolvers = [NotificationResolver];
