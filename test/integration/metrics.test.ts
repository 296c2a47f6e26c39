import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../server/kernel/clock";
import { documentText } from "../../web/src/graphql";
import { METRICS_QUERY } from "../../web/src/war-room/reports/report-queries";
import { type Person, startTestBeacon, type TestBeacon } from "../support/harness";
import { act, createQueue, createService, openIncident, resolveIncident, SIG } from "../support/incidents";
import { itemAt } from "../support/item-at";

// A fixture of incidents with known times, made through the API with an injected clock; every
// expected figure below is computed by hand (docs/reports.md has the definitions).
//
// The times are written as in March 2026 and moved forward by whole 52-week steps until they lie
// weeks ahead of real time (same weekdays): the SLA timers (pg-boss, real time) then never fire
// during the test, so breaches come only from what the commands record. Bogota has no daylight
// saving time (UTC-5 all year), so local days and business hours do not depend on the step.
const MIN = 60_000;
const HOUR = 60 * MIN;
const WEEK = 7 * 24 * HOUR;
const SHIFT = (() => {
  const first = Date.parse("2026-01-31T00:00:00Z");
  let weeks = 0;
  while (first + weeks * WEEK < Date.now() + 4 * WEEK) weeks += 52;
  return weeks * WEEK;
})();
/** An instant of the fixture, moved. */
const d = (iso: string) => new Date(Date.parse(iso) + SHIFT).toISOString();
/** A calendar day of the fixture, moved. */
const day = (date: string) => d(`${date}T12:00:00.000Z`).slice(0, 10);

let t: TestBeacon;
let clock: ManualClock;
let manager: Person;
let responder: Person;
const ids = { checkout: "", api: "", network: "", vpn: "", software: "", queue: "" };

const METRICS = /* GraphQL */ `
  query($from: DateTime!, $to: DateTime!, $groupBy: MetricsGroup) {
    incidentMetrics(from: $from, to: $to, groupBy: $groupBy) {
      from to groupBy timeZone count
      mttaSeconds mttaMedianSeconds mttrSeconds mttrMedianSeconds
      mttaBusinessSeconds mttrBusinessSeconds slaAttainment ackAttainment breaches
      mttaBusinessMedianSeconds mttrBusinessMedianSeconds ackBreaches resolveBreaches
      rows { key label count mttaSeconds mttaMedianSeconds mttrSeconds mttrMedianSeconds breaches slaAttainment ackAttainment }
      trends { key label count group baselineWeekly }
    }
  }
`;

interface Row {
  key: string;
  label: string;
  count: number;
  mttaSeconds: number | null;
  mttaMedianSeconds: number | null;
  mttrSeconds: number | null;
  mttrMedianSeconds: number | null;
  breaches: number;
  slaAttainment: number | null;
  ackAttainment: number | null;
}
interface Metrics {
  from: string;
  to: string;
  groupBy: string;
  timeZone: string;
  count: number;
  mttaSeconds: number | null;
  mttaMedianSeconds: number | null;
  mttrSeconds: number | null;
  mttrMedianSeconds: number | null;
  mttaBusinessSeconds: number | null;
  mttaBusinessMedianSeconds: number | null;
  mttrBusinessSeconds: number | null;
  mttrBusinessMedianSeconds: number | null;
  ackBreaches: number;
  resolveBreaches: number;
  slaAttainment: number | null;
  ackAttainment: number | null;
  breaches: number;
  rows: Row[];
  trends: { key: string; label: string; count: number; group: string; baselineWeekly: number }[];
}

const RANGE = { from: d("2026-03-02T00:00:00.000Z"), to: d("2026-03-06T00:00:00.000Z") };

async function metrics(
  client: Person | TestBeacon["admin"],
  groupBy: string,
  range = RANGE,
): Promise<Metrics> {
  return (await client.ok<{ incidentMetrics: Metrics }>(METRICS, { ...range, groupBy })).incidentMetrics;
}

const at = (iso: string) => clock.set(new Date(d(iso)));

/** Opens at `opened`; if `ackAfter`, starts work that many ms later; if `resolveAfter`, resolves then. */
async function incident(
  opened: string,
  input: Record<string, unknown>,
  ackAfter?: number,
  resolveAfter?: number,
): Promise<string> {
  at(opened);
  const i = await openIncident(manager, input);
  const start = Date.parse(d(opened));
  if (ackAfter !== undefined) {
    clock.set(new Date(start + ackAfter));
    await act(manager, "startWork", SIG.id, { id: i.id, expectedVersion: 1 });
  }
  if (resolveAfter !== undefined) {
    clock.set(new Date(start + resolveAfter));
    // Resolving needs a category: "Software" unless it has one.
    await resolveIncident(manager, i.id, 2, input.categoryId ? {} : { categoryId: ids.software });
  }
  return i.id;
}

const P1 = { impact: "HIGH", urgency: "HIGH" };
const P2 = { impact: "HIGH", urgency: "MEDIUM" };
const P3 = { impact: "MEDIUM", urgency: "MEDIUM" };

beforeAll(async () => {
  clock = new ManualClock(new Date(d("2026-02-01T08:00:00Z")));
  t = await startTestBeacon({
    clock,
    env: {
      // Days are counted in Bogota (UTC-5): an incident at 23:30 UTC is that day's. Business hours
      // 05:00-19:00 there (10:00-24:00 UTC) on weekdays.
      BEACON_TIME_ZONE: "America/Bogota",
      BEACON_BUSINESS_HOURS: "05:00-19:00",
      BEACON_SESSION_TTL_HOURS: "2160",
      BEACON_SESSION_IDLE_MINUTES: "129600",
    },
  });
  manager = await t.user("INCIDENT_MANAGER", "Mia Manager");
  responder = await t.user("RESPONDER", "Rui Responder");
  ids.checkout = await createService(t.admin, "Checkout");
  ids.api = await createService(t.admin, "API");
  ids.queue = await createQueue(t.admin, "Network on call", [responder.userId]);
  const category = async (name: string, parentId?: string) =>
    (
      await t.admin.ok<{ createCategory: { id: string } }>(
        "mutation($n: String!, $p: ID) { createCategory(name: $n, parentId: $p) { id } }",
        { n: name, p: parentId ?? null },
      )
    ).createCategory.id;
  ids.network = await category("Network");
  ids.vpn = await category("VPN", ids.network);
  ids.software = await category("Software");

  // The baseline weeks (before the range): two on the API, four on Checkout.
  for (const dd of ["05", "12"]) await incident(`2026-02-${dd}T10:00:00Z`, { ...P3, serviceIds: [ids.api] });
  for (const dd of ["03", "10", "17", "24"])
    await incident(`2026-02-${dd}T10:00:00Z`, { ...P3, serviceIds: [ids.checkout] });

  // The range, 2026-03-02 to 2026-03-06 (UTC):
  // A: P1 Checkout, VPN; acknowledged after 10 min, resolved after 2 h.
  await incident(
    "2026-03-02T09:00:00Z",
    { ...P1, serviceIds: [ids.checkout], categoryId: ids.vpn },
    10 * MIN,
    2 * HOUR,
  );
  // B: P2 Checkout + API; 20 min, 4 h.
  await incident("2026-03-02T23:30:00Z", { ...P2, serviceIds: [ids.checkout, ids.api] }, 20 * MIN, 4 * HOUR);
  // C: P2 API, Network; acknowledged after 30 min, still in progress.
  await incident("2026-03-03T12:00:00Z", { ...P2, serviceIds: [ids.api], categoryId: ids.network }, 30 * MIN);
  // D: P3, no service, nobody acknowledged it.
  await incident("2026-03-04T08:00:00Z", P3);
  // E: canceled: never counted.
  const e = await incident("2026-03-04T09:00:00Z", { ...P3, serviceIds: [ids.api] });
  await act(manager, "cancelIncident", SIG.reason, { id: e, expectedVersion: 1, reason: "Opened twice" });
  // F: P1 API, through the queue: assigned, acknowledged by the responder after 5 min, on hold for
  // an hour, resolved after 2 h.
  at("2026-03-05T10:00:00Z");
  const f = await openIncident(manager, { ...P1, serviceIds: [ids.api] });
  await act(manager, "assignIncident", `${SIG.id}, $queueId: ID!`, {
    id: f.id,
    expectedVersion: 1,
    queueId: ids.queue,
  });
  at("2026-03-05T10:05:00Z");
  await act(responder, "acknowledgeIncident", SIG.id, { id: f.id, expectedVersion: 2 });
  at("2026-03-05T10:30:00Z");
  await act(
    responder,
    "holdIncident",
    "$id: ID!, $expectedVersion: Int!, $reason: HoldReason!, $note: String!",
    {
      id: f.id,
      expectedVersion: 3,
      reason: "AWAITING_VENDOR",
      note: "Waiting for the vendor",
    },
  );
  at("2026-03-05T11:30:00Z");
  await act(responder, "resumeIncident", SIG.id, { id: f.id, expectedVersion: 4 });
  at("2026-03-05T12:00:00Z");
  await resolveIncident(responder, f.id, 5, { categoryId: ids.software });
  // G: P1 Checkout, acknowledged after 20 min (target 15) and resolved after 5 h (target 4 h): both
  // clocks breached, found from the times (the breach timers never ran).
  await incident("2026-03-05T20:00:00Z", { ...P1, serviceIds: [ids.checkout] }, 20 * MIN, 5 * HOUR);
  // After the range: neither counted nor a trend.
  await incident("2026-03-07T10:00:00Z", { ...P1, serviceIds: [ids.api] });
  at("2026-03-09T10:00:00Z");
});

afterAll(async () => {
  await t?.stop();
});

const byKey = (m: Metrics, key: string) =>
  itemAt(
    m.rows.filter((r) => r.key === key),
    0,
  );

describe("incidentMetrics on a fixture with known times", () => {
  it("totals: six incidents (the canceled one and those outside the range left out)", async () => {
    const m = await metrics(manager, "PRIORITY");
    expect(m).toMatchObject({ ...RANGE, groupBy: "PRIORITY", timeZone: "America/Bogota", count: 6 });
    // acknowledged after 600 (A), 1200 (B), 1800 (C), 300 (F), 1200 (G) s; D never
    expect(m.mttaSeconds).toBeCloseTo(1020, 6);
    expect(m.mttaMedianSeconds).toBeCloseTo(1200, 6);
    // resolved after 7200, 14400, 7200 (F's hour on hold counts on the wall clock), 18000 s
    expect(m.mttrSeconds).toBeCloseTo(11700, 6);
    expect(m.mttrMedianSeconds).toBeCloseTo(10800, 6);
  });

  it("business time: only 05:00-19:00 Bogota counts, and F's hour on hold does not", async () => {
    const m = await metrics(manager, "PRIORITY");
    // acknowledge: A 04:00-04:10 -> 0, B 18:30-18:50 -> 1200, C 07:00-07:30 -> 1800, F 300, G 1200
    expect(m.mttaBusinessSeconds).toBeCloseTo(900, 6);
    expect(m.mttaBusinessMedianSeconds).toBeCloseTo(1200, 6);
    // resolve: A 04:00-06:00 -> 3600, B 18:30-22:30 -> 1800, F 7200 - 3600 on hold, G 15:00-20:00 -> 14400
    expect(m.mttrBusinessSeconds).toBeCloseTo(5850, 6);
    expect(m.mttrBusinessMedianSeconds).toBeCloseTo(3600, 6);
  });

  it("attainment and breaches: G was acknowledged and resolved late; D's clock is not settled", async () => {
    const m = await metrics(manager, "PRIORITY");
    // resolve clocks settled: A, B, F in time, G late; acknowledge: A, B, C (exactly 30 min), F in time, G late
    expect(m.slaAttainment).toBeCloseTo(0.75, 9);
    expect(m.ackAttainment).toBeCloseTo(0.8, 9);
    expect([m.breaches, m.ackBreaches, m.resolveBreaches]).toEqual([1, 1, 1]);
  });

  it("by priority: P1 to P4 order, the figures of each", async () => {
    const m = await metrics(manager, "PRIORITY");
    expect(m.rows.map((r) => [r.key, r.label, r.count])).toEqual([
      ["P1", "P1", 3],
      ["P2", "P2", 2],
      ["P3", "P3", 1],
    ]);
    expect(byKey(m, "P1")).toMatchObject({
      mttaSeconds: 700,
      mttaMedianSeconds: 600,
      mttrSeconds: 10800,
      mttrMedianSeconds: 7200,
      slaAttainment: 2 / 3,
      breaches: 1,
    });
    expect(byKey(m, "P2")).toMatchObject({
      mttaSeconds: 1500,
      mttrSeconds: 14400,
      mttrMedianSeconds: 14400,
      slaAttainment: 1,
      breaches: 0,
    });
    expect(byKey(m, "P3")).toMatchObject({
      mttaSeconds: null,
      mttrSeconds: null,
      slaAttainment: null,
      ackAttainment: null,
      breaches: 0,
    });
  });

  it("by service: an incident on two services counts in both; the none row last", async () => {
    const m = await metrics(manager, "SERVICE");
    expect(m.count).toBe(6);
    expect(m.rows.map((r) => [r.key, r.label, r.count])).toEqual([
      [ids.api, "API", 3],
      [ids.checkout, "Checkout", 3],
      ["none", "No service", 1],
    ]);
    expect(byKey(m, ids.api).mttaSeconds).toBeCloseTo(1100, 6); // (1200 + 1800 + 300) / 3
    expect(byKey(m, ids.api).mttaMedianSeconds).toBeCloseTo(1200, 6);
    expect(byKey(m, ids.api).mttrSeconds).toBeCloseTo(10800, 6); // (14400 + 7200) / 2
    expect(byKey(m, ids.checkout).mttaSeconds).toBeCloseTo(1000, 6); // (600 + 1200 + 1200) / 3
    expect(byKey(m, ids.checkout).breaches).toBe(1);
  });

  it("by category: the category itself, labelled with its parent", async () => {
    const m = await metrics(manager, "CATEGORY");
    expect(m.rows.map((r) => [r.key, r.label, r.count])).toEqual([
      [ids.network, "Network", 1],
      [ids.vpn, "Network › VPN", 1],
      [ids.software, "Software", 3], // B, F and G, categorised when resolved
      ["none", "No category", 1],
    ]);
  });

  it("by queue: the queue the incident is in now", async () => {
    const m = await metrics(manager, "QUEUE");
    expect(m.rows.map((r) => [r.key, r.label, r.count])).toEqual([
      [ids.queue, "Network on call", 1],
      ["none", "No queue", 5],
    ]);
    expect(byKey(m, ids.queue)).toMatchObject({ mttaSeconds: 300, mttrSeconds: 7200 });
  });

  it("by day: calendar days in the business time zone, quiet days included", async () => {
    const m = await metrics(manager, "DAY");
    // The range starts at 19:00 the day before in Bogota; B (23:30 UTC) is still its first day there.
    expect(m.rows.map((r) => [r.key, r.count])).toEqual([
      [day("2026-03-01"), 0],
      [day("2026-03-02"), 2],
      [day("2026-03-03"), 1],
      [day("2026-03-04"), 1],
      [day("2026-03-05"), 2],
    ]);
    expect(byKey(m, day("2026-03-02"))).toMatchObject({ mttaSeconds: 900, mttrSeconds: 10800 });
    expect(byKey(m, day("2026-03-01"))).toMatchObject({ mttaSeconds: null, breaches: 0 });
  });

  it("trends: the 7 days before `to` against the weekly mean of the 4 weeks before", async () => {
    const m = await metrics(manager, "PRIORITY");
    expect(m.trends).toEqual([
      // B, F and G were filed as Software, nothing was before: the steepest rise.
      { key: ids.software, label: "Software", count: 3, group: "CATEGORY", baselineWeekly: 0 },
      // B, C, F against 2 in the 4 weeks before (0.5 a week).
      { key: ids.api, label: "API", count: 3, group: "SERVICE", baselineWeekly: 0.5 },
      // A, B, G against 4 (1 a week).
      { key: ids.checkout, label: "Checkout", count: 3, group: "SERVICE", baselineWeekly: 1 },
    ]);
  });

  it("trends end now when `to` is in the future", async () => {
    const m = await metrics(manager, "PRIORITY", { from: RANGE.from, to: d("2026-04-01T00:00:00.000Z") });
    expect(m.count).toBe(7);
    // now = 9 March 10:00: the last 7 days hold B, C, F and the one of 7 March on the API (E was
    // canceled), only B and G on Checkout (A was at 09:00 on 2 March).
    expect(m.trends).toEqual([
      { key: ids.software, label: "Software", count: 3, group: "CATEGORY", baselineWeekly: 0 },
      { key: ids.api, label: "API", count: 4, group: "SERVICE", baselineWeekly: 0.5 },
    ]);
    const earlier = await metrics(manager, "PRIORITY", {
      from: d("2026-02-01T00:00:00.000Z"),
      to: d("2026-02-20T00:00:00.000Z"),
    });
    expect(earlier.trends).toEqual([]);
  });

  it("an empty range: zero, nulls, no rows (but every day for DAY)", async () => {
    const range = { from: "2025-01-01T00:00:00.000Z", to: "2025-01-03T00:00:00.000Z" };
    const m = await metrics(manager, "SERVICE", range);
    expect(m).toMatchObject({
      count: 0,
      mttaSeconds: null,
      mttrSeconds: null,
      slaAttainment: null,
      breaches: 0,
      rows: [],
    });
    expect((await metrics(manager, "DAY", range)).rows.map((r) => r.key)).toEqual([
      "2024-12-31",
      "2025-01-01",
      "2025-01-02",
    ]);
  });

  it("asking for a part computes that part alike: rows alone, totals alone (through a fragment)", async () => {
    for (const groupBy of ["PRIORITY", "SERVICE", "DAY"]) {
      const full = await metrics(manager, groupBy);
      const rowsOnly = await manager.ok<{ incidentMetrics: { rows: Row[] } }>(
        `query($from: DateTime!, $to: DateTime!, $g: MetricsGroup) { incidentMetrics(from: $from, to: $to, groupBy: $g) {
           rows { key label count mttaSeconds mttaMedianSeconds mttrSeconds mttrMedianSeconds breaches slaAttainment ackAttainment } } }`,
        { ...RANGE, g: groupBy },
      );
      expect(rowsOnly.incidentMetrics.rows).toEqual(full.rows);
      const totalsOnly = await manager.ok<{ incidentMetrics: { count: number; mttrSeconds: number } }>(
        `query($from: DateTime!, $to: DateTime!, $g: MetricsGroup) { incidentMetrics(from: $from, to: $to, groupBy: $g) { ...T } }
         fragment T on IncidentMetrics { count mttrSeconds }`,
        { ...RANGE, g: groupBy },
      );
      expect(totalsOnly.incidentMetrics).toEqual({ count: full.count, mttrSeconds: full.mttrSeconds });
    }
  });

  it("the Reports page's own query: the same figures through its fragment, and its daily alias (count and breaches only) as by DAY", async () => {
    for (const groupBy of ["PRIORITY", "SERVICE"]) {
      const full = await metrics(manager, groupBy);
      const byDay = await metrics(manager, "DAY");
      const page = await manager.ok<{
        incidentMetrics: Metrics;
        daily: { rows: { key: string; count: number; breaches: number }[] };
      }>(documentText(METRICS_QUERY), { ...RANGE, groupBy });
      const { rows, trends, ...totals } = full;
      expect(page.incidentMetrics).toMatchObject(totals);
      expect(page.incidentMetrics.trends).toEqual(trends);
      expect(page.incidentMetrics.rows.length).toBe(rows.length);
      for (const [i, r] of rows.entries()) expect(page.incidentMetrics.rows[i]).toMatchObject(r);
      expect(page.daily.rows).toEqual(
        byDay.rows.map((r) => ({ key: r.key, count: r.count, breaches: r.breaches })),
      );
    }
  });

  it("groupBy defaults to PRIORITY", async () => {
    const r = await manager.ok<{ incidentMetrics: { groupBy: string } }>(
      "query($from: DateTime!, $to: DateTime!) { incidentMetrics(from: $from, to: $to) { groupBy } }",
      RANGE,
    );
    expect(r.incidentMetrics.groupBy).toBe("PRIORITY");
  });

  it("reads samples the triggers kept up to date: recomputing every incident's changes none", async () => {
    // The reports read incident_metrics_sample, rewritten by triggers when an incident or its clocks
    // change. Recomputing each row from its source now must find nothing to change: no command of the
    // fixture (queue, hold, category at resolution, cancel, the clocks) slipped past the triggers.
    const db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
    try {
      const all = "SELECT * FROM incident_metrics_sample ORDER BY incident_id";
      const kept = (await db.query(all)).rows;
      expect(kept).toHaveLength((await db.query("SELECT id FROM incident")).rowCount!);
      await db.query("DELETE FROM incident_metrics_sample");
      await db.query("SELECT beacon_refresh_incident_metrics_sample(id) FROM incident");
      expect((await db.query(all)).rows).toEqual(kept);
    } finally {
      await db.end();
    }
  });
});

describe("bad input", () => {
  it.each([
    ["to before from", { from: "2026-03-06T00:00:00Z", to: "2026-03-02T00:00:00Z" }, "must be after"],
    ["to equal to from", { from: "2026-03-06T00:00:00Z", to: "2026-03-06T00:00:00Z" }, "must be after"],
    ["longer than two years", { from: "2023-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z" }, "two years"],
  ])("%s: BAD_USER_INPUT naming the field", async (_name, range, words) => {
    const e = await manager.fails(METRICS, { ...range, groupBy: "DAY" });
    expect(e.code).toBe("BAD_USER_INPUT");
    expect(e.message).toContain('"to"');
    expect(e.message).toContain(words);
  });

  it("a time that is not a date-time, and an unknown group, are refused", async () => {
    const e = await manager.fails(METRICS, { from: "yesterday", to: RANGE.to, groupBy: "DAY" });
    expect(e.message).toMatch(/from/);
    const g = await manager.fails(METRICS, { ...RANGE, groupBy: "WEEKDAY" });
    expect(g.message).toMatch(/MetricsGroup/);
  });

  it("times with an offset are instants: the same range in +02:00 gives the same figures", async () => {
    const plus2 = (iso: string) => `${new Date(Date.parse(iso) + 2 * HOUR).toISOString().slice(0, 19)}+02:00`;
    const shifted = await metrics(manager, "PRIORITY", { from: plus2(RANGE.from), to: plus2(RANGE.to) });
    expect(shifted.from).toBe(RANGE.from);
    expect(shifted.count).toBe(6);
  });
});

describe("who may read metrics", () => {
  it("admins, incident managers, agents and responders (everyone who sees the incidents)", async () => {
    const agent = await t.user("AGENT");
    for (const client of [t.admin, manager, agent, responder]) {
      expect((await metrics(client as Person, "PRIORITY")).count).toBe(6);
    }
  });

  it("anonymous callers are told to sign in", async () => {
    const e = await t.anon.fails(METRICS, { ...RANGE, groupBy: "PRIORITY" });
    expect(e.code).toBe("UNAUTHENTICATED");
  });
});
