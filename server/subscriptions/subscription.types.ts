import { ArrayMaxSize, MaxLength } from "class-validator";
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { SubscriptionChannel } from "./update-subscription.entity";

registerEnumType(SubscriptionChannel, { name: "SubscriptionChannel" });

@InputType({ description: "Exactly one of email / webhookUrl." })
export class SubscribeInput {
  @Field(() => String, { nullable: true })
  @MaxLength(254)
  email?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Webhook endpoints: admins or an admin's API key only.",
  })
  @MaxLength(2000)
  webhookUrl?: string | null;

  @Field(() => [ID], { nullable: true, description: "None: every service." })
  @ArrayMaxSize(500)
  serviceIds?: string[] | null;
}

@ObjectType()
export class SubscribeResult {
  @Field(() => Boolean, { description: "The same answer for a known and an unknown address." })
  ok!: boolean;

  @Field(() => String, {
    nullable: true,
    description: "Webhooks only, shown once: verify signatures with it.",
  })
  webhookSecret?: string | null;

  @Field(() => ID, { nullable: true, description: "Webhooks only." })
  subscriptionId?: string | null;
}

@ObjectType("UpdateSubscription", {
  description: "An email address or webhook endpoint that receives public updates.",
})
export class UpdateSubscriptionView {
  @Field(() => ID)
  id!: string;

  @Field(() => SubscriptionChannel)
  channel!: SubscriptionChannel;

  @Field(() => String, { description: "Address or URL." })
  target!: string;

  serviceIds!: string[];

  @Field(() => Boolean)
  confirmed!: boolean;

  @Field(() => Boolean, {
    description: "Deliveries stopped after repeated failures; retry a delivery to resume.",
  })
  paused!: boolean;

  @Field(() => String, { nullable: true })
  pausedReason!: string | null;

  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType({ description: "A mail Beacon sent or, without SMTP_URL, kept in the local outbox." })
export class MailMessage {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  to!: string;

  @Field(() => String)
  subject!: string;

  @Field(() => String)
  text!: string;

  @Field(() => String, { nullable: true })
  html!: string | null;

  @Field(() => Date)
  at!: Date;

  @Field(() => Boolean, { description: "false: kept in the local outbox (no SMTP_URL)." })
  sent!: boolean;
}

@ObjectType({ description: "One try of a delivery." })
export class WebhookDeliveryAttempt {
  @Field(() => Int)
  attempt!: number;

  @Field(() => Int, { nullable: true })
  statusCode!: number | null;

  @Field(() => Boolean)
  ok!: boolean;

  @Field(() => String, { nullable: true })
  error!: string | null;

  @Field(() => Int)
  latencyMs!: number;

  @Field(() => Date)
  at!: Date;
}

@ObjectType({ description: "One event for one endpoint; its id is the webhook-id, the same on every retry." })
export class WebhookDelivery {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  subscriptionId!: string;

  @Field(() => String)
  eventSeq!: string;

  @Field(() => Int, { description: "Attempts so far." })
  attempt!: number;

  @Field(() => Int, { nullable: true, description: "The last attempt's HTTP status." })
  statusCode!: number | null;

  @Field(() => Boolean, { description: "Delivered (a 2xx answer)." })
  ok!: boolean;

  @Field(() => String, { nullable: true })
  error!: string | null;

  @Field(() => Date)
  at!: Date;

  @Field(() => String, { description: "PENDING, DELIVERED, FAILED (retries exhausted) or SKIPPED." })
  state!: string;

  @Field(() => Boolean, { description: "A test event (sendTestWebhook)." })
  test!: boolean;
}
