import { randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import type { EventRecord } from "../events/event.entity";
import type { JobInfo } from "../jobs";
import { OutboxConsumer } from "../jobs";
import type { Beacon } from "../kernel/context";
import { Delivery, DeliveryAttempt, DeliveryState } from "./delivery.entity";
import { confirmationMail, type PublicEventJson, updateMail, webhookType } from "./mail-content";
import { signingKey, signToken } from "./tokens";
import { SubscriptionChannel, UpdateSubscription } from "./update-subscription.entity";
import { postWebhook } from "./webhook-sender";

export const EMAIL_JOB = "delivery.email";
export const WEBHOOK_JOB = "delivery.webhook";
export const CONFIRMATION_JOB = "mail.confirmation";

/** Event kinds mailed to email subscribers; webhooks receive every public event. */
const MAILED_KINDS = new Set([
  "SERVICE_STATUS_CHANGED",
  "INCIDENT_PUBLISHED",
  "INCIDENT_UPDATED",
  "INCIDENT_RESOLVED",
  "MAINTENANCE_SCHEDULED",
  "MAINTENANCE_STARTED",
  "MAINTENANCE_COMPLETED",
  "MAINTENANCE_CANCELED",
]);

/** A webhook endpoint whose deliveries fail for good this many times in a row is paused. */
export const PAUSE_AFTER_FAILURES = 5;

interface DeliveryJob {
  deliveryId: string;
}

/** Services an event concerns (empty: it names none, only "every service" subscribers get it). */
export function servicesOfEvent(e: Pick<EventRecord, "payload">): string[] {
  const p = e.payload as {
    service?: { id: string };
    incident?: { services?: { id: string }[] };
    maintenance?: { services?: { id: string }[] };
  };
  const ids = [
    ...(p.service ? [p.service.id] : []),
    ...(p.incident?.services ?? []).map((s) => s.id),
    ...(p.maintenance?.services ?? []).map((s) => s.id),
  ];
  return [...new Set(ids)];
}

export const webhookBody = (e: Pick<EventRecord, "seq" | "kind" | "at" | "payload">) =>
  JSON.stringify({
    type: webhookType(e.kind),
    seq: e.seq,
    data: { seq: e.seq, kind: e.kind, at: new Date(e.at).toISOString(), ...e.payload },
  });

/**
 * The delivery engine. An outbox consumer turns each public event into one `delivery` row and one
 * job per matching subscription, in the transaction that advances its cursor (so: exactly one per
 * (event, subscription), across restarts, crashes and instances). Jobs send the mail or POST the
 * webhook, at least once, retried with backoff; the delivery id is the stable message id.
 */
export class DeliveryEngine {
  readonly consumer: OutboxConsumer;
  private key: Buffer | null = null;

  constructor(private readonly beacon: Beacon) {
    this.consumer = new OutboxConsumer(
      "deliveries",
      beacon.db,
      beacon.hub,
      beacon.log.child({ component: "deliveries" }),
      (events, m) => this.enqueue(events, m),
      () => {
        beacon.jobs.wake(EMAIL_JOB);
        beacon.jobs.wake(WEBHOOK_JOB);
      },
    );
    const c = beacon.config;
    beacon.jobs.define<DeliveryJob>({
      name: EMAIL_JOB,
      retryLimit: 5,
      retryDelay: c.deliveryRetryDelaySeconds,
      batchSize: 50,
      handler: (d, info) => this.deliverEmail(d.deliveryId, info),
    });
    beacon.jobs.define<DeliveryJob>({
      name: WEBHOOK_JOB,
      retryLimit: c.webhookRetries,
      retryDelay: c.deliveryRetryDelaySeconds,
      // Each attempt is bounded by the receiver timeout; expiry only catches a dead instance.
      expireInSeconds: Math.ceil(c.webhookTimeoutMs / 1000) + 30,
      batchSize: 20,
      handler: (d, info) => this.deliverWebhook(d.deliveryId, info),
    });
    beacon.jobs.define<{ subscriptionId: string }>({
      name: CONFIRMATION_JOB,
      handler: (d) => this.sendConfirmation(d.subscriptionId),
    });
  }

  async start(): Promise<void> {
    this.key = await signingKey(this.beacon.db);
    await this.consumer.start();
  }

  async stop(): Promise<void> {
    await this.consumer.stop();
  }

  get signingKey(): Buffer {
    if (!this.key) throw new Error("delivery engine not started");
    return this.key;
  }

  links(subscriptionId: string) {
    const base = this.beacon.config.publicUrl;
    const unsubscribe = signToken(this.signingKey, { s: subscriptionId, p: "unsubscribe" });
    const manage = signToken(this.signingKey, { s: subscriptionId, p: "manage" });
    return {
      publicUrl: base,
      unsubscribeUrl: `${base}/subscriptions/unsubscribe?token=${encodeURIComponent(unsubscribe)}`,
      manageUrl: `${base}/subscriptions/manage?token=${encodeURIComponent(manage)}`,
    };
  }

  /** In the consumer's transaction: one delivery + one job per (public event, matching subscription). */
  private async enqueue(events: EventRecord[], m: EntityManager): Promise<void> {
    const byQueue: Record<typeof EMAIL_JOB | typeof WEBHOOK_JOB, { id: string; data: DeliveryJob }[]> = {
      [EMAIL_JOB]: [],
      [WEBHOOK_JOB]: [],
    };
    for (const e of events) {
      if (!e.isPublic) continue;
      const channels = MAILED_KINDS.has(e.kind)
        ? [SubscriptionChannel.EMAIL, SubscriptionChannel.WEBHOOK]
        : [SubscriptionChannel.WEBHOOK];
      const rows: { id: string; channel: SubscriptionChannel }[] = await m.query(
        `WITH ins AS (
           INSERT INTO delivery (subscription_id, event_seq, state)
           SELECT s.id, $1, 'PENDING' FROM update_subscription s
           WHERE s.channel = ANY($2) AND s.confirmed AND NOT s.paused AND s.since_seq < $1
             AND (cardinality(s.service_ids) = 0 OR s.service_ids && $3::uuid[])
           ON CONFLICT (subscription_id, event_seq) WHERE test = false DO NOTHING
           RETURNING id, subscription_id)
         SELECT ins.id, s.channel FROM ins JOIN update_subscription s ON s.id = ins.subscription_id`,
        [e.seq, channels, servicesOfEvent(e)],
      );
      for (const r of rows) {
        byQueue[r.channel === SubscriptionChannel.EMAIL ? EMAIL_JOB : WEBHOOK_JOB].push({
          id: r.id,
          data: { deliveryId: r.id },
        });
      }
    }
    for (const [queue, jobs] of Object.entries(byQueue)) {
      // The job id is the delivery id: enqueuing the same delivery twice makes one job.
      for (let i = 0; i < jobs.length; i += 5000) {
        await this.beacon.jobs.sendMany(queue, jobs.slice(i, i + 5000), m);
      }
    }
  }

  /** Loads what a delivery job needs, or marks it skipped (subscription gone or paused). */
  private async load(deliveryId: string) {
    const m = this.beacon.db.manager;
    const delivery = await m.findOneBy(Delivery, { id: deliveryId });
    if (!delivery || delivery.state !== DeliveryState.PENDING) return null;
    const sub = await m.findOneBy(UpdateSubscription, { id: delivery.subscriptionId });
    if (!sub || sub.paused || !sub.confirmed) {
      await m.update(
        Delivery,
        { id: deliveryId, state: DeliveryState.PENDING },
        { state: DeliveryState.SKIPPED, finishedAt: this.beacon.clock.now() },
      );
      return null;
    }
    const [event]: EventRecord[] = delivery.test
      ? [
          {
            seq: delivery.eventSeq,
            kind: "TEST",
            at: delivery.createdAt,
            isPublic: true,
            payload: {},
          } as EventRecord,
        ]
      : await m.query("SELECT seq::text AS seq, kind, at, payload FROM event WHERE seq = $1", [
          delivery.eventSeq,
        ]);
    // The outbox is append-only and a delivery row references its event, so this cannot be missing.
    if (!event) throw new Error(`delivery ${delivery.id}: event ${delivery.eventSeq} is not in the outbox`);
    return { delivery, sub, event };
  }

  private async deliverEmail(deliveryId: string, info: JobInfo): Promise<void> {
    const loaded = await this.load(deliveryId);
    if (!loaded) return;
    const { delivery, sub, event } = loaded;
    const mail = updateMail(sub.target, event as unknown as PublicEventJson, this.links(sub.id));
    const started = performance.now();
    try {
      await this.beacon.db.transaction(async (m) => {
        // Without SMTP the mail row commits with the delivery's state: exactly once.
        if (mail) await this.beacon.mailer.send(mail, m);
        await this.record(
          m,
          delivery,
          sub,
          { ok: true, statusCode: null, error: null, latencyMs: 0 },
          info,
          started,
        );
      });
    } catch (e) {
      await this.beacon.db.transaction((m) =>
        this.record(
          m,
          delivery,
          sub,
          { ok: false, statusCode: null, error: (e as Error).message, latencyMs: 0 },
          info,
          started,
        ),
      );
      throw e;
    }
  }

  private async deliverWebhook(deliveryId: string, info: JobInfo): Promise<void> {
    const loaded = await this.load(deliveryId);
    if (!loaded) return;
    const { delivery, sub, event } = loaded;
    const c = this.beacon.config;
    const body = delivery.test
      ? JSON.stringify({ type: "test", seq: delivery.eventSeq, data: { message: "Test event from Beacon" } })
      : webhookBody(event);
    const result = await postWebhook({
      url: sub.target,
      secret: sub.secret ?? "",
      msgId: delivery.id,
      body,
      now: this.beacon.clock.now(),
      timeoutMs: c.webhookTimeoutMs,
      allowPrivate: c.webhookAllowPrivate,
    });
    await this.beacon.db.transaction((m) => this.record(m, delivery, sub, result, info));
    if (!result.ok) throw new Error(result.error ?? "delivery failed");
  }

  /** Delivery log entry + delivery state; a final failure counts against the endpoint (pause). */
  private async record(
    m: EntityManager,
    delivery: Delivery,
    sub: UpdateSubscription,
    r: { ok: boolean; statusCode: number | null; error: string | null; latencyMs: number },
    info: JobInfo,
    started?: number,
  ): Promise<void> {
    const now = this.beacon.clock.now();
    const [counted]: { attempts: number }[] = await m
      .query("UPDATE delivery SET attempts = attempts + 1 WHERE id = $1 RETURNING attempts", [delivery.id])
      .then((r: [{ attempts: number }[], number]) => r[0]);
    if (!counted) throw new Error(`delivery ${delivery.id} disappeared while recording an attempt`);
    const { attempts } = counted;
    await m.insert(DeliveryAttempt, {
      deliveryId: delivery.id,
      attempt: attempts,
      statusCode: r.statusCode,
      ok: r.ok,
      error: r.error,
      latencyMs: started !== undefined ? Math.round(performance.now() - started) : r.latencyMs,
      at: now,
    });
    const final = r.ok || info.finalAttempt;
    await m.update(Delivery, delivery.id, {
      lastStatusCode: r.statusCode,
      lastError: r.error,
      ...(final ? { state: r.ok ? DeliveryState.DELIVERED : DeliveryState.FAILED, finishedAt: now } : {}),
    });
    if (r.ok) {
      if (sub.consecutiveFailures > 0) await m.update(UpdateSubscription, sub.id, { consecutiveFailures: 0 });
    } else if (info.finalAttempt && !delivery.test) {
      const [counted]: { failures: number }[] = await m
        .query(
          "UPDATE update_subscription SET consecutive_failures = consecutive_failures + 1 WHERE id = $1 RETURNING consecutive_failures AS failures",
          [sub.id],
        )
        .then((x: [{ failures: number }[], number]) => x[0]);
      if (!counted) throw new Error(`subscription ${sub.id} disappeared while recording a failed delivery`);
      const { failures } = counted;
      if (failures >= PAUSE_AFTER_FAILURES && !sub.paused) {
        const reason = `Paused after ${failures} deliveries in a row failed (last: ${r.error ?? "error"}). Retry a failed delivery to resume.`;
        await m.update(UpdateSubscription, sub.id, { paused: true, pausedReason: reason });
        await this.onPaused(m, sub, reason);
      }
    }
  }

  /** Overridden by the notifications feature to tell admins; logs otherwise. */
  onPaused = async (_m: EntityManager, sub: UpdateSubscription, reason: string): Promise<void> => {
    this.beacon.log.warn({ subscriptionId: sub.id, target: sub.target }, reason);
  };

  private async sendConfirmation(subscriptionId: string): Promise<void> {
    const sub = await this.beacon.db.manager.findOneBy(UpdateSubscription, { id: subscriptionId });
    if (!sub || sub.confirmed) return;
    const token = signToken(this.signingKey, {
      s: sub.id,
      p: "confirm",
      e: Math.floor(this.beacon.clock.now().getTime() / 1000) + 7 * 24 * 3600,
    });
    const url = `${this.beacon.config.publicUrl}/subscriptions/confirm?token=${encodeURIComponent(token)}`;
    await this.beacon.mailer.send(confirmationMail(sub.target, url));
  }

  /** Re-queues a delivery under the same id (so the same webhook-id); resumes a paused endpoint. */
  async retry(deliveryId: string): Promise<void> {
    let queue: string | null = null;
    await this.beacon.db.transaction(async (m) => {
      const d = await m.findOne(Delivery, { where: { id: deliveryId }, lock: { mode: "pessimistic_write" } });
      if (!d) return;
      await m.update(Delivery, d.id, { state: DeliveryState.PENDING, finishedAt: null });
      await m.update(UpdateSubscription, d.subscriptionId, {
        paused: false,
        pausedReason: null,
        consecutiveFailures: 0,
      });
      const sub = await m.findOneByOrFail(UpdateSubscription, { id: d.subscriptionId });
      queue = sub.channel === SubscriptionChannel.EMAIL ? EMAIL_JOB : WEBHOOK_JOB;
      await this.beacon.jobs.send<DeliveryJob>(queue, { deliveryId: d.id }, { manager: m, id: randomUUID() });
    });
    if (queue) this.beacon.jobs.wake(queue);
  }
}
