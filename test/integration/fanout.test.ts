import { parse } from "graphql";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { beaconSchema } from "../../server/app/schema";
import { SHAREABLE_FIELDS, shareKeyOf } from "../../server/events/shareable";
import { documentText } from "../../web/src/graphql";
import { STATUS_CHANGED as STATUS_CHANGED_DOCUMENT } from "../../web/src/status-page/queries";
import { startTestBeacon, type TestBeacon, type TestClient, type TestSubscription } from "../support/harness";
import { createService } from "../support/incidents";
import { itemAt } from "../support/item-at";

/** The status page's own subscription, as every visitor sends it. */
const STATUS_CHANGED = documentText(STATUS_CHANGED_DOCUMENT);

const SET = `mutation($id: ID!, $s: ServiceStatus!) { setServiceStatus(serviceId: $id, status: $s) { status } }`;
const STATUSES = ["MAJOR_OUTAGE", "PARTIAL_OUTAGE", "DEGRADED_PERFORMANCE", "OPERATIONAL"];

type Data = Record<string, unknown> & { statusChanged?: { seq: string } };

// One database, two instances: `on` shares (the default), `off` runs BEACON_SHARED_FANOUT=0.
let on: TestBeacon;
let off: TestBeacon;
let serviceId: string;
let nextStatus = 0;

beforeAll(async () => {
  // Every subscriber here is a socket from 127.0.0.1, and the sockets of one test may still be closing
  // when the next opens its own: the per-address cap (ws-guard.ts) and the per-IP rate limits
  // (request-limits.ts, shared by both instances) are not what this file tests.
  const cap = {
    BEACON_WS_MAX_PER_ADDRESS: "1000",
    BEACON_RATE_WS_CONNECTIONS_PER_MINUTE: "100000",
    BEACON_RATE_WS_SUBSCRIPTIONS_PER_MINUTE: "100000",
  };
  on = await startTestBeacon({ env: cap });
  off = await startTestBeacon({ databaseUrl: on.databaseUrl, env: { ...cap, BEACON_SHARED_FANOUT: "0" } });
  serviceId = await createService(on.admin, "Fan API");
});
/** Every subscription a test opened; closed after each test, even a failed one. */
let opened: TestSubscription<Data>[] = [];
afterEach(async () => {
  const subs = opened;
  opened = [];
  await Promise.all(subs.map((s) => s.close()));
  await until("subscribers gone", () => hubOf(on).subscriberCount === 0 && hubOf(off).subscriberCount === 0);
});
afterAll(async () => {
  await off?.started.stop();
  await on?.stop();
});

async function until(what: string, cond: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const hubOf = (b: TestBeacon) => b.started.beacon.hub;

/** Opens the subscriptions and waits until each instance's hub has registered all of them. */
async function open(
  subs: { b: TestBeacon; client: TestClient; query: string; variables?: Record<string, unknown> }[],
): Promise<TestSubscription<Data>[]> {
  const before = new Map([on, off].map((b) => [b, hubOf(b).subscriberCount]));
  const mine = subs.map((s) => s.client.subscribe<Data>(s.query, s.variables ?? {}));
  opened.push(...mine);
  for (const b of [on, off]) {
    const n = subs.filter((s) => s.b === b).length;
    await until(`${n} subscribers`, () => hubOf(b).subscriberCount >= before.get(b)! + n);
  }
  return mine;
}

/** Fires k status changes and returns their seqs (read back from the statusSummary). */
async function fire(k: number): Promise<string[]> {
  const seqs: string[] = [];
  for (let i = 0; i < k; i++) {
    await on.admin.ok(SET, { id: serviceId, s: STATUSES[nextStatus++ % STATUSES.length] });
    const s = await on.anon.ok<{ statusSummary: { seq: string } }>("{ statusSummary { seq } }");
    seqs.push(s.statusSummary.seq);
  }
  return seqs;
}

const seqsOf = (received: Data[]) => received.map((d) => d.statusChanged?.seq);

describe("shared fan-out of public subscriptions", () => {
  it("50 subscribers of one operation get identical payloads, in order, exactly once, from one execution per event", async () => {
    const N = 50;
    const subs = await open([
      ...Array.from({ length: N }, () => ({ b: on, client: on.anon, query: STATUS_CHANGED })),
      ...Array.from({ length: N }, () => ({ b: off, client: off.anon, query: STATUS_CHANGED })),
    ]);
    const shared = { ...hubOf(on).fanout };
    const seqs = await fire(3);
    for (const s of subs) await s.waitFor(3, 15_000);
    await new Promise((r) => setTimeout(r, 300));

    const reference = JSON.stringify(itemAt(subs, 0).received);
    for (const s of subs) {
      expect(s.errors).toEqual([]);
      expect(seqsOf(s.received)).toEqual(seqs); // in order, exactly once
      // Shared and per-subscriber execution produce the very same payloads.
      expect(JSON.stringify(s.received)).toBe(reference);
    }
    expect(itemAt(itemAt(subs, 0).received, 0).statusChanged).toMatchObject({
      kind: "SERVICE_STATUS_CHANGED",
      service: { slug: "fan-api", status: "MAJOR_OUTAGE" },
      incident: null,
    });
    for (const seq of seqs) {
      expect(hubOf(on).fanout.executionsOf(seq)).toBe(1);
      expect(hubOf(off).fanout.executionsOf(seq)).toBe(N);
    }
    // Serialized once per event; one frame per subscriber per event.
    expect(hubOf(on).fanout.sharedPayloads - shared.sharedPayloads).toBe(3);
    expect(hubOf(on).fanout.sharedFrames - shared.sharedFrames).toBe(3 * N);
    expect(hubOf(off).fanout.sharedFrames).toBe(0);
  });

  it("subscribers with other variables or selections get their own, correct results", async () => {
    const slugOnly = "subscription { statusChanged { seq service { slug } } }";
    const aliased = "subscription { s: statusChanged { seq: kind } }";
    const uptime = "subscription($d: Int!) { statusChanged { seq service { uptime(days: $d) { date } } } }";
    const shapes: { query: string; variables?: Record<string, unknown> }[] = [
      { query: STATUS_CHANGED },
      { query: slugOnly },
      { query: aliased },
      { query: uptime, variables: { d: 1 } },
      { query: uptime, variables: { d: 3 } },
    ];
    // Two subscribers per shape on each instance.
    const subs = await open(
      [on, off].flatMap((b) =>
        shapes.flatMap((shape) => [0, 1].map(() => ({ b, client: b.anon, ...shape }))),
      ),
    );
    const [seq] = await fire(1);
    for (const s of subs) await s.waitFor(1, 15_000);
    await new Promise((r) => setTimeout(r, 200));

    const got = subs.map((s) => s.received);
    for (const s of subs) expect(s.errors).toEqual([]);
    const perShape = (i: number, b: 0 | 1) => got[b * shapes.length * 2 + i * 2];
    for (let i = 0; i < shapes.length; i++) {
      for (const b of [0, 1] as const) {
        // Both subscribers of a shape on an instance, and both instances, agree.
        expect(got[b * shapes.length * 2 + i * 2 + 1]).toEqual(perShape(i, b));
        expect(perShape(i, b)).toEqual(perShape(i, 0));
        expect(perShape(i, b)).toHaveLength(1);
      }
    }
    expect(perShape(1, 0)![0]).toEqual({ statusChanged: { seq, service: { slug: "fan-api" } } });
    expect(perShape(2, 0)![0]).toEqual({ s: { seq: "SERVICE_STATUS_CHANGED" } });
    const days = (i: number) =>
      (itemAt(perShape(i, 0)!, 0).statusChanged as unknown as { service: { uptime: unknown[] } }).service
        .uptime;
    expect(days(3)).toHaveLength(1);
    expect(days(4)).toHaveLength(3);
    expect(Object.keys(itemAt(perShape(0, 0)!, 0).statusChanged!).sort()).toEqual(
      ["at", "incident", "kind", "maintenance", "seq", "service", "withdrawnIncidentId"].sort(),
    );
    // One execution per distinct shape with sharing, one per subscriber without.
    expect(hubOf(on).fanout.executionsOf(seq!)).toBe(shapes.length);
    expect(hubOf(off).fanout.executionsOf(seq!)).toBe(shapes.length * 2);
  });

  it("maps errors in a shared result exactly as the per-subscriber path does", async () => {
    const bad = "subscription { statusChanged { seq service { slug uptime(days: 0) { date } } } }";
    const subs = await open([
      { b: on, client: on.anon, query: bad },
      { b: on, client: on.anon, query: bad },
      { b: off, client: off.anon, query: bad },
    ]);
    const [seq] = await fire(1);
    await until("errors", () => subs.every((s) => s.errors.length === 1));
    for (const s of subs) {
      expect(s.errors).toEqual(itemAt(subs, 2).errors);
      expect(s.received).toEqual([{ statusChanged: { seq, service: null } }]);
    }
    expect(JSON.stringify(itemAt(subs, 0).errors)).toMatch(/BAD_USER_INPUT/);
    expect(hubOf(on).fanout.executionsOf(seq!)).toBe(1);
  });

  it("replays from each subscriber's own since, then shares the live events", async () => {
    const [s1, s2, s3] = await fire(3);
    const from0 = String(BigInt(s1!) - 1n);
    const subs = await open([
      { b: on, client: on.anon, query: STATUS_CHANGED, variables: { since: from0 } },
      { b: on, client: on.anon, query: STATUS_CHANGED, variables: { since: s2 } },
      { b: on, client: on.anon, query: STATUS_CHANGED },
    ]);
    await itemAt(subs, 0).waitFor(3, 15_000);
    await itemAt(subs, 1).waitFor(1, 15_000);
    const [s4, s5] = await fire(2);
    await itemAt(subs, 0).waitFor(5, 15_000);
    await itemAt(subs, 1).waitFor(3, 15_000);
    await itemAt(subs, 2).waitFor(2, 15_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(seqsOf(itemAt(subs, 0).received)).toEqual([s1, s2, s3, s4, s5]);
    expect(seqsOf(itemAt(subs, 1).received)).toEqual([s3, s4, s5]);
    expect(seqsOf(itemAt(subs, 2).received)).toEqual([s4, s5]);
    // Same event, same payload, whichever way it reached the subscriber.
    expect(itemAt(subs, 1).received[0]).toEqual(itemAt(subs, 0).received[2]);
    expect(itemAt(subs, 2).received).toEqual(itemAt(subs, 0).received.slice(3));
    // `since` is not part of the key: the three share the live events.
    expect(hubOf(on).fanout.executionsOf(s4!)).toBe(1);
    expect(hubOf(on).fanout.executionsOf(s5!)).toBe(1);
  });

  it("an authenticated and an anonymous subscriber share public data, and nothing private is shared", async () => {
    const responder = await on.user("RESPONDER");
    const withHistory = "subscription { statusChanged { seq service { slug history { version } } } }";
    const subs = await open([
      { b: on, client: on.anon, query: STATUS_CHANGED },
      { b: on, client: on.admin, query: STATUS_CHANGED },
      { b: on, client: responder, query: STATUS_CHANGED },
      { b: on, client: on.admin, query: withHistory },
      { b: on, client: on.anon, query: withHistory },
    ]);
    const [seq] = await fire(1);
    for (const s of subs.slice(0, 4)) await s.waitFor(1, 15_000);
    await until("anonymous history refusal", () => itemAt(subs, 4).errors.length > 0);
    await new Promise((r) => setTimeout(r, 200));

    expect(itemAt(subs, 1).received).toEqual(itemAt(subs, 0).received);
    expect(itemAt(subs, 2).received).toEqual(itemAt(subs, 0).received);
    // Service.history is for signed-in users: the admin gets it, the anonymous subscriber is refused.
    const history = (
      itemAt(itemAt(subs, 3).received, 0).statusChanged as unknown as { service: { history: unknown[] } }
    ).service.history;
    expect(history.length).toBeGreaterThan(0);
    expect(itemAt(subs, 3).errors).toEqual([]);
    expect(JSON.stringify(itemAt(subs, 4).errors)).toMatch(/UNAUTHENTICATED/);
    expect(itemAt(subs, 4).received).toEqual([{ statusChanged: { seq, service: null } }]);
    // 1 shared execution for the three public subscribers, and one each for the two private ones.
    expect(hubOf(on).fanout.executionsOf(seq!)).toBe(3);
  });
});

describe("what may be shared", () => {
  it("only statusChanged with fields that do not depend on the caller", async () => {
    const schema = await beaconSchema();
    const key = (query: string, variables: Record<string, unknown> = {}, operationName?: string) =>
      shareKeyOf({ schema, document: parse(query), variableValues: variables, operationName });
    expect(key(STATUS_CHANGED, { since: "1" })).not.toBeNull();
    // `since` positions the stream only; whitespace does not matter.
    expect(key(STATUS_CHANGED, { since: "1" })).toBe(
      key(STATUS_CHANGED.replace(/\s+/g, " "), { since: "9" }),
    );
    expect(key(STATUS_CHANGED)).toBe(key(STATUS_CHANGED, { since: "9" }));
    const uptime = "subscription($d: Int) { statusChanged { service { uptime(days: $d) { date } } } }";
    expect(key(uptime, { d: 1 })).not.toBe(key(uptime, { d: 2 }));
    // Private fields, other subscriptions and queries are never shared.
    expect(key("subscription { statusChanged { service { history { version } } } }")).toBeNull();
    expect(
      key(
        "subscription { statusChanged { service { ...H } } } fragment H on Service { history { version } }",
      ),
    ).toBeNull();
    expect(key("subscription { incidentsChanged { seq } }")).toBeNull();
    expect(key("{ statusSummary { seq } }")).toBeNull();
    // The allow-list names real fields of the schema (a rename must not silently disable sharing).
    for (const [typeName, fields] of Object.entries(SHAREABLE_FIELDS)) {
      const type = schema.getType(typeName) as { getFields?: () => Record<string, unknown> } | undefined;
      expect(type?.getFields, typeName).toBeTypeOf("function");
      for (const f of fields) expect(Object.keys(type!.getFields!()), `${typeName}.${f}`).toContain(f);
    }
  });
});
