import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReadinessReport } from "../../server/app/readiness";
import { type EmbeddedDatabase, startEmbeddedPostgres } from "../../server/db/embedded";
import { EventHub } from "../../server/events";
import { createLogger } from "../../server/kernel/log";
import { startTestBeacon, type TestBeacon, TestClient, type TestSubscription } from "../support/harness";
import { createService } from "../support/incidents";
import { itemAt } from "../support/item-at";

/**
 * PostgreSQL goes away under live subscribers while writes keep coming: first stopped and started
 * again (a planned restart), then its postmaster is `kill -9`ed and the supervisor of the embedded
 * PostgreSQL has to bring it back. Afterwards live delivery and presence work again through the
 * LISTEN connections, and every subscriber got every public event exactly once.
 *
 * The test starts its OWN embedded PostgreSQL; the machine's shared one is never touched. The event
 * hub's safety-net poll is switched off (BEACON_EVENT_POLL_MS = 1 h), and nothing here calls the
 * harness's `caughtUp` after the set-up: an event can only reach a subscriber because a LISTEN
 * connection woke the hub (a NOTIFY, or the catch-up by seq after a reconnect).
 */
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "beacon-dbrestart-"));
fs.chmodSync(dataDir, 0o755);
const SUBSCRIBERS = 5;
const STATUSES = ["DEGRADED_PERFORMANCE", "PARTIAL_OUTAGE", "MAJOR_OUTAGE", "OPERATIONAL"];
const PRESENCE = "subscription($i: ID!) { roomPresence(incidentId: $i) { name } }";
const restartBackoff = { initialMs: 100, maxMs: 1000 };

type Changed = {
  statusChanged: { seq: string; kind: string; service: { id: string; status: string } | null };
};
type Presence = { roomPresence: { name: string }[] };

let db: EmbeddedDatabase;
let t: TestBeacon;
let serviceId: string;
let incidentId: string;
let startSeq: bigint;
let writer: TestClient;
let managerToken: string;
let watcher: TestSubscription<Presence>;
const subscribers: TestSubscription<Changed>[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readyz(): Promise<{ status: number; body: ReadinessReport }> {
  const res = await fetch(`${t.url}/readyz`);
  return { status: res.status, body: (await res.json()) as ReadinessReport };
}

/** Polls /readyz until `done` holds (a wait with a deadline, not a latency assertion). */
async function readyzUntil(done: (r: Awaited<ReturnType<typeof readyz>>) => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let r = await readyz();
  while (!done(r) && Date.now() < deadline) {
    await sleep(100);
    r = await readyz();
  }
  return r;
}

/** Writes that keep coming whatever the database does; records what was acknowledged and refused. */
const writes = {
  /** Service versions the acknowledged writes returned: one per change that committed. */
  acknowledged: new Set<number>(),
  refusedCodes: new Set<string>(),
  refused: 0,
  running: true,
};
let writing: Promise<void>;
async function writeContinuously(): Promise<void> {
  for (let i = 0; writes.running; i++) {
    try {
      const r = await writer.gql<{ setServiceStatus: { version: number } }>(
        "mutation($s: ID!, $st: ServiceStatus!) { setServiceStatus(serviceId: $s, status: $st) { version } }",
        { s: serviceId, st: STATUSES[i % STATUSES.length] },
      );
      if (r.errors?.length) {
        writes.refused++;
        for (const e of r.errors) writes.refusedCodes.add(String(e.extensions?.code));
        await sleep(100);
      } else {
        // Setting the status it already has changes nothing: the same version comes back.
        writes.acknowledged.add(r.data!.setServiceStatus.version);
        await sleep(20);
      }
    } catch {
      await sleep(100);
    }
  }
}

/** A heartbeat as `token`, retried while the first connection after an outage may still fail. */
async function heartbeat(token: string): Promise<void> {
  const client = new TestClient(t.url, token);
  for (let i = 0; ; i++) {
    const r = await client.gql("mutation($i: ID!) { heartbeat(incidentId: $i) }", { i: incidentId });
    if (!r.errors) return;
    if (i >= 20) throw new Error(`heartbeat kept failing: ${JSON.stringify(r.errors)}`);
    await sleep(200);
  }
}

async function presentUntil(name: string): Promise<string[]> {
  const names = () => (watcher.received.at(-1)?.roomPresence ?? []).map((p) => p.name);
  for (let i = 0; i < 40 && !names().includes(name); i++) {
    await watcher.waitFor(watcher.received.length + 1, 1000).catch(() => {});
  }
  return names();
}

beforeAll(async () => {
  db = await startEmbeddedPostgres(dataDir, createLogger("silent"), { restartBackoff });
  t = await startTestBeacon({
    databaseUrl: db.url,
    env: {
      BEACON_EVENT_POLL_MS: "3600000",
      BEACON_DB_RECONNECT_MAX_MS: "1000",
      BEACON_DB_CONNECT_TIMEOUT_MS: "2000",
      BEACON_DB_QUERY_TIMEOUT_MS: "5000",
      BEACON_WS_MAX_PER_ADDRESS: "100",
    },
  });
  serviceId = await createService(t.admin, "Checkout");
  const manager = await t.user("INCIDENT_MANAGER", "Maya Manager");
  managerToken = manager.token!;
  const opened = await manager.ok<{ openIncident: { id: string } }>(
    'mutation { openIncident(input: { title: "Checkout errors", description: "5xx", impact: LOW, urgency: LOW }) { id } }',
  );
  incidentId = opened.openIncident.id;
  watcher = manager.subscribe<Presence>(PRESENCE, { i: incidentId });
  expect(await presentUntil("Maya Manager")).toContain("Maya Manager");

  // Without the harness's settle: from here on, only LISTEN wakes the hub.
  writer = new TestClient(t.url, t.admin.token);
  for (let i = 0; i < SUBSCRIBERS; i++) {
    subscribers.push(
      t.anon.subscribe<Changed>("subscription { statusChanged { seq kind service { id status } } }"),
    );
  }
  // A subscriber is live once a write reaches it; from the latest of those firsts on, all must get
  // everything.
  for (let i = 0; subscribers.some((s) => s.received.length === 0); i++) {
    if (i >= 20) throw new Error("the subscribers did not go live");
    const r = await writer.gql(
      "mutation($s: ID!, $st: ServiceStatus!) { setServiceStatus(serviceId: $s, status: $st) { status } }",
      { s: serviceId, st: STATUSES[i % STATUSES.length] },
    );
    expect(r.errors).toBeUndefined();
    await Promise.all(subscribers.map((s) => s.waitFor(1, 1000).catch(() => {})));
  }
  startSeq = BigInt(Math.max(...subscribers.map((s) => Number(itemAt(s.received, 0).statusChanged.seq))));
  writing = writeContinuously();
}, 120_000);

afterAll(async () => {
  writes.running = false;
  await writing;
  await Promise.all([...subscribers, watcher].map((s) => s?.close()));
  await t?.stop();
  await db?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe("PostgreSQL restarted under live subscribers and writes", { timeout: 60_000 }, () => {
  it("is ready before the fault: database, migrations and both LISTEN connections", async () => {
    const r = await readyz();
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ready: true, notReady: [] });
    const health = await fetch(`${t.url}/healthz`);
    expect(health.status).toBe(200);
  });

  it("stop and start: /readyz says 503 naming what is down, then 200; listeners reconnected; presence works", async () => {
    const port = db.port;
    const before = t.started.beacon.hub.listenerState.reconnects;
    await db.stop();

    const down = await readyz();
    expect(down.status).toBe(503);
    expect(down.body.ready).toBe(false);
    expect(down.body.notReady).toContain("database");
    expect(down.body.checks.database.ok).toBe(false);
    // Nothing of the driver's message leaks through the public probe.
    expect(JSON.stringify(down.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|at .*\.js/);
    const listenersDown = await readyzUntil(
      (r) => r.body.notReady.includes("eventListener") && r.body.notReady.includes("presenceListener"),
    );
    expect(listenersDown.body.notReady).toEqual(
      expect.arrayContaining(["database", "eventListener", "presenceListener"]),
    );
    expect(listenersDown.body.checks.eventListener.downSince).toBeTruthy();
    // The liveness probe does not depend on the database.
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    // Writes kept coming and were refused as "try again later" while it was down.
    const refusedBefore = writes.refused;
    for (let i = 0; i < 50 && writes.refused === refusedBefore; i++) await sleep(100);
    expect(writes.refused).toBeGreaterThan(refusedBefore);

    db = await startEmbeddedPostgres(dataDir, createLogger("silent"), { port, restartBackoff });
    const up = await readyzUntil((r) => r.status === 200);
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ ready: true, notReady: [] });
    expect(t.started.beacon.hub.listenerState.reconnects).toBeGreaterThan(before);
    expect(t.started.beacon.presence.listenerState.connected).toBe(true);

    const agent = await t.user("AGENT", "Ada Agent");
    await heartbeat(agent.token!);
    expect(await presentUntil("Ada Agent")).toContain("Ada Agent");
  });

  it("kill -9 of the postmaster: the supervisor restarts PostgreSQL, listeners reconnect, presence works", async () => {
    const restarts = db.restarts;
    const reconnects = t.started.beacon.hub.listenerState.reconnects;
    const presenceReconnects = t.started.beacon.presence.listenerState.reconnects;
    const pid = db.pid;
    expect(pid).not.toBeNull();
    process.kill(pid!, "SIGKILL");

    for (let i = 0; i < 300 && db.restarts === restarts; i++) await sleep(100);
    expect(db.restarts).toBe(restarts + 1);
    expect(db.pid).not.toBeNull();
    expect(db.pid).not.toBe(pid);
    const up = await readyzUntil(
      (r) =>
        r.status === 200 &&
        t.started.beacon.hub.listenerState.reconnects > reconnects &&
        t.started.beacon.presence.listenerState.reconnects > presenceReconnects,
    );
    expect(up.status).toBe(200);
    expect(t.started.beacon.hub.listenerState.reconnects).toBeGreaterThan(reconnects);
    expect(t.started.beacon.presence.listenerState.reconnects).toBeGreaterThan(presenceReconnects);

    await heartbeat(managerToken);
    const responder = await t.user("RESPONDER", "Rui Responder");
    await heartbeat(responder.token!);
    expect(await presentUntil("Rui Responder")).toContain("Rui Responder");
  });

  it("every subscriber got every public event exactly once, in order, live through LISTEN", async () => {
    writes.running = false;
    await writing;
    expect(writes.acknowledged.size).toBeGreaterThan(0);
    expect([...writes.refusedCodes]).toEqual(["SERVICE_UNAVAILABLE"]);
    // One more write now that everything is back: it can only arrive through a NOTIFY.
    const last = await writer.gql(
      "mutation($s: ID!) { setServiceStatus(serviceId: $s, status: UNDER_MAINTENANCE) { status } }",
      { s: serviceId },
    );
    expect(last.errors).toBeUndefined();

    const rows: { seq: string }[] = await t.started.beacon.db.query(
      "SELECT e.seq::text AS seq FROM event e WHERE e.is_public AND e.seq >= $1 ORDER BY e.seq",
      [startSeq.toString()],
    );
    const expected = rows.map((r) => r.seq);
    // At least every acknowledged change (a write whose answer was lost may also have committed).
    expect(expected.length).toBeGreaterThanOrEqual(writes.acknowledged.size + 1);
    for (const s of subscribers) {
      await s.waitFor(
        s.received.findIndex((e) => e.statusChanged.seq === expected[0]) + expected.length,
        20_000,
      );
      const got = s.received.map((e) => e.statusChanged.seq).filter((seq) => BigInt(seq) >= startSeq);
      expect(got).toEqual(expected); // none lost, none repeated, in order
      expect(s.completed).toBe(false);
      expect(s.errors).toEqual([]);
    }
    expect(itemAt(subscribers, 0).received.at(-1)?.statusChanged.service?.status).toBe("UNDER_MAINTENANCE");
  });

  it("a hub whose LISTEN connection drops catches up by seq when it reconnects: an event committed meanwhile arrives once", async () => {
    writes.running = false;
    await writing;
    // Its own hub, so that its reconnect can be held back: 4.95 s (jitter pinned), no poll.
    const hub = new EventHub(db.url, t.started.beacon.db, createLogger("silent"), {
      pollMs: 3_600_000,
      backoff: { initialMs: 5000, maxMs: 5000 },
      random: () => 0.99,
    });
    await hub.start();
    const seen: string[] = [];
    const stream = hub.subscribe((e) => e.isPublic, null);
    const reading = (async () => {
      for await (const e of stream) seen.push(e.seq);
    })();
    const write = async (status: string) => {
      const r = await writer.gql<{ setServiceStatus: { version: number } }>(
        "mutation($s: ID!, $st: ServiceStatus!) { setServiceStatus(serviceId: $s, status: $st) { version } }",
        { s: serviceId, st: status },
      );
      expect(r.errors).toBeUndefined();
    };
    const committedSeq = async () =>
      String(
        (await t.started.beacon.db.query("SELECT value::text AS v FROM counter WHERE name = 'event'"))[0].v,
      );
    const seenUntil = async (seq: string) => {
      for (let i = 0; i < 150 && !seen.includes(seq); i++) await sleep(100);
      return seen;
    };
    try {
      // The first may set the status the service already has (no event); the second changes it.
      await write("DEGRADED_PERFORMANCE");
      await write("PARTIAL_OUTAGE"); // live: this one arrives through its NOTIFY
      const first = await committedSeq();
      expect(await seenUntil(first)).toContain(first);

      await t.started.beacon.db.query("SELECT pg_terminate_backend($1)", [hub.listenerState.backendPid]);
      for (let i = 0; i < 100 && hub.listenerState.connected; i++) await sleep(50);
      expect(hub.listenerState.connected).toBe(false);
      await write("MAJOR_OUTAGE");
      const missed = await committedSeq();
      // Committed while nothing listened: its NOTIFY reached no one; only the catch-up can deliver it.
      expect(hub.listenerState.connected).toBe(false);
      expect(seen).not.toContain(missed);

      expect(await seenUntil(missed)).toContain(missed);
      expect(hub.listenerState.reconnects).toBe(1);
      expect(seen.filter((s) => BigInt(s) >= BigInt(first))).toEqual([first, missed]);
    } finally {
      await stream.return?.();
      await reading;
      await hub.stop();
    }
  });
});
