import { randomUUID } from "node:crypto";
import pLimit from "p-limit";
import type { EntityManager } from "typeorm";
import type { EventRecord } from "../events/event.entity";
import type { JobInfo } from "../jobs";
import { OutboxConsumer } from "../jobs";
import type { Beacon } from "../kernel/context";
import { adminIds, NOTIFICATION_EMAIL_JOB, notifyUsers } from "../notifications";
import { Delivery, DeliveryAttempt, DeliveryState } from "./delivery.entity";
import {
  confirmationMail,
  MAILED_KINDS,
  type PublicEventJson,
  updateMail,
  webhookType,
} from "./mail-content";
import { signingKey, signToken } from "./tokens";
import { SubscriptionChannel, UpdateSubscription } from "./update-subscription.entity";
import { postWebhook } from "./webhook-sender";

export const EMAIL_JOB = "delivery.email";
export const WEBHOOK_JOB = "delivery.webhook";
export const CONFIRMATION_JOB = "mail.confirmation";

/** Database connections the delivery jobs of one instance use at most at once. */
export const DELIVERY_DB_CONNECTIONS = 3;

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
      expireInSeconds: c.deliveryExpireSeconds,
      // SMTP_URL's transport pools its connections (server/mail/mailer.ts); this many wait on them.
      concurrency: 20,
      handler: (d, info) => this.deliverEmail(d.deliveryId, info),
    });
    beacon.jobs.define<DeliveryJob>({
      name: WEBHOOK_JOB,
      retryLimit: c.webhookRetries,
      retryDelay: c.deliveryRetryDelaySeconds,
      // Each attempt is bounded by the receiver timeout; expiry only catches a dead instance.
      expireInSeconds: Math.max(c.deliveryExpireSeconds, Math.ceil(c.webhookTimeoutMs / 1000) + 5),
      // A pool, not batches: a receiver that hangs holds up one slot, never the deliveries behind it.
      concurrency: 50,
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
  /** True when it enqueued a job (the workers are woken after the commit). */
  private async enqueue(events: EventRecord[], m: EntityManager): Promise<boolean> {
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
    return byQueue[EMAIL_JOB].length + byQueue[WEBHOOK_JOB].length > 0;
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
      : await this.eventAt(delivery.eventSeq);
    // The outbox is append-only and a delivery row references its event, so this cannot be missing.
    if (!event) throw new Error(`delivery ${delivery.id}: event ${delivery.eventSeq} is not in the outbox`);
    return { delivery, sub, event };
  }

  /**
   * Deliveries use at most this many of Beacon's database connections at once (the pool has 10):
   * up to 70 of them run at a time, and without a bound their reads and writes queue on the pool
   * in front of the write path's. Sending (SMTP, the POST) happens outside it.
   */
  private readonly inDb = pLimit(DELIVERY_DB_CONNECTIONS);

  /**
   * The outbox is append-only, so an event read once is the event for good: one event fanned out
   * to thousands of subscriptions is read once per instance, not once per delivery.
   */
  private readonly events = new Map<string, EventRecord>();
  private async eventAt(seq: string): Promise<EventRecord[]> {
    const cached = this.events.get(seq);
    if (cached) return [cached];
    const rows: EventRecord[] = await this.beacon.db.query(
      "SELECT seq::text AS seq, kind, at, payload FROM event WHERE seq = $1",
      [seq],
    );
    const [event] = rows;
    if (event) {
      this.events.set(seq, event);
      // A few recent events are all a burst needs; the oldest goes first.
      if (this.events.size > 64) this.events.delete(this.events.keys().next().value as string);
    }
    return rows;
  }

  private async deliverEmail(deliveryId: string, info: JobInfo): Promise<void> {
    const loaded = await this.inDb(() => this.load(deliveryId));
    if (!loaded) return;
    const { delivery, sub, event } = loaded;
    const mail = updateMail(sub.target, event as unknown as PublicEventJson, this.links(sub.id));
    if (!mail) {
      // Only MAILED_KINDS get email deliveries and updateMail builds a mail for each of them (a unit
      // test holds the two together); should they ever part, say so instead of "delivered".
      const error = `no mail is written for ${event.kind} events`;
      this.beacon.log.warn({ deliveryId, kind: event.kind }, error);
      await this.beacon.db.manager.update(
        Delivery,
        { id: deliveryId, state: DeliveryState.PENDING },
        { state: DeliveryState.SKIPPED, lastError: error, finishedAt: this.beacon.clock.now() },
      );
      return;
    }
    // The delivery id is the Message-ID: at least once, but a copy after a crash is the same mail.
    mail.messageId = `<${delivery.id}@${new URL(this.beacon.config.publicUrl).hostname || "beacon"}>`;
    const started = performance.now();
    const sent = { ok: true, statusCode: null, error: null, latencyMs: 0 };
    try {
      if (this.beacon.mailer.usesSmtp) {
        // Sent outside any transaction: no database connection is held while the relay answers
        // (twenty sends at once would otherwise take the pool the write path needs). A crash
        // between sending and recording sends it again, under the same Message-ID.
        await this.beacon.mailer.send(mail);
        await this.inDb(() =>
          this.beacon.db.transaction((m) => this.record(m, delivery, sub, sent, info, started)),
        );
      } else {
        // Without SMTP the mail row commits with the delivery's state: exactly once.
        await this.inDb(() =>
          this.beacon.db.transaction(async (m) => {
            await this.beacon.mailer.send(mail, m);
            await this.record(m, delivery, sub, sent, info, started);
          }),
        );
      }
    } catch (e) {
      await this.inDb(() =>
        this.beacon.db.transaction((m) =>
          this.record(
            m,
            delivery,
            sub,
            { ok: false, statusCode: null, error: (e as Error).message, latencyMs: 0 },
            info,
            started,
          ),
        ),
      );
      throw e;
    }
  }

  private async deliverWebhook(deliveryId: string, info: JobInfo): Promise<void> {
    const loaded = await this.inDb(() => this.load(deliveryId));
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
    await this.inDb(() => this.beacon.db.transaction((m) => this.record(m, delivery, sub, result, info)));
    if (!result.ok) {
      // A final failure may have paused the endpoint and queued mails to the admins.
      if (info.finalAttempt) this.beacon.jobs.wake(NOTIFICATION_EMAIL_JOB);
      throw new Error(result.error ?? "delivery failed");
    }
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
    const final = r.ok || info.finalAttempt;
    // One statement: the attempt counted, the last outcome, and the final state when it is final.
    const [counted]: { attempts: number }[] = await m
      .query(
        `UPDATE delivery SET attempts = attempts + 1, last_status_code = $2, last_error = $3,
           state = CASE WHEN $4 THEN $5 ELSE state END,
           finished_at = CASE WHEN $4 THEN $6::timestamptz ELSE finished_at END
         WHERE id = $1 RETURNING attempts`,
        [
          delivery.id,
          r.statusCode,
          r.error,
          final,
          r.ok ? DeliveryState.DELIVERED : DeliveryState.FAILED,
          now,
        ],
      )
      .then((x: [{ attempts: number }[], number]) => x[0]);
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
    if (r.ok && sub.consecutiveFailures > 0) {
      await m.query(
        "UPDATE update_subscription SET consecutive_failures = 0 WHERE id = $1 AND consecutive_failures > 0",
        [sub.id],
      );
    } else if (info.finalAttempt && !delivery.test && sub.channel === SubscriptionChannel.WEBHOOK) {
      // Only webhook endpoints are paused: a failing mail is nearly always the SMTP relay's trouble
      // (down, refusing), and pausing every subscriber because of it would silence them all.
      const [counted]: { failures: number }[] = await m
        .query(
          "UPDATE update_subscription SET consecutive_failures = consecutive_failures + 1 WHERE id = $1 RETURNING consecutive_failures AS failures",
          [sub.id],
        )
        .then((x: [{ failures: number }[], number]) => x[0]);
      if (!counted) throw new Error(`subscription ${sub.id} disappeared while recording a failed delivery`);
      const { failures } = counted;
      if (failures >= PAUSE_AFTER_FAILURES) {
        const reason = `Paused after ${failures} deliveries in a row failed (last: ${r.error ?? "error"}). Retry a failed delivery to resume.`;
        // Deliveries to one endpoint fail concurrently: the counter's row lock orders them, and
        // only the one that actually pauses it tells the admins (once per pause).
        const paused: unknown[] = await m
          .query(
            "UPDATE update_subscription SET paused = true, paused_reason = $2 WHERE id = $1 AND NOT paused RETURNING id",
            [sub.id, reason],
          )
          .then((x: [unknown[], number]) => x[0]);
        if (paused.length > 0) await this.onPaused(m, sub, reason);
      }
    }
  }

  /**
   * Admins are told, in the transaction that pauses the endpoint: an in-app notification each
   * (the war room's bell) and, unless they switched it off, its email copy through the mail module
   * (a job after commit; without SMTP_URL, the local outbox).
   */
  private async onPaused(m: EntityManager, sub: UpdateSubscription, reason: string): Promise<void> {
    this.beacon.log.warn({ subscriptionId: sub.id, target: sub.target }, reason);
    await notifyUsers(m, {
      userIds: await adminIds(m),
      kind: "WEBHOOK_PAUSED",
      title: `Webhook endpoint paused: ${sub.target}`,
      body: `${reason} Its delivery log (Subscribers, webhook endpoints) shows each attempt's status code and error.`,
    });
  }

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
