import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { documentText } from "../../web/src/graphql";
import { STATUS_CHANGED as STATUS_CHANGED_DOCUMENT } from "../../web/src/status-page/queries";
import { freshDatabase } from "../support/databases";
import { startTestBeacon, type TestBeacon } from "../support/harness";
import { createService, setServiceStatus } from "../support/incidents";

// Beyond one machine (docs/performance.md, "Two instances"): instances share nothing but
// PostgreSQL. A write on one reaches the other's snapshot and its subscribers through the outbox's
// NOTIFY; both answer the same bytes with the same ETag, so a load balancer needs no sticky sessions.

const STATUS_CHANGED = documentText(STATUS_CHANGED_DOCUMENT);

let a: TestBeacon;
let b: TestBeacon;
let dropDb: () => Promise<void> = async () => {};

beforeAll(async () => {
  // Started together on one fresh database: the migrations run once, under an advisory lock.
  const db = await freshDatabase(inject("pgBaseUrl"));
  dropDb = db.drop;
  [a, b] = await Promise.all([
    startTestBeacon({ databaseUrl: db.url }),
    startTestBeacon({ databaseUrl: db.url }),
  ]);
}, 120_000);

afterAll(async () => {
  await b?.started.stop();
  await a?.started.stop();
  await dropDb();
});

const summaryOf = async (t: TestBeacon) => {
  const res = await fetch(`${t.url}/api/v2/summary.json`);
  const body = (await res.json()) as { components: { name: string; status: string }[] };
  return { etag: res.headers.get("etag"), seq: res.headers.get("x-beacon-snapshot-seq"), body };
};

async function until<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("two instances on one database", () => {
  it("both started together: one schema, one first admin", async () => {
    const [m] = await a.started.beacon.db.query("SELECT count(*)::int AS n FROM schema_migration");
    const [u] = await a.started.beacon.db.query(
      "SELECT count(*)::int AS n FROM app_user WHERE role = 'ADMIN'",
    );
    expect(m.n).toBeGreaterThan(0);
    expect(u.n).toBe(1);
  });

  it("a write on one refreshes the other's snapshot and reaches the other's subscribers", async () => {
    const id = await createService(a.admin, "Shared API");
    const watcher = b.anon.subscribe<{ statusChanged: { seq: string } }>(STATUS_CHANGED);
    try {
      await until(
        "the subscriber to be registered on b",
        async () => b.started.beacon.hub.subscriberCount,
        (n) => n > 0,
      );
      const before = watcher.received.length;
      await setServiceStatus(a.admin, id, "MAJOR_OUTAGE");
      // b learns of it by the outbox NOTIFY: its subscriber gets the event, its snapshot the state.
      await watcher.waitFor(before + 1, 10_000);
      expect(JSON.stringify(watcher.received.at(-1))).toContain("MAJOR_OUTAGE");
      const onB = await until(
        "b's summary.json to show the outage",
        () => summaryOf(b),
        (s) => s.body.components.some((c) => c.name === "Shared API" && c.status === "major_outage"),
      );
      // Both instances answer the same state with the same ETag: no sticky sessions needed.
      const onA = await until(
        "a's summary.json at the same seq",
        () => summaryOf(a),
        (s) => s.seq === onB.seq,
      );
      expect(onA.etag).toBe(onB.etag);
      const notModified = await fetch(`${a.url}/api/v2/summary.json`, {
        headers: { "if-none-match": onB.etag ?? "" },
      });
      expect(notModified.status).toBe(304);
    } finally {
      await watcher.close();
    }
  });
});
