import type { FeatureResolvers } from "../kernel/feature";
import { SubscriptionResolver, WebhookDeliveryResolver } from "./subscription.resolver";

/** Reach: subscribe (email, webhooks), confirm/unsubscribe, the admin lists and the delivery log. */
export const RESOLVERS: FeatureResolvers = [SubscriptionResolver, WebhookDeliveryResolver];
