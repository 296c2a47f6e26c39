import type { ChildProcess } from "node:child_process";
import { afterAll, assert, describe, expect, inject, it } from "vitest";
import { freshDatabase } from "../support/databases";
import { startTestBeacon, type TestBeacon, TestClient } from "../support/harness";
import { createService, setServiceStatus } from "../support/incidents";
import { adminClient, until as pollUntil, spawnBeacon } from "../support/instances";
import { linkIn, MailSink } from "../support/mail-sink";
import { WebhookReceiver } from "../support/webhook-receiver";

// A Beacon process killed with SIGKILL in the middle of delivering a burst of events (webhook
// POSTs in flight at a slow receiver, mails being sent, the outbox consumer mid-page), then another
// instance started on the same database: every event reaches every subscriber, none is skipped;
// each (event, subscription) is one delivery with one webhook-id / Message-ID, so the receiver,
// de-duplicating by webhook-id, accepts each event exactly once.

const ENV = {
  BEACON_WEBHOOK_ALLOW_PRIVATE: "1",
  BEACON_JOB_POLL_SECONDS: "1",
  BEACON_JOB_MAINTENANCE_SECONDS: "1",
  // A killed instance's attempts are taken for dead after 8 s (timeout 3 s + 5) instead of 60 s.
  BEACON_DELIVERY_EXPIRE_SECONDS: "5",
  BEACON_WEBHOOK_TIMEOUT_MS: "3000",
  BEACON_DELIVERY_RETRY_DELAY_SECONDS: "1",
  PUBLIC_URL: "http://status.test",
  BEACON_RATE_HTTP_PER_MINUTE: "100000",
};
const SUBSCRIBE =
  "mutation($i: SubscribeInput!) { subscribe(input: $i) { ok webhookSecret subscriptionId } }";
const STATUSES = ["MAJOR_OUTAGE", "PARTIAL_OUTAGE", "DEGRADED_PERFORMANCE", "OPERATIONAL"];
const ENDPOINTS = ["/a", "/b", "/c"];
const EMAILS = ["kay@example.com", "lin@example.com"];

let child: ChildProcess | null = null;
let next: TestBeacon | null = null;
let dropDb: (() => Promise<void>) | null = null;
const rx = new WebhookReceiver();
const sink = new MailSink();

afterAll(async () => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  await next?.stop(); // drops nothing: the database was given
  await dropDb?.();
  await rx.stop();
  await sink.stop();
});

/** Polls every 100 ms (the burst settles quickly). */
const until = (what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 60_000) =>
  pollUntil(what, cond, timeoutMs, 100);

describe("kill -9 mid-delivery, then another instance on the same database", () => {
  it("delivers every event to every subscriber, none skipped, one delivery (one id) per event each", async () => {
    await rx.start();
    const smtpUrl = await sink.start();
    const db = await freshDatabase(inject("pgBaseUrl"));
    dropDb = db.drop;
    const beacon = await spawnBeacon(db.url, { ...ENV, SMTP_URL: smtpUrl });
    child = beacon.child;
    await beacon.listening(60_000, 100);
    const { url } = beacon;
    const anon = new TestClient(url);
    const admin = await adminClient(url);
    const api = await createService(admin, "API");

    for (const path of ENDPOINTS) {
      const { subscribe } = await admin.ok<{ subscribe: { webhookSecret: string } }>(SUBSCRIBE, {
        i: { webhookUrl: rx.url(path) },
      });
      rx.verifyWith(path, subscribe.webhookSecret);
      // A slow receiver: each delivery is in flight for 300 ms.
      rx.plans.set(path, () => ({ status: 204, delayMs: 300 }));
    }
    for (const email of EMAILS) {
      await anon.ok(SUBSCRIBE, { i: { email } });
      const [confirmation] = await sink.waitFor(email, 1);
      assert.exists(confirmation, `the confirmation mail to ${email}`);
      const link = linkIn(confirmation.text ?? "", "http://status.test/subscriptions/confirm?token=");
      expect((await fetch(link.replace("http://status.test", url), { method: "POST" })).status).toBe(200);
    }

    // A burst of events; the child is killed once deliveries are under way and some are in flight.
    let written = 0;
    let killed = false;
    const burst = (async () => {
      for (let i = 0; i < 40 && !killed; i++) {
        try {
          await setServiceStatus(admin, api, STATUSES[i % STATUSES.length] ?? "OPERATIONAL");
          written++;
        } catch (e) {
          if (!killed) throw e;
        }
      }
    })();
    await rx.waitFor("deliveries under way", () => rx.accepted.size >= 10 && rx.got.some((g) => !g.answered));
    const inFlight = rx.got.filter((g) => g.answered === 0).length;
    killed = true;
    child.kill("SIGKILL");
    await new Promise((r) => child!.once("exit", r));
    await burst;
    expect(inFlight).toBeGreaterThan(0);
    expect(written).toBeGreaterThan(0);

    next = await startTestBeacon({ databaseUrl: db.url, env: { ...ENV, SMTP_URL: smtpUrl } });
    const sql = next.started.beacon.db;
    // Two more events on the new instance: delivery goes on where it stopped.
    await setServiceStatus(next.admin, api, "UNDER_MAINTENANCE");
    await setServiceStatus(next.admin, api, "OPERATIONAL");

    const events: { seq: string }[] = await sql.query(
      "SELECT seq::text AS seq FROM event WHERE kind = 'SERVICE_STATUS_CHANGED' AND is_public AND seq > (SELECT min(since_seq) FROM update_subscription) ORDER BY seq",
    );
    const seqs = events.map((e) => e.seq);
    // Every status change the child committed, and the two after: at least written + 2.
    expect(seqs.length).toBeGreaterThanOrEqual(written + 2);
    await until(
      "every event accepted at every endpoint",
      () => ENDPOINTS.every((p) => rx.acceptedAt(p).length >= seqs.length),
      90_000,
    );
    await until(
      "every event mailed to every subscriber",
      () => EMAILS.every((e) => new Set(sink.to(e).map((m) => m.messageId)).size >= seqs.length + 1),
      90_000,
    );

    // A POST the receiver accepted just before the kill was never recorded: it is sent again once
    // the dead attempt expires (a duplicate the receiver drops), and only then recorded DELIVERED.
    await until(
      "every delivery recorded",
      async () => (await sql.query("SELECT 1 FROM delivery WHERE state = 'PENDING' LIMIT 1")).length === 0,
      90_000,
    );
    for (const path of ENDPOINTS) {
      const accepted = rx.acceptedAt(path);
      // Exactly the events, each once: one webhook-id per event, none missing, none extra.
      expect(accepted.map((a) => a.seq).sort(), path).toEqual([...seqs].sort());
      expect(new Set(accepted.map((a) => a.id)).size, path).toBe(seqs.length);
    }
    expect(rx.badSignatures).toBe(0);
    const idsOf = (email: string) =>
      new Set(
        sink
          .to(email)
          .filter((m) => !m.subject?.includes("Confirm"))
          .map((m) => m.messageId),
      );
    const deliveries: { id: string; seq: string; target: string; state: string }[] = await sql.query(
      `SELECT d.id, d.event_seq::text AS seq, s.target, d.state FROM delivery d
       JOIN update_subscription s ON s.id = d.subscription_id WHERE NOT d.test`,
    );
    // One delivery per (event, subscription), each delivered.
    expect(deliveries).toHaveLength(seqs.length * (ENDPOINTS.length + EMAILS.length));
    expect(deliveries.filter((d) => d.state !== "DELIVERED")).toEqual([]);
    for (const email of EMAILS) {
      const mine = deliveries.filter((d) => d.target === email);
      expect(mine.map((d) => d.seq).sort(), email).toEqual([...seqs].sort());
      // Each mail's Message-ID is its delivery's id: the distinct mails are exactly the deliveries.
      expect([...idsOf(email)].sort(), email).toEqual(mine.map((d) => `<${d.id}@status.test>`).sort());
    }
    // What the kill cost: copies sent again (same webhook-id / Message-ID), never a lost or new one.
    console.info(
      `kill -9 with ${inFlight} POSTs in flight: ${rx.duplicates} duplicate webhook POSTs, ${rx.got.filter((g) => g.cutOff).length} cut off; ${EMAILS.map((e) => sink.to(e).length - 1 - idsOf(e).size).join("+")} duplicate mails`,
    );
  }, 240_000);
});
