// Operations of the Admin page's Subscribers, Webhook endpoints and Mail outbox sections (admins).
import { graphql, type ResultOf } from "../graphql";

const UPDATE_SUBSCRIPTION_FIELDS = graphql(`
  fragment UpdateSubscriptionFields on UpdateSubscription {
    id channel target confirmed paused pausedReason createdAt services { id name }
  }
`);

/** Subscribers and endpoints, newest first; `search` is part of the address or URL. */
export const UPDATE_SUBSCRIPTIONS_QUERY = graphql(
  `
  query AdminUpdateSubscriptions(
    $channel: SubscriptionChannel, $search: String, $serviceId: ID, $first: Int, $offset: Int
  ) {
    updateSubscriptions(channel: $channel, search: $search, serviceId: $serviceId, first: $first, offset: $offset) {
      ...UpdateSubscriptionFields
    }
  }
`,
  [UPDATE_SUBSCRIPTION_FIELDS],
);

export const REMOVE_UPDATE_SUBSCRIPTION = graphql(`
  mutation RemoveUpdateSubscription($id: ID!) { removeUpdateSubscription(id: $id) }
`);

/** Registers a webhook endpoint; the answer carries its signing secret, shown once. */
export const REGISTER_WEBHOOK = graphql(`
  mutation RegisterWebhook($input: SubscribeInput!) { subscribe(input: $input) { ok webhookSecret subscriptionId } }
`);

export const RESUME_WEBHOOK_ENDPOINT = graphql(
  `
  mutation ResumeWebhookEndpoint($id: ID!) { resumeWebhookEndpoint(id: $id) { ...UpdateSubscriptionFields } }
`,
  [UPDATE_SUBSCRIPTION_FIELDS],
);

const WEBHOOK_DELIVERY_FIELDS = graphql(`
  fragment WebhookDeliveryFields on WebhookDelivery {
    id eventSeq attempt statusCode ok error at state test
    attempts { attempt statusCode ok error latencyMs at }
  }
`);

/** One endpoint's delivery log, newest first. */
export const WEBHOOK_DELIVERIES_QUERY = graphql(
  `
  query AdminWebhookDeliveries($subscriptionId: ID, $first: Int) {
    webhookDeliveries(subscriptionId: $subscriptionId, first: $first) { ...WebhookDeliveryFields }
  }
`,
  [WEBHOOK_DELIVERY_FIELDS],
);

export const SEND_TEST_WEBHOOK = graphql(
  `
  mutation SendTestWebhook($subscriptionId: ID!) { sendTestWebhook(subscriptionId: $subscriptionId) { ...WebhookDeliveryFields } }
`,
  [WEBHOOK_DELIVERY_FIELDS],
);

export const RETRY_WEBHOOK_DELIVERY = graphql(
  `
  mutation RetryWebhookDelivery($id: ID!) { retryWebhookDelivery(id: $id) { ...WebhookDeliveryFields } }
`,
  [WEBHOOK_DELIVERY_FIELDS],
);

/** The local mail outbox (newest first), and whether mail goes over SMTP instead. */
export const OUTGOING_MAIL_QUERY = graphql(`
  query AdminOutgoingMail($first: Int) {
    mailUsesSmtp
    outgoingMail(first: $first) { id to subject text html at sent }
  }
`);

export type UpdateSubscription = ResultOf<typeof UPDATE_SUBSCRIPTION_FIELDS>;
export type WebhookDelivery = ResultOf<typeof WEBHOOK_DELIVERY_FIELDS>;
export type MailMessage = ResultOf<typeof OUTGOING_MAIL_QUERY>["outgoingMail"][number];
