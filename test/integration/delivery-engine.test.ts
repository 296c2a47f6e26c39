import { afterAll, assert, beforeAll, describe, expect, inject, it } from "vitest";
import { freshDatabase } from "../support/databases";
import { ADMIN, startTestBeacon, type TestBeacon, type TestClient } from "../support/harness";
import { createService, setServiceStatus } from "../support/incidents";
import { linkIn, MailSink } from "../support/mail-sink";
import { WebhookReceiver } from "../support/webhook-receiver";

// The delivery engine under faults (docs/subscriptions.md): two instances on one database, receivers
// that hang or keep failing, and the write path that must not wait for any of it. The kill -9 case
// is test/integration/delivery-kill.test.ts.

const SUBSCRIBE =
  "mutation($i: SubscribeInput!) { subscribe(input: $i) { ok webhookSecret subscriptionId } }";
const CYCLE = ["MAJOR_OUTAGE", "PARTIAL_OUTAGE", "DEGRADED_PERFORMANCE", "OPERATIONAL"];
const status = (i: number) => CYCLE[i % CYCLE.length] ?? "OPERATIONAL";

const until = async (what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

async function registerWebhook(admin: TestClient, rx: WebhookReceiver, path: string, verify = true) {
  const { subscribe } = await admin.ok<{ subscribe: { webhookSecret: string; subscriptionId: string } }>(
    SUBSCRIBE,
    { i: { webhookUrl: rx.url(path) } },
  );
  if (verify) rx.verifyWith(path, subscribe.webhookSecret);
  return subscribe;
}

async function subscribeEmail(t: TestBeacon, sink: MailSink, email: string) {
  await t.anon.ok(SUBSCRIBE, { i: { email } });
  const [confirmation] = await sink.waitFor(email, 1);
  assert.exists(confirmation, `the confirmation mail to ${email}`);
  const link = linkIn(confirmation.text ?? "", "http://status.test/subscriptions/confirm?token=");
  expect((await fetch(link.replace("http://status.test", t.url), { method: "POST" })).status).toBe(200);
}

describe("two instances on one database", () => {
  const rx = new WebhookReceiver();
  const sink = new MailSink();
  let a: TestBeacon;
  let b: TestBeacon;
  let dropDb: () => Promise<void> = async () => {};

  beforeAll(async () => {
    await rx.start();
    const smtpUrl = await sink.start();
    const db = await freshDatabase(inject("pgBaseUrl"));
    dropDb = db.drop;
    const env = {
      SMTP_URL: smtpUrl,
      PUBLIC_URL: "http://status.test",
      BEACON_WEBHOOK_ALLOW_PRIVATE: "1",
      BEACON_JOB_POLL_SECONDS: "1",
    };
    // One after the other (starting together is two-instances.test.ts's subject, not this one's).
    a = await startTestBeacon({ databaseUrl: db.url, env });
    b = await startTestBeacon({ databaseUrl: db.url, env });
  }, 120_000);
  afterAll(async () => {
    await b?.started.stop();
    await a?.started.stop();
    await dropDb();
    await rx.stop();
    await sink.stop();
  });

  it("each event is delivered once per subscription: one POST per endpoint, one mail per address", async () => {
    const api = await createService(a.admin, "API");
    const endpoints = ["/one", "/two", "/three"];
    for (const [i, path] of endpoints.entries()) await registerWebhook(i % 2 ? b.admin : a.admin, rx, path);
    const emails = ["ann@example.com", "bob@example.com", "cy@example.com"];
    for (const [i, email] of emails.entries()) await subscribeEmail(i % 2 ? b : a, sink, email);

    // Written alternately on both instances: both consumers wake, both pools fetch.
    const n = 16;
    for (let i = 0; i < n; i++) await setServiceStatus((i % 2 ? b : a).admin, api, status(i));
    const seqs: string[] = (
      await a.started.beacon.db.query(
        "SELECT seq::text AS seq FROM event WHERE kind = 'SERVICE_STATUS_CHANGED' ORDER BY seq DESC LIMIT $1",
        [n],
      )
    ).map((e: { seq: string }) => e.seq);
    await rx.waitFor("every event at every endpoint", () =>
      endpoints.every((p) => rx.acceptedAt(p).length >= n),
    );
    for (const email of emails) await sink.waitFor(email, n + 1);
    // Anything sent twice would have arrived by the time both instances are idle.
    await Promise.all([a, b].map((t) => t.started.beacon.deliveries.consumer.drain()));
    await until(
      "every delivery recorded",
      async () =>
        (await a.started.beacon.db.query("SELECT 1 FROM delivery WHERE state = 'PENDING' LIMIT 1")).length ===
        0,
    );

    for (const path of endpoints) {
      // Not only accepted once: POSTed once (no failure happened, so no retry was due).
      expect(rx.at(path), path).toHaveLength(n);
      expect(
        rx
          .acceptedAt(path)
          .map((x) => x.seq)
          .sort(),
        path,
      ).toEqual([...seqs].sort());
    }
    expect(rx.duplicates).toBe(0);
    expect(rx.badSignatures).toBe(0);
    for (const email of emails) {
      const updates = sink.to(email).filter((m) => !m.subject?.includes("Confirm"));
      expect(updates, email).toHaveLength(n);
      expect(new Set(updates.map((m) => m.messageId)).size, email).toBe(n);
    }
    const [{ deliveries }] = await a.started.beacon.db.query(
      "SELECT count(*)::int AS deliveries FROM delivery WHERE state = 'DELIVERED'",
    );
    expect(deliveries).toBe(n * (endpoints.length + emails.length));
  }, 120_000);
});

describe("receivers that hang or fail", () => {
  const rx = new WebhookReceiver();
  const sink = new MailSink();
  let t: TestBeacon;
  let api: string;
  let step = 0;
  const change = () => setServiceStatus(t.admin, api, status(step++));

  beforeAll(async () => {
    await rx.start();
    t = await startTestBeacon({
      env: {
        SMTP_URL: await sink.start(),
        PUBLIC_URL: "http://status.test",
        BEACON_WEBHOOK_ALLOW_PRIVATE: "1",
        BEACON_JOB_POLL_SECONDS: "1",
        BEACON_DELIVERY_RETRY_DELAY_SECONDS: "1",
        BEACON_WEBHOOK_RETRIES: "1",
        // Long enough that every hanging request is still open when the test looks.
        BEACON_WEBHOOK_TIMEOUT_MS: "20000",
      },
    });
    api = await createService(t.admin, "API");
  });
  afterAll(async () => {
    await t?.stop();
    await rx.stop();
    await sink.stop();
  });

  it("deliveries to a healthy endpoint go on while others hang (each hanging POST holds only its own slot)", async () => {
    for (const path of ["/hang1", "/hang2"]) {
      await registerWebhook(t.admin, rx, path);
      rx.plans.set(path, () => "hang");
    }
    await registerWebhook(t.admin, rx, "/healthy");
    const n = 12;
    for (let i = 0; i < n; i++) await change();
    await rx.waitFor(
      "the healthy endpoint to accept every event",
      () => rx.acceptedAt("/healthy").length >= n,
    );
    // Every hanging POST is still open: none was cut off, none answered, and yet the healthy endpoint
    // got all of its events (fetched behind the hanging ones). Under batches, the healthy endpoint's
    // later events waited for the hanging POSTs' 20 s timeout.
    const hanging = [...rx.at("/hang1"), ...rx.at("/hang2")];
    expect(hanging.some((g) => g.cutOff || g.answered)).toBe(false);
    expect(hanging.length).toBeGreaterThan(0);
    for (const path of ["/hang1", "/hang2"]) {
      const [{ id }] = await t.started.beacon.db.query(
        "SELECT id FROM update_subscription WHERE target = $1",
        [rx.url(path)],
      );
      await t.admin.ok("mutation($id: ID!) { removeUpdateSubscription(id: $id) }", { id });
    }
  });

  it("a 500 is retried with the same webhook-id and holds up nobody; an endpoint that keeps failing is paused and the admins told", async () => {
    const failing = await registerWebhook(t.admin, rx, "/failing");
    rx.plans.set("/failing", () => 500);
    const before = rx.acceptedAt("/healthy").length;
    // 5 events x (first attempt + 1 retry): five deliveries fail for good -> paused.
    for (let i = 0; i < 5; i++) await change();
    await rx.waitFor(
      "the healthy endpoint's five events",
      () => rx.acceptedAt("/healthy").length >= before + 5,
    );
    await until("the failing endpoint to be paused", async () => {
      const [s] = await t.started.beacon.db.query("SELECT paused FROM update_subscription WHERE id = $1", [
        failing.subscriptionId,
      ]);
      return s.paused === true;
    });
    const attempts = rx.at("/failing");
    // Each event was tried twice under one webhook-id.
    const byId = new Map<string, number>();
    for (const g of attempts) byId.set(g.id, (byId.get(g.id) ?? 0) + 1);
    expect([...byId.values()]).toEqual([2, 2, 2, 2, 2]);

    // The admins are told: an in-app notification and its mail (through the mail module).
    const [mail] = await sink.waitFor(ADMIN.email, 1);
    assert.exists(mail, "the mail to the admin");
    expect(mail.subject).toContain("Webhook endpoint paused");
    expect(mail.text).toContain(rx.url("/failing"));
    expect(mail.text).toContain("Paused after 5 deliveries in a row failed");
    const notes = await t.started.beacon.db.query(
      "SELECT n.kind, n.title FROM notification n JOIN app_user u ON u.id = n.user_id WHERE u.email = $1",
      [ADMIN.email],
    );
    expect(notes).toEqual([
      { kind: "WEBHOOK_PAUSED", title: `Webhook endpoint paused: ${rx.url("/failing")}` },
    ]);

    // Paused: no more deliveries for it; the others go on.
    const tried = rx.at("/failing").length;
    const healthyBefore = rx.acceptedAt("/healthy").length;
    await change();
    await rx.waitFor(
      "the healthy endpoint's next event",
      () => rx.acceptedAt("/healthy").length > healthyBefore,
    );
    await t.started.beacon.deliveries.consumer.drain();
    expect(rx.at("/failing")).toHaveLength(tried);

    // An admin retries a failed delivery: the endpoint resumes, the same webhook-id is sent again.
    rx.plans.set("/failing", () => 200);
    const [failed] = await t.started.beacon.db.query(
      "SELECT id FROM delivery WHERE subscription_id = $1 AND state = 'FAILED' ORDER BY event_seq LIMIT 1",
      [failing.subscriptionId],
    );
    await t.admin.ok("mutation($id: ID!) { retryWebhookDelivery(id: $id) { id } }", { id: failed.id });
    await rx.waitFor("the retried delivery", () => rx.acceptedAt("/failing").length === 1);
    expect(rx.acceptedAt("/failing")[0]?.id).toBe(failed.id);
    const [resumed] = await t.started.beacon.db.query(
      "SELECT paused, consecutive_failures FROM update_subscription WHERE id = $1",
      [failing.subscriptionId],
    );
    expect(resumed).toEqual({ paused: false, consecutive_failures: 0 });
    // Told once, not once per failure beyond the fifth.
    expect(sink.to(ADMIN.email)).toHaveLength(1);
  });
});

describe("the write path does not wait for deliveries", () => {
  let t: TestBeacon;
  beforeAll(async () => {
    t = await startTestBeacon({ env: { BEACON_WEBHOOK_ALLOW_PRIVATE: "1", BEACON_JOB_POLL_SECONDS: "1" } });
  });
  afterAll(() => t?.stop());

  it("a mutation commits and its event is visible before any delivery exists; the consumer fans out after", async () => {
    const api = await createService(t.admin, "API");
    const db = t.started.beacon.db;
    // 500 confirmed email subscribers and 100 webhook endpoints (nothing listens: they would fail).
    await db.query(
      `INSERT INTO update_subscription (channel, target, confirmed, since_seq)
       SELECT 'EMAIL', 'sub' || g || '@example.com', true, (SELECT value FROM counter WHERE name = 'event')
       FROM generate_series(1, 500) g`,
    );
    await db.query(
      `INSERT INTO update_subscription (channel, target, confirmed, since_seq, secret)
       SELECT 'WEBHOOK', 'http://127.0.0.1:9/hook' || g, true, (SELECT value FROM counter WHERE name = 'event'), 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
       FROM generate_series(1, 100) g`,
    );
    const consumer = t.started.beacon.deliveries.consumer;
    await consumer.stop();
    const changed = await setServiceStatus(t.admin, api, "MAJOR_OUTAGE");
    expect(changed.status).toBe("MAJOR_OUTAGE");
    // Committed and on the outbox; not one delivery row or job: the mutation did no per-subscriber work.
    const [event] = await db.query(
      "SELECT seq::text AS seq FROM event WHERE kind = 'SERVICE_STATUS_CHANGED' ORDER BY seq DESC LIMIT 1",
    );
    assert.exists(event, "the event on the outbox");
    const count = async () =>
      (
        await db.query(
          "SELECT (SELECT count(*)::int FROM delivery) AS deliveries, (SELECT count(*)::int FROM pgboss.job WHERE name LIKE 'delivery.%') AS jobs",
        )
      )[0] as { deliveries: number; jobs: number };
    expect(await count()).toEqual({ deliveries: 0, jobs: 0 });
    await consumer.start();
    await consumer.drain();
    expect(await count()).toEqual({ deliveries: 600, jobs: 600 });
    const [{ seqs }] = await db.query("SELECT array_agg(DISTINCT event_seq::text) AS seqs FROM delivery");
    expect(seqs).toEqual([event.seq]);
  });
});
