import http from "node:http";
import { Webhook } from "standardwebhooks";
import { afterAll, assert, beforeAll, describe, expect, it } from "vitest";
import { startTestBeacon, type TestBeacon } from "../support/harness";
import { createService, setServiceStatus } from "../support/incidents";

const SUBSCRIBE =
  "mutation($i: SubscribeInput!) { subscribe(input: $i) { ok webhookSecret subscriptionId } }";

interface Received {
  path: string;
  id: string;
  body: string;
  headers: Record<string, string>;
  answered: number;
}

/** A real HTTP receiver on loopback; each path answers per its plan (status codes in turn, or hang). */
class Receiver {
  readonly got: Received[] = [];
  plans = new Map<string, (n: number) => number | "hang">();
  private server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      const path = req.url ?? "/";
      // Attempts so far of this message (webhook-id) at this path.
      const n = this.got.filter((g) => g.path === path && g.id === req.headers["webhook-id"]).length;
      const plan = this.plans.get(path)?.(n) ?? 200;
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      // A missing header must not look like a matching id: verify() and the id checks then fail.
      this.got.push({
        path,
        id: headers["webhook-id"] ?? "(no webhook-id)",
        body,
        headers,
        answered: plan === "hang" ? 0 : plan,
      });
      if (plan === "hang") return; // never answers
      res.writeHead(plan).end();
    });
  });
  port = 0;
  async start() {
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", () => r()));
    this.port = (this.server.address() as { port: number }).port;
  }
  url(path: string) {
    return `http://127.0.0.1:${this.port}${path}`;
  }
  at(path: string) {
    return this.got.filter((g) => g.path === path);
  }
  async waitFor(path: string, cond: (r: Received[]) => boolean, timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs;
    while (!cond(this.at(path))) {
      if (Date.now() > deadline)
        throw new Error(`receiver ${path}: ${JSON.stringify(this.at(path).map((g) => [g.id, g.answered]))}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return this.at(path);
  }
  stop() {
    this.server.closeAllConnections();
    return new Promise<void>((r) => this.server.close(() => r()));
  }
}

describe("webhook subscriptions (real HTTP receiver, Standard Webhooks signatures)", () => {
  let t: TestBeacon;
  const rx = new Receiver();
  let serviceId: string;
  const setStatus = (status: string) => setServiceStatus(t.admin, serviceId, status);
  const register = async (path: string) => {
    const d = await t.admin.ok<{ subscribe: { ok: boolean; webhookSecret: string; subscriptionId: string } }>(
      SUBSCRIBE,
      {
        i: { webhookUrl: rx.url(path) },
      },
    );
    return d.subscribe;
  };
  const deliveries = (id: string) =>
    t.admin.ok<{
      webhookDeliveries: {
        id: string;
        state: string;
        attempt: number;
        ok: boolean;
        eventSeq: string;
        attempts: { statusCode: number | null; ok: boolean; error: string | null; latencyMs: number }[];
      }[];
    }>(
      "query($s: ID) { webhookDeliveries(subscriptionId: $s) { id state attempt ok eventSeq test attempts { statusCode ok error latencyMs } } }",
      { s: id },
    );

  beforeAll(async () => {
    await rx.start();
    t = await startTestBeacon({
      env: {
        BEACON_WEBHOOK_ALLOW_PRIVATE: "1",
        BEACON_WEBHOOK_RETRIES: "2",
        BEACON_DELIVERY_RETRY_DELAY_SECONDS: "1",
        BEACON_JOB_POLL_SECONDS: "1",
        BEACON_WEBHOOK_TIMEOUT_MS: "800",
      },
    });
    serviceId = await createService(t.admin, "API");
  });
  afterAll(async () => {
    await t?.stop();
    await rx.stop();
  });

  it("signs each POST, keeps the webhook-id across retries, and accepts exactly one delivery per event", async () => {
    const sub = await register("/flaky");
    expect(sub.webhookSecret).toMatch(/^whsec_/);
    // Fails the first two attempts of each event, then accepts.
    rx.plans.set("/flaky", (n) => (n < 2 ? 500 : 204));
    await setStatus("MAJOR_OUTAGE");
    const got = await rx.waitFor("/flaky", (r) => r.length >= 3);
    expect(new Set(got.map((g) => g.id)).size).toBe(1);
    const wh = new Webhook(sub.webhookSecret);
    for (const g of got) {
      const payload = wh.verify(g.body, g.headers) as {
        type: string;
        seq: string;
        data: { service: { name: string; status: string } };
      };
      expect(payload.type).toBe("service.status_changed");
      expect(payload.data.service).toMatchObject({ name: "API", status: "MAJOR_OUTAGE" });
    }
    // A tampered body does not verify.
    const [first] = got;
    assert.exists(first, "a first attempt");
    expect(() => wh.verify(first.body.replace("MAJOR", "MINOR"), first.headers)).toThrow();
    await new Promise((r) => setTimeout(r, 1500));
    const [d] = (await deliveries(sub.subscriptionId)).webhookDeliveries;
    assert.exists(d, "a delivery in the log");
    expect(d).toMatchObject({ id: first.id, state: "DELIVERED", ok: true, attempt: 3 });
    expect(d.attempts.map((a) => a.statusCode)).toEqual([500, 500, 204]);

    // More events: one accepted delivery each, with distinct ids.
    await setStatus("OPERATIONAL");
    await setStatus("PARTIAL_OUTAGE");
    const all = await rx.waitFor("/flaky", (r) => r.filter((g) => g.answered === 204).length >= 3);
    const accepted = all.filter((g) => g.answered === 204);
    expect(new Set(accepted.map((g) => g.id)).size).toBe(3);
    const seqs = accepted.map((g) => (JSON.parse(g.body) as { seq: string }).seq);
    expect(new Set(seqs).size).toBe(3);
  });

  it("a receiver that hangs is cut off by the timeout and never holds up the others", async () => {
    const hanging = await register("/hang");
    rx.plans.set("/hang", () => "hang");
    const healthy = await register("/ok");
    await setStatus("DEGRADED_PERFORMANCE");
    await rx.waitFor("/ok", (r) => r.length >= 1);
    await rx.waitFor("/hang", (r) => r.length >= 1);
    const deadline = Date.now() + 10_000;
    let log = await deliveries(hanging.subscriptionId);
    while (!log.webhookDeliveries[0]?.attempts.length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      log = await deliveries(hanging.subscriptionId);
    }
    expect(log.webhookDeliveries[0]?.attempts[0]).toMatchObject({ ok: false, statusCode: null });
    expect(log.webhookDeliveries[0]?.attempts[0]?.error).toMatch(/timed out/);
    expect((await deliveries(healthy.subscriptionId)).webhookDeliveries[0]?.state).toBe("DELIVERED");
    await t.admin.ok("mutation($id: ID!) { removeUpdateSubscription(id: $id) }", {
      id: hanging.subscriptionId,
    });
  });

  it("a delivery that keeps failing ends FAILED; retry sends it again with the same webhook-id", async () => {
    const sub = await register("/down");
    let up = false;
    rx.plans.set("/down", () => (up ? 200 : 503));
    await setStatus("MAJOR_OUTAGE");
    await rx.waitFor("/down", (r) => r.length >= 3);
    let d = (await deliveries(sub.subscriptionId)).webhookDeliveries[0];
    const deadline = Date.now() + 10_000;
    while (d?.state !== "FAILED" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      d = (await deliveries(sub.subscriptionId)).webhookDeliveries[0];
    }
    assert.exists(d, "a delivery in the log");
    expect(d).toMatchObject({ state: "FAILED", ok: false, attempt: 3 });
    up = true;
    const retried = await t.admin.ok<{ retryWebhookDelivery: { id: string; state: string } }>(
      "mutation($id: ID!) { retryWebhookDelivery(id: $id) { id state } }",
      { id: d.id },
    );
    expect(retried.retryWebhookDelivery).toEqual({ id: d.id, state: "PENDING" });
    const got = await rx.waitFor("/down", (r) => r.some((g) => g.answered === 200));
    expect(got.at(-1)?.id).toBe(d.id);
    // Only a failed or skipped delivery can be retried.
    await new Promise((r) => setTimeout(r, 500));
    const again = await t.admin.fails("mutation($id: ID!) { retryWebhookDelivery(id: $id) { id } }", {
      id: d.id,
    });
    expect(again.code).toBe("INVALID_TRANSITION");
  });

  it("sends a test event on request", async () => {
    const sub = await register("/test");
    const d = await t.admin.ok<{ sendTestWebhook: { id: string; test: boolean } }>(
      "mutation($s: ID!) { sendTestWebhook(subscriptionId: $s) { id test } }",
      { s: sub.subscriptionId },
    );
    const [got] = await rx.waitFor("/test", (r) => r.length >= 1);
    assert.exists(got, "the test event");
    expect(got.id).toBe(d.sendTestWebhook.id);
    expect(JSON.parse(got.body).type).toBe("test");
    new Webhook(sub.webhookSecret).verify(got.body, got.headers);
  });

  it("only admins register endpoints; URLs are validated", async () => {
    expect((await t.anon.fails(SUBSCRIBE, { i: { webhookUrl: rx.url("/x") } })).code).toBe("UNAUTHENTICATED");
    const agent = await t.user("AGENT");
    expect((await agent.fails(SUBSCRIBE, { i: { webhookUrl: rx.url("/x") } })).code).toBe("FORBIDDEN");
    const bad = await t.admin.fails(SUBSCRIBE, { i: { webhookUrl: "ftp://example.com/hook" } });
    expect(bad).toMatchObject({
      code: "BAD_USER_INPUT",
      extensions: expect.objectContaining({ field: "webhookUrl" }),
    });
  });
});

describe("webhook URLs on private networks are refused by default (SSRF)", () => {
  let t: TestBeacon;
  beforeAll(async () => {
    t = await startTestBeacon();
  });
  afterAll(() => t?.stop());

  it("refuses loopback, private, link-local and unspecified addresses, naming the field", async () => {
    for (const url of [
      "http://127.0.0.1:8080/hook",
      "http://localhost/hook",
      "http://10.1.2.3/hook",
      "http://192.168.0.10/hook",
      "http://169.254.169.254/latest/meta-data",
      "http://[::1]/hook",
      "http://0.0.0.0/hook",
      "http://[fd00::1]/hook",
    ]) {
      const e = await t.admin.fails(SUBSCRIBE, { i: { webhookUrl: url } });
      expect(e.code, url).toBe("BAD_USER_INPUT");
      expect(e.extensions?.field, url).toBe("webhookUrl");
      expect(e.message, url).toMatch(/BEACON_WEBHOOK_ALLOW_PRIVATE/);
    }
    const [{ n }] = await t.started.beacon.db.query("SELECT count(*)::int AS n FROM update_subscription");
    expect(n).toBe(0);
  });
});
