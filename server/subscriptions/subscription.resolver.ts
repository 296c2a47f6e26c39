import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { In } from "typeorm";
import { requirePermission } from "../auth";
import { ApiScope } from "../domain/vocabulary";
import type { BeaconContext } from "../kernel/context";
import { badInput } from "../kernel/errors";
import { Service } from "../services/service.entity";
import { type Delivery, DeliveryAttempt, DeliveryState } from "./delivery.entity";
import * as subs from "./subscription.service";
import {
  MailMessage,
  SubscribeInput,
  SubscribeResult,
  UpdateSubscriptionView,
  WebhookDelivery,
  WebhookDeliveryAttempt,
} from "./subscription.types";
import { SubscriptionChannel } from "./update-subscription.entity";

const deliveryView = (d: Delivery): WebhookDelivery => ({
  id: d.id,
  subscriptionId: d.subscriptionId,
  eventSeq: d.eventSeq,
  attempt: d.attempts,
  statusCode: d.lastStatusCode,
  ok: d.state === DeliveryState.DELIVERED,
  error: d.lastError,
  at: d.finishedAt ?? d.createdAt,
  state: d.state,
  test: d.test,
});

@Resolver(() => UpdateSubscriptionView)
export class SubscriptionResolver {
  @Mutation(() => SubscribeResult, {
    description:
      "Public for email (double opt-in: a confirmation mail is sent; the answer never tells whether the address was known). Webhook endpoints: admins or an admin's API key.",
  })
  async subscribe(
    @Arg("input", () => SubscribeInput) input: SubscribeInput,
    @Ctx() ctx: BeaconContext,
  ): Promise<SubscribeResult> {
    const hasEmail = Boolean(input.email?.trim());
    const hasUrl = Boolean(input.webhookUrl?.trim());
    if (hasEmail === hasUrl) {
      throw badInput("email", "Give exactly one of email or webhookUrl.");
    }
    if (hasEmail) {
      await subs.subscribeEmail(ctx.beacon, input, ctx.ip ?? null);
      return { ok: true };
    }
    requirePermission(ctx, "manageSubscriptions", undefined, ApiScope.WRITE);
    const { subscription, secret } = await subs.subscribeWebhook(ctx.beacon, input);
    return { ok: true, webhookSecret: secret, subscriptionId: subscription.id };
  }

  @Mutation(() => Boolean, { description: "Public: the token from the confirmation mail." })
  async confirmSubscription(@Arg("token", () => String) token: string, @Ctx() ctx: BeaconContext) {
    await subs.confirmSubscription(ctx.beacon, token);
    return true;
  }

  @Mutation(() => Boolean, {
    description: "Public: the token from an update mail's unsubscribe or manage link.",
  })
  unsubscribe(@Arg("token", () => String) token: string, @Ctx() ctx: BeaconContext) {
    return subs.unsubscribe(ctx.beacon, token);
  }

  @Query(() => [UpdateSubscriptionView], {
    description: "Admin: subscribers and webhook endpoints, newest first.",
  })
  async updateSubscriptions(
    @Ctx() ctx: BeaconContext,
    @Arg("channel", () => SubscriptionChannel, { nullable: true }) channel?: SubscriptionChannel | null,
    @Arg("first", () => Int, { nullable: true, defaultValue: 50 }) first: number | null = 50,
    @Arg("offset", () => Int, { nullable: true, defaultValue: 0 }) offset: number | null = 0,
    @Arg("search", () => String, { nullable: true, description: "Part of the address or URL." })
    search?: string | null,
    @Arg("serviceId", () => ID, { nullable: true, description: "Those that receive this service's updates." })
    serviceId?: string | null,
  ): Promise<UpdateSubscriptionView[]> {
    requirePermission(ctx, "manageSubscriptions", undefined, ApiScope.READ);
    return subs.listSubscriptions(ctx.beacon, {
      channel,
      search,
      serviceId,
      first: first ?? 50,
      offset: offset ?? 0,
    });
  }

  @FieldResolver(() => [Service], { description: "Empty: every service." })
  async services(@Root() s: UpdateSubscriptionView, @Ctx() ctx: BeaconContext): Promise<Service[]> {
    if (s.serviceIds.length === 0) return [];
    return ctx.beacon.db.manager.find(Service, {
      where: { id: In(s.serviceIds) },
      order: { position: "ASC" },
    });
  }

  @Mutation(() => Boolean, { description: "Admin: remove a subscriber or webhook endpoint." })
  async removeUpdateSubscription(@Arg("id", () => ID) id: string, @Ctx() ctx: BeaconContext) {
    requirePermission(ctx, "manageSubscriptions");
    return subs.removeSubscription(ctx.beacon, id);
  }

  @Mutation(() => UpdateSubscriptionView, {
    description:
      "Admin: resume a paused webhook endpoint (later events are delivered again; failed deliveries stay failed until retried).",
  })
  async resumeWebhookEndpoint(@Arg("id", () => ID) id: string, @Ctx() ctx: BeaconContext) {
    requirePermission(ctx, "manageSubscriptions");
    return subs.resumeWebhookEndpoint(ctx.beacon, id);
  }

  @Query(() => Boolean, {
    description:
      "Admin: true when SMTP_URL is set (mails are sent over SMTP and not kept in the local outbox).",
  })
  mailUsesSmtp(@Ctx() ctx: BeaconContext): boolean {
    requirePermission(ctx, "manageSubscriptions", undefined, ApiScope.READ);
    return ctx.beacon.mailer.usesSmtp;
  }

  @Query(() => [MailMessage], { description: "Admin: mails kept in the local outbox, newest first." })
  async outgoingMail(
    @Ctx() ctx: BeaconContext,
    @Arg("first", () => Int, { nullable: true, defaultValue: 50 }) first: number | null = 50,
  ): Promise<MailMessage[]> {
    requirePermission(ctx, "manageSubscriptions", undefined, ApiScope.READ);
    return subs.listOutgoingMail(ctx.beacon, first ?? 50);
  }

  @Query(() => [WebhookDelivery], { description: "Admin: the delivery log, newest first." })
  async webhookDeliveries(
    @Ctx() ctx: BeaconContext,
    @Arg("subscriptionId", () => ID, { nullable: true }) subscriptionId?: string | null,
    @Arg("first", () => Int, { nullable: true, defaultValue: 50 }) first: number | null = 50,
  ): Promise<WebhookDelivery[]> {
    requirePermission(ctx, "manageSubscriptions", undefined, ApiScope.READ);
    return (await subs.listDeliveries(ctx.beacon, subscriptionId, first ?? 50)).map(deliveryView);
  }

  @Mutation(() => WebhookDelivery, { description: "Admin: send a test event to an endpoint now." })
  async sendTestWebhook(@Arg("subscriptionId", () => ID) id: string, @Ctx() ctx: BeaconContext) {
    requirePermission(ctx, "manageSubscriptions");
    return deliveryView(await subs.sendTestWebhook(ctx.beacon, id));
  }

  @Mutation(() => WebhookDelivery, {
    description: "Admin: try a failed delivery again (same webhook-id); resumes a paused endpoint.",
  })
  async retryWebhookDelivery(@Arg("id", () => ID) id: string, @Ctx() ctx: BeaconContext) {
    requirePermission(ctx, "manageSubscriptions");
    return deliveryView(await subs.retryDelivery(ctx.beacon, id));
  }
}

@Resolver(() => WebhookDelivery)
export class WebhookDeliveryResolver {
  @FieldResolver(() => [WebhookDeliveryAttempt], {
    description: "The delivery log of this delivery, in order.",
  })
  attempts(@Root() d: WebhookDelivery, @Ctx() ctx: BeaconContext): Promise<WebhookDeliveryAttempt[]> {
    return ctx.beacon.db.manager.find(DeliveryAttempt, {
      where: { deliveryId: d.id },
      order: { attempt: "ASC" },
    });
  }
}
