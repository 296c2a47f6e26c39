import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedDatabase, startEmbeddedPostgres } from "../../server/db/embedded";
import { createLogger } from "../../server/kernel/log";
import { documentText } from "../../web/src/graphql";
import { STATUS_PAGE_QUERY } from "../../web/src/status-page/queries";
import {
  caughtUp,
  startTestBeacon,
  type TestBeacon,
  TestClient,
  type TestSubscription,
} from "../support/harness";
import { createService } from "../support/incidents";
import { signalCluster } from "../support/pg-cluster";

/**
 * PostgreSQL stops answering (every process of the cluster SIGSTOPped: a hung database, the worst
 * case, since connections stay open and nothing errors by itself), then comes back (SIGCONT). This
 * test starts its OWN embedded PostgreSQL for that; the machine's shared one is never touched.
 */
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "beacon-dbdown-"));
fs.chmodSync(dataDir, 0o755);

let db: EmbeddedDatabase;
let t: TestBeacon;
let webDir: string;
let serviceId: string;
type Changed = {
  statusChanged: { seq: string; kind: string; service: { id: string; status: string } | null };
};
let live: TestSubscription<Changed>;
/** Events the subscriber had before the outage. */
let liveBefore = 0;

async function read(url: string, init: RequestInit = {}) {
  const res = await fetch(url, init);
  return { res, text: await res.text(), seq: res.headers.get("x-beacon-snapshot-seq") };
}

// Without the harness's "wait until caught up" (which would wait for the database to return).
const setStatus = (status: string) =>
  new TestClient(t.url, t.admin.token).gql(
    "mutation($s: ID!, $st: ServiceStatus!) { setServiceStatus(serviceId: $s, status: $st) { id status } }",
    {
      s: serviceId,
      st: status,
    },
  );

beforeAll(async () => {
  db = await startEmbeddedPostgres(dataDir, createLogger("silent"));
  webDir = fs.mkdtempSync(path.join(os.tmpdir(), "beacon-web-"));
  fs.writeFileSync(
    path.join(webDir, "index.html"),
    '<!doctype html><html><head><title>Beacon</title></head><body><div id="root"></div></body></html>',
  );
  t = await startTestBeacon({
    databaseUrl: db.url,
    env: { BEACON_WEB_DIR: webDir, BEACON_DB_CONNECT_TIMEOUT_MS: "3000", BEACON_DB_QUERY_TIMEOUT_MS: "5000" },
  });
  serviceId = await createService(t.admin, "Checkout");
  live = t.anon.subscribe<Changed>("subscription { statusChanged { seq kind service { id status } } }");
  // Subscribed once an event reaches it: a write made before the subscription was in place reaches
  // nobody, so write (alternating, each one a change) until one arrives, ending on DEGRADED_PERFORMANCE.
  for (let i = 0; live.received.length === 0; i++) {
    if (i >= 20) throw new Error("the subscriber did not go live");
    const r = await setStatus(i % 2 === 0 ? "DEGRADED_PERFORMANCE" : "OPERATIONAL");
    expect(r.errors).toBeUndefined();
    await live.waitFor(1, 1000).catch(() => {});
  }
  if (live.received.at(-1)?.statusChanged.service?.status !== "DEGRADED_PERFORMANCE") {
    expect((await setStatus("DEGRADED_PERFORMANCE")).errors).toBeUndefined();
    await live.waitFor(live.received.length + 1, 10_000);
  }
  liveBefore = live.received.length;
  await caughtUp(t.started);
}, 120_000);

afterAll(async () => {
  signalCluster(dataDir, "SIGCONT");
  await live?.close();
  await t?.stop();
  await db?.stop();
  fs.rmSync(webDir, { recursive: true, force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe("when the database stops answering", () => {
  let before: Awaited<ReturnType<typeof read>>;

  it("the public side keeps serving the last snapshot, saying when it was updated", async () => {
    before = await read(`${t.url}/api/v2/summary.json`);
    expect(before.res.status).toBe(200);
    expect(t.started.server.publicSnapshot.lastError).toBeNull();
    expect(before.text).toContain("degraded_performance");
    signalCluster(dataDir, "SIGSTOP");
    // A rebuild attempted now fails and keeps the previous snapshot.
    t.started.server.publicSnapshot.requestBuild();
    await t.started.server.publicSnapshot.settled();
    expect(t.started.server.publicSnapshot.lastError).not.toBeNull();
    // ...and tells the instance the database is not answering (requests needing it now fail fast).
    expect(t.started.beacon.database.down).toBe(true);

    const summary = await read(`${t.url}/api/v2/summary.json`);
    expect(summary.res.status).toBe(200);
    expect(summary.text).toBe(before.text);
    expect(summary.text).toContain("degraded_performance");
    const page = await read(`${t.url}/`);
    expect(page.res.status).toBe(200);
    expect(page.text).toMatch(/Status as of <time datetime="[^"]+"/);
    const gql = await read(`${t.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      // The status page's own query (any public query read before the outage is kept too).
      body: JSON.stringify({ query: documentText(STATUS_PAGE_QUERY) }),
    });
    expect(gql.res.status).toBe(200);
    expect(JSON.parse(gql.text).data.statusSummary.services[0].status).toBe("DEGRADED_PERFORMANCE");
  });

  it("a war-room write fails fast with SERVICE_UNAVAILABLE instead of hanging", async () => {
    const r = await setStatus("MAJOR_OUTAGE");
    expect(r.errors?.[0]?.extensions?.code).toBe("SERVICE_UNAVAILABLE");
    expect(r.errors?.[0]?.message).toMatch(/database/i);
    // Refused by what the instance already knows (503, Retry-After), not after the database's
    // timeouts (those answer inside a normal GraphQL response).
    const res = await fetch(`${t.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${t.admin.token}` },
      body: JSON.stringify({ query: "{ me { id } }" }),
    });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe("SERVICE_UNAVAILABLE");
    expect(body.errors[0]?.message).toMatch(/database is not answering/);
  });

  it("open subscriptions stay open, and resume by seq when the database returns: nothing lost or repeated", async () => {
    expect(live.completed).toBe(false);
    signalCluster(dataDir, "SIGCONT");
    // Up again by its own probe, without any request having to find out.
    for (let i = 0; i < 100 && t.started.beacon.database.down; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(t.started.beacon.database.down).toBe(false);
    // The first write after the outage may still meet a connection that timed out meanwhile.
    let r = await setStatus("PARTIAL_OUTAGE");
    for (let i = 0; i < 20 && r.errors; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      r = await setStatus("PARTIAL_OUTAGE");
    }
    expect(r.errors).toBeUndefined();
    const events = await live.waitFor(liveBefore + 1, 15_000);
    expect(events[liveBefore]?.statusChanged.service?.status).toBe("PARTIAL_OUTAGE");
    const seqs = live.received.map((e) => BigInt(e.statusChanged.seq));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect([...seqs].sort((a, b) => (a < b ? -1 : 1))).toEqual(seqs);
    // The write that failed during the outage changed nothing and published nothing.
    expect(live.received.some((e) => e.statusChanged.service?.status === "MAJOR_OUTAGE")).toBe(false);
    await caughtUp(t.started);
    const after = await read(`${t.url}/api/v2/summary.json`);
    expect(after.text).toContain("partial_outage");
    expect(after.res.headers.get("etag")).not.toBe(before.res.headers.get("etag"));
  });
});
