import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventHub } from "../../server/events/hub";
import { currentSeq, eventsAfter } from "../../server/events/outbox";
import { createLogger } from "../../server/kernel/log";
import { startTestBeacon, type TestBeacon } from "../support/harness";
import { createService } from "../support/incidents";
import { itemAt } from "../support/item-at";

const SUB = `subscription($since: String) { statusChanged(since: $since) { seq kind service { slug status } } }`;
const SET = `mutation($id: ID!, $s: ServiceStatus!) { setServiceStatus(serviceId: $id, status: $s) { status } }`;
type Ev = { statusChanged: { seq: string; kind: string; service: { slug: string; status: string } | null } };

let t: TestBeacon;
let serviceId: string;
beforeAll(async () => {
  t = await startTestBeacon();
  serviceId = await createService(t.admin, "Core API");
});
afterAll(() => t?.stop());

describe("statusChanged: live, replay from since, no gaps, no duplicates", () => {
  it("delivers a status change to an anonymous subscriber within a second, then resumes exactly", async () => {
    const { statusSummary } = await t.anon.ok<{ statusSummary: { seq: string } }>(
      "{ statusSummary { seq } }",
    );
    const live = t.anon.subscribe<Ev>(SUB);
    await new Promise((r) => setTimeout(r, 200));
    await t.admin.ok(SET, { id: serviceId, s: "MAJOR_OUTAGE" });
    const [first] = await live.waitFor(1, 10_000);
    expect(first!.statusChanged).toMatchObject({
      kind: "SERVICE_STATUS_CHANGED",
      service: { slug: "core-api", status: "MAJOR_OUTAGE" },
    });
    expect(BigInt(first!.statusChanged.seq)).toBeGreaterThan(BigInt(statusSummary.seq));

    const summary = await t.anon.ok<{ statusSummary: { indicator: string; seq: string } }>(
      "{ statusSummary { indicator seq } }",
    );
    expect(summary.statusSummary).toEqual({ indicator: "CRITICAL", seq: first!.statusChanged.seq });
    await live.close();

    // Missed while disconnected:
    await t.admin.ok(SET, { id: serviceId, s: "PARTIAL_OUTAGE" });
    await t.admin.ok(SET, { id: serviceId, s: "OPERATIONAL" });

    const resumed = t.anon.subscribe<Ev>(SUB, { since: first!.statusChanged.seq });
    const got = await resumed.waitFor(2, 10_000);
    expect(got.map((e) => e.statusChanged.service?.status)).toEqual(["PARTIAL_OUTAGE", "OPERATIONAL"]);
    // ...then live, without repeating the replayed ones.
    await t.admin.ok(SET, { id: serviceId, s: "DEGRADED_PERFORMANCE" });
    await resumed.waitFor(3, 10_000);
    const all = await resumed.settle(300);
    expect(all.map((e) => e.statusChanged.service?.status)).toEqual([
      "PARTIAL_OUTAGE",
      "OPERATIONAL",
      "DEGRADED_PERFORMANCE",
    ]);
    const seqs = all.map((e) => BigInt(e.statusChanged.seq));
    expect([...seqs].sort((a, b) => (a < b ? -1 : 1))).toEqual(seqs);
    await resumed.close();
  });

  it("keeps order and loses nothing under a burst of concurrent writers", async () => {
    const { statusSummary } = await t.anon.ok<{ statusSummary: { seq: string } }>(
      "{ statusSummary { seq } }",
    );
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(await createService(t.admin, `Burst ${i}`));
    }
    const sub = t.anon.subscribe<Ev>(SUB, { since: statusSummary.seq });
    const statuses = ["MAJOR_OUTAGE", "PARTIAL_OUTAGE", "DEGRADED_PERFORMANCE", "OPERATIONAL"];
    await Promise.all(
      ids.flatMap((id) =>
        statuses.map((s, k) =>
          new Promise((r) => setTimeout(r, k * 5)).then(() => t.admin.ok(SET, { id, s })),
        ),
      ),
    );
    const expected = 5 + ids.length * statuses.length;
    const got = await sub.waitFor(expected, 10_000);
    const seqs = (await sub.settle(300)).map((e) => BigInt(e.statusChanged.seq));
    expect(seqs).toHaveLength(expected);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(itemAt(seqs, i - 1));
    expect(new Set(got.map((e) => e.statusChanged.seq)).size).toBe(expected);
    await sub.close();
  });

  it("reads the outbox in seq order across a change of digits (9 before 10, 99 before 100)", async () => {
    // Every reader of the outbox (the hub, replay, the outbox consumers) pages with eventsAfter and
    // moves its cursor to the last row: a page out of numeric order skips events for good.
    const m = t.started.beacon.db.manager;
    const statuses = ["MAJOR_OUTAGE", "PARTIAL_OUTAGE", "DEGRADED_PERFORMANCE", "OPERATIONAL"];
    // Four writers at a time on a new service (one that sets the status it has is no event: the
    // loop runs until there are enough).
    while (BigInt(await currentSeq(m)) < 101n) {
      const id = await createService(t.admin, `Digits ${await currentSeq(m)}`);
      await Promise.all(statuses.map((s) => t.admin.ok(SET, { id, s })));
    }
    const all = (await eventsAfter(m, "0", 1000)).map((e) => Number(e.seq));
    expect(all.length).toBeGreaterThanOrEqual(101);
    expect(all).toEqual(all.map((_, i) => i + 1));
    expect((await eventsAfter(m, "8", 3)).map((e) => e.seq)).toEqual(["9", "10", "11"]);
    expect((await eventsAfter(m, "98", 3)).map((e) => e.seq)).toEqual(["99", "100", "101"]);
    const [one] = await eventsAfter(m, "0", 1);
    expect(one).toMatchObject({ seq: "1", kind: expect.any(String), isPublic: expect.any(Boolean) });
    expect(one!.at).toBeInstanceOf(Date);
    expect(typeof one!.payload).toBe("object");
  });

  it("publishes nothing for a refused command", async () => {
    const { statusSummary } = await t.anon.ok<{ statusSummary: { seq: string } }>(
      "{ statusSummary { seq } }",
    );
    const sub = t.anon.subscribe<Ev>(SUB, { since: statusSummary.seq });
    const agent = await t.user("AGENT");
    expect((await agent.fails(SET, { id: serviceId, s: "MAJOR_OUTAGE" })).code).toBe("FORBIDDEN");
    expect(
      (await t.admin.fails(SET, { id: "00000000-0000-4000-8000-000000000000", s: "MAJOR_OUTAGE" })).code,
    ).toBe("NOT_FOUND");
    expect(await sub.settle(500)).toHaveLength(0);
    const after = await t.anon.ok<{ statusSummary: { seq: string } }>("{ statusSummary { seq } }");
    expect(after.statusSummary.seq).toBe(statusSummary.seq);
    await sub.close();
  });

  it("refuses a malformed since with BAD_USER_INPUT", async () => {
    const sub = t.anon.subscribe<Ev>(SUB, { since: "yesterday" });
    await sub.settle(500);
    expect(JSON.stringify(sub.errors)).toMatch(/BAD_USER_INPUT/);
    await sub.close();
  });
});

describe("two server instances on one database", () => {
  it("delivers a change made on one instance to a subscriber on the other", async () => {
    const second = await startTestBeacon({ databaseUrl: t.databaseUrl });
    try {
      const sub = second.anon.subscribe<Ev>(SUB);
      await new Promise((r) => setTimeout(r, 300));
      await t.admin.ok(SET, { id: serviceId, s: "UNDER_MAINTENANCE" });
      const [e] = await sub.waitFor(1, 1500);
      expect(e!.statusChanged.service).toEqual({ slug: "core-api", status: "UNDER_MAINTENANCE" });
      // and the other way round
      const sub2 = t.anon.subscribe<Ev>(SUB);
      await new Promise((r) => setTimeout(r, 300));
      await second.admin.ok(SET, { id: serviceId, s: "OPERATIONAL" });
      const [e2] = await sub2.waitFor(1, 1500);
      expect(e2!.statusChanged.service?.status).toBe("OPERATIONAL");
      await Promise.all([sub.close(), sub2.close()]);
    } finally {
      await second.started.stop();
    }
  });
});

describe("a live-only subscription (no since)", () => {
  it("never receives an event committed before it subscribed, even when the hub has not dispatched it yet", async () => {
    // A hub that was never started stands for one whose NOTIFY is still in flight: it has dispatched
    // nothing, while the database already holds the service's creation and earlier changes.
    const hub = new EventHub(t.databaseUrl, t.started.beacon.db, createLogger("silent"));
    const seen: string[] = [];
    const live = hub.subscribe(() => true, null);
    const reading = (async () => {
      for await (const e of live) seen.push(e.seq);
    })();
    await new Promise((r) => setTimeout(r, 100));
    await hub.drain(); // now the hub catches up with everything committed before the subscription
    await t.admin.ok(SET, { id: serviceId, s: "UNDER_MAINTENANCE" });
    await hub.drain();
    const committed: { value: string }[] = await t.started.beacon.db.query(
      "SELECT value::text AS value FROM counter WHERE name = 'event'",
    );
    await live.return?.();
    await reading;
    await hub.stop();
    expect(seen).toEqual([committed[0]?.value]);
  });
});
