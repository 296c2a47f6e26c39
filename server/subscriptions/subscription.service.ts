import { randomBytes } from "node:crypto";
import { In } from "typeorm";
import { ErrorCode } from "../domain/vocabulary";
import { currentSeq } from "../events";
import type { Beacon } from "../kernel/context";
import { BeaconError, badInput, isUuid, notFound } from "../kernel/errors";
import { OutgoingMail } from "../mail/outgoing-mail.entity";
import type { LimitSpec } from "../rate-limit";
import { Service } from "../services/service.entity";
import { Delivery, DeliveryState } from "./delivery.entity";
import { CONFIRMATION_JOB, WEBHOOK_JOB } from "./delivery.service";
import { type TokenClaims, type TokenPurpose, verifyToken } from "./tokens";
import { SubscriptionChannel, UpdateSubscription } from "./update-subscription.entity";
import { checkWebhookUrl, UnsafeUrlError } from "./webhook-sender";

/** The public subscribe mutation cannot be used to spam: per caller address and per target address. */
export const SUBSCRIBE_PER_IP: LimitSpec = { name: "subscribe-ip", points: 20, durationSeconds: 3600 };
export const SUBSCRIBE_PER_ADDRESS: LimitSpec = {
  name: "subscribe-address",
  points: 3,
  durationSeconds: 3600,
};
/** A pending confirmation is not mailed again within this time (at most one pending per address). */
export const CONFIRMATION_RESEND_MS = 24 * 3600_000;

const EMAIL_RE = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

export function normalizeSubscriberEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (email.length > 254 || !EMAIL_RE.test(email)) {
    throw badInput("email", `"${raw}" is not an email address; give one like name@example.com.`);
  }
  return email;
}

async function checkServices(beacon: Beacon, ids: string[] | null | undefined): Promise<string[]> {
  const unique = [...new Set(ids ?? [])];
  if (unique.some((id) => !isUuid(id)))
    throw badInput("serviceIds", "serviceIds contains an id that is not a service id.");
  if (unique.length === 0) return [];
  const found = await beacon.db.manager.count(Service, { where: { id: In(unique) } });
  if (found !== unique.length) {
    throw badInput(
      "serviceIds",
      "serviceIds names a service that does not exist; list services with { services { id name } }.",
    );
  }
  return unique;
}

export interface SubscribeInputData {
  email?: string | null;
  webhookUrl?: string | null;
  serviceIds?: string[] | null;
}

/**
 * Email: double opt-in. The answer is the same whether the address is new, pending or confirmed
 * (no enumeration); a confirmation mail is queued only for a new address or a pending one whose
 * last confirmation is older than a day. Nothing is mailed in this transaction: the job is.
 */
export async function subscribeEmail(
  beacon: Beacon,
  input: SubscribeInputData,
  ip: string | null,
): Promise<void> {
  const email = normalizeSubscriberEmail(input.email ?? "");
  const serviceIds = await checkServices(beacon, input.serviceIds);
  await beacon.rateLimits.consume(SUBSCRIBE_PER_IP, ip ?? "unknown", "from your address");
  await beacon.rateLimits.consume(SUBSCRIBE_PER_ADDRESS, email, "for this email address");
  await beacon.db.transaction(async (m) => {
    const now = beacon.clock.now();
    await m.query(
      "INSERT INTO update_subscription (channel, target, service_ids) VALUES ('EMAIL', $1, $2) ON CONFLICT (target) WHERE channel = 'EMAIL' DO NOTHING",
      [email, serviceIds],
    );
    const sub = await m.findOneOrFail(UpdateSubscription, {
      where: { channel: SubscriptionChannel.EMAIL, target: email },
      lock: { mode: "pessimistic_write" },
    });
    if (sub.confirmed) return;
    await m.update(UpdateSubscription, sub.id, { serviceIds });
    const due =
      !sub.confirmationSentAt || now.getTime() - sub.confirmationSentAt.getTime() >= CONFIRMATION_RESEND_MS;
    if (!due) return;
    await m.update(UpdateSubscription, sub.id, { confirmationSentAt: now });
    await beacon.jobs.send(CONFIRMATION_JOB, { subscriptionId: sub.id }, { manager: m });
  });
  beacon.jobs.wake(CONFIRMATION_JOB);
}

/** Webhook endpoints are registered by admins (or an admin's API key); the secret is returned once. */
export async function subscribeWebhook(
  beacon: Beacon,
  input: SubscribeInputData,
): Promise<{ subscription: UpdateSubscription; secret: string }> {
  let url: URL;
  try {
    url = await checkWebhookUrl(input.webhookUrl ?? "", beacon.config.webhookAllowPrivate);
  } catch (e) {
    if (e instanceof UnsafeUrlError) throw badInput("webhookUrl", e.message);
    throw e;
  }
  const serviceIds = await checkServices(beacon, input.serviceIds);
  const secret = `whsec_${randomBytes(24).toString("base64")}`;
  const subscription = await beacon.db.transaction(async (m) => {
    const since = await currentSeq(m);
    return m.save(
      m.create(UpdateSubscription, {
        channel: SubscriptionChannel.WEBHOOK,
        target: url.toString(),
        serviceIds,
        confirmed: true,
        confirmedAt: beacon.clock.now(),
        sinceSeq: since,
        secret,
      }),
    );
  });
  return { subscription, secret };
}

const invalidLink = () =>
  new BeaconError(
    ErrorCode.BAD_USER_INPUT,
    "This link is invalid or has expired. Subscribe again on the status page to get a new one.",
    { field: "token" },
  );

/** Confirms an email subscription; from now on (seq) it receives updates. */
export async function confirmSubscription(beacon: Beacon, token: string): Promise<UpdateSubscription> {
  const claims = linkClaims(beacon, token, "confirm");
  return beacon.db.transaction(async (m) => {
    const sub = await m.findOne(UpdateSubscription, {
      where: { id: claims.s },
      lock: { mode: "pessimistic_write" },
    });
    if (!sub) throw invalidLink();
    if (!sub.confirmed) {
      await m.update(UpdateSubscription, sub.id, {
        confirmed: true,
        confirmedAt: beacon.clock.now(),
        sinceSeq: await currentSeq(m),
      });
    }
    return m.findOneByOrFail(UpdateSubscription, { id: sub.id });
  });
}

/** The purposes each link page accepts: an unsubscribe works from a manage link too. */
const LINK_PURPOSES = {
  confirm: ["confirm"],
  unsubscribe: ["unsubscribe", "manage"],
} as const satisfies Record<string, readonly TokenPurpose[]>;

/** The claims of a link of `page`, or the invalid-link error (tampered, expired, another purpose). */
export function linkClaims(beacon: Beacon, token: string, page: keyof typeof LINK_PURPOSES): TokenClaims {
  const now = beacon.clock.now();
  for (const purpose of LINK_PURPOSES[page]) {
    const claims = verifyToken(beacon.deliveries.signingKey, token, purpose, now);
    if (claims) return claims;
  }
  throw invalidLink();
}

/** Removes the subscription named by a signed unsubscribe (or manage) link. Idempotent. */
export async function unsubscribe(beacon: Beacon, token: string): Promise<boolean> {
  await removeSubscription(beacon, linkClaims(beacon, token, "unsubscribe").s);
  return true;
}

/** The subscription a manage link names (null: gone). */
export async function subscriptionOfManageToken(
  beacon: Beacon,
  token: string,
): Promise<UpdateSubscription | null> {
  const claims = verifyToken(beacon.deliveries.signingKey, token, "manage", beacon.clock.now());
  if (!claims) throw invalidLink();
  return beacon.db.manager.findOneBy(UpdateSubscription, { id: claims.s });
}

export async function setServicesByManageToken(
  beacon: Beacon,
  token: string,
  serviceIds: string[],
): Promise<void> {
  const sub = await subscriptionOfManageToken(beacon, token);
  if (!sub) throw invalidLink();
  const ids = await checkServices(beacon, serviceIds);
  await beacon.db.manager.update(UpdateSubscription, sub.id, { serviceIds: ids });
}

export async function removeSubscription(beacon: Beacon, id: string): Promise<boolean> {
  return beacon.db.transaction(async (m) => {
    const sub = await m.findOne(UpdateSubscription, { where: { id }, lock: { mode: "pessimistic_write" } });
    if (!sub) return false;
    // Pending deliveries find no subscription and are skipped; the log of past ones stays.
    await m.update(
      Delivery,
      { subscriptionId: id, state: DeliveryState.PENDING },
      {
        state: DeliveryState.SKIPPED,
        finishedAt: beacon.clock.now(),
      },
    );
    await m.delete(UpdateSubscription, id);
    return true;
  });
}

/**
 * Resumes a paused webhook endpoint: deliveries of later events go out again; the failed ones stay
 * failed until retried (retryWebhookDelivery). Idempotent: resuming an active endpoint changes nothing.
 */
export async function resumeWebhookEndpoint(beacon: Beacon, id: string): Promise<UpdateSubscription> {
  if (!isUuid(id)) throw notFound("webhook endpoint", id);
  return beacon.db.transaction(async (m) => {
    const sub = await m.findOne(UpdateSubscription, {
      where: { id, channel: SubscriptionChannel.WEBHOOK },
      lock: { mode: "pessimistic_write" },
    });
    if (!sub) throw notFound("webhook endpoint", id);
    if (sub.paused) {
      await m.update(UpdateSubscription, id, { paused: false, pausedReason: null, consecutiveFailures: 0 });
    }
    return m.findOneByOrFail(UpdateSubscription, { id });
  });
}

export async function listSubscriptions(
  beacon: Beacon,
  opts: {
    channel?: SubscriptionChannel | null;
    search?: string | null;
    serviceId?: string | null;
    first: number;
    offset: number;
  },
): Promise<UpdateSubscription[]> {
  const q = beacon.db.manager
    .getRepository(UpdateSubscription)
    .createQueryBuilder("s")
    .orderBy("s.created_at", "DESC")
    .addOrderBy("s.id", "ASC")
    .take(Math.min(Math.max(opts.first, 0), 500))
    .skip(Math.max(opts.offset, 0));
  if (opts.channel) q.andWhere("s.channel = :channel", { channel: opts.channel });
  if (opts.search)
    q.andWhere("s.target ILIKE :search", { search: `%${opts.search.replace(/[%_\\]/g, "\\$&")}%` });
  if (opts.serviceId) {
    if (!isUuid(opts.serviceId)) throw badInput("serviceId", "serviceId is not a service id.");
    q.andWhere("(cardinality(s.service_ids) = 0 OR :sid = ANY(s.service_ids))", { sid: opts.serviceId });
  }
  return q.getMany();
}

export async function sendTestWebhook(beacon: Beacon, subscriptionId: string): Promise<Delivery> {
  if (!isUuid(subscriptionId)) throw notFound("webhook endpoint", subscriptionId);
  const delivery = await beacon.db.transaction(async (m) => {
    const sub = await m.findOneBy(UpdateSubscription, {
      id: subscriptionId,
      channel: SubscriptionChannel.WEBHOOK,
    });
    if (!sub) throw notFound("webhook endpoint", subscriptionId);
    const d = await m.save(
      m.create(Delivery, {
        subscriptionId,
        eventSeq: await currentSeq(m),
        test: true,
        state: DeliveryState.PENDING,
      }),
    );
    await beacon.jobs.send(WEBHOOK_JOB, { deliveryId: d.id }, { manager: m, id: d.id });
    return d;
  });
  beacon.jobs.wake(WEBHOOK_JOB);
  return delivery;
}

export async function retryDelivery(beacon: Beacon, id: string): Promise<Delivery> {
  const d = isUuid(id) ? await beacon.db.manager.findOneBy(Delivery, { id }) : null;
  if (!d) throw notFound("delivery", id);
  if (d.state !== DeliveryState.FAILED && d.state !== DeliveryState.SKIPPED) {
    throw new BeaconError(
      ErrorCode.INVALID_TRANSITION,
      `This delivery is ${d.state.toLowerCase()}; only a failed or skipped delivery can be retried.`,
    );
  }
  await beacon.deliveries.retry(id);
  return beacon.db.manager.findOneByOrFail(Delivery, { id });
}

export async function listDeliveries(
  beacon: Beacon,
  subscriptionId: string | null | undefined,
  first: number,
) {
  if (subscriptionId && !isUuid(subscriptionId)) throw notFound("webhook endpoint", subscriptionId);
  return beacon.db.manager.find(Delivery, {
    where: subscriptionId ? { subscriptionId } : {},
    order: { createdAt: "DESC", id: "ASC" },
    take: Math.min(Math.max(first, 0), 500),
  });
}

export async function listOutgoingMail(beacon: Beacon, first: number) {
  return beacon.db.manager.find(OutgoingMail, {
    order: { at: "DESC", id: "ASC" },
    take: Math.min(Math.max(first, 0), 500),
  });
}
