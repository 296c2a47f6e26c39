import { afterAll, assert, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../server/kernel/clock";
import { startTestBeacon, type TestBeacon, type TestClient } from "../support/harness";
import { createService } from "../support/incidents";

// Scheduled maintenance through the API: commands, refusals (that change nothing), permissions,
// history, services under maintenance and back, live events. The clock is injected; the windows
// here lie hours ahead of real time, so no timer fires during these tests (see
// maintenance-timers.test.ts for those).

const FIELDS = `id title description state version autoTransition scheduledStart scheduledEnd startedAt completedAt
  services { id slug status } updates { state message at }`;
const SCHEDULE = `mutation($i: ScheduleMaintenanceInput!) { scheduleMaintenance(input: $i) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $v: Int!, $i: UpdateMaintenanceInput!) { updateMaintenance(id: $id, expectedVersion: $v, input: $i) { ${FIELDS} } }`;
const POST = `mutation($id: ID!, $v: Int!, $m: String!, $s: MaintenanceState) { postMaintenanceUpdate(id: $id, expectedVersion: $v, message: $m, state: $s) { ${FIELDS} } }`;
const START = `mutation($id: ID!, $v: Int!) { startMaintenance(id: $id, expectedVersion: $v) { ${FIELDS} } }`;
const COMPLETE = `mutation($id: ID!, $v: Int!) { completeMaintenance(id: $id, expectedVersion: $v) { ${FIELDS} } }`;
const CANCEL = `mutation($id: ID!, $v: Int!, $r: String!) { cancelMaintenance(id: $id, expectedVersion: $v, reason: $r) { ${FIELDS} } }`;
const SET_STATUS = `mutation($id: ID!, $s: ServiceStatus!) { setServiceStatus(serviceId: $id, status: $s) { id status version } }`;

interface M {
  id: string;
  title: string;
  state: string;
  version: number;
  scheduledStart: string;
  scheduledEnd: string;
  startedAt: string | null;
  completedAt: string | null;
  services: { id: string; slug: string; status: string }[];
  updates: { state: string; message: string }[];
}

const HOUR = 3_600_000;
const clock = new ManualClock(new Date());
let t: TestBeacon;
let manager: TestClient;
let agent: TestClient;
let api: string;
let web: string;

const iso = (ms: number) => new Date(clock.now().getTime() + ms).toISOString();

async function schedule(client: TestClient, over: Record<string, unknown> = {}): Promise<M> {
  const d = await client.ok<{ scheduleMaintenance: M }>(SCHEDULE, {
    i: {
      title: "Database upgrade",
      description: "PostgreSQL 18",
      serviceIds: [api],
      scheduledStart: iso(2 * HOUR),
      scheduledEnd: iso(3 * HOUR),
      ...over,
    },
  });
  return d.scheduleMaintenance;
}

async function counts() {
  const [r] = await t.started.beacon.db.query(
    `SELECT (SELECT count(*) FROM maintenance)::int AS m, (SELECT count(*) FROM event)::int AS e,
            (SELECT count(*) FROM change_record)::int AS c, (SELECT count(*) FROM maintenance_update)::int AS u`,
  );
  return r as { m: number; e: number; c: number; u: number };
}

const statusOf = async (id: string) =>
  (
    await t.anon.ok<{ service: { status: string; version: number } }>(
      "query($id: ID) { service(id: $id) { status version } }",
      { id },
    )
  ).service;

beforeAll(async () => {
  t = await startTestBeacon({ clock });
  manager = await t.user("INCIDENT_MANAGER", "Mia Manager");
  agent = await t.user("AGENT", "Al Agent");
  api = await createService(t.admin, "API");
  web = await createService(t.admin, "Website");
});
afterAll(() => t?.stop());

describe("scheduling", () => {
  it("an incident manager schedules a window; anyone sees it, with its services", async () => {
    const m = await schedule(manager);
    expect(m).toMatchObject({
      title: "Database upgrade",
      state: "SCHEDULED",
      version: 1,
      autoTransition: true,
      startedAt: null,
      services: [{ id: api, status: "OPERATIONAL" }],
      updates: [],
    });
    const pub = await t.anon.ok<{ maintenance: M; maintenances: M[] }>(
      `query($id: ID!) { maintenance(id: $id) { ${FIELDS} } maintenances(states: [SCHEDULED]) { id } }`,
      { id: m.id },
    );
    expect(pub.maintenance.title).toBe("Database upgrade");
    expect(pub.maintenances.map((x) => x.id)).toContain(m.id);
    const summary = await t.anon.ok<{ statusSummary: { maintenances: M[] } }>(
      "{ statusSummary { maintenances { id state services { slug } } } }",
    );
    expect(summary.statusSummary.maintenances.map((x) => x.id)).toContain(m.id);
  });

  it("refuses bad input naming the field, and changes nothing", async () => {
    const before = await counts();
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ scheduledEnd: iso(2 * HOUR) }, "scheduledEnd", /must be after scheduledStart/],
      [{ scheduledEnd: iso(1 * HOUR) }, "scheduledEnd", /must be after scheduledStart/],
      [{ scheduledStart: iso(-HOUR), scheduledEnd: iso(HOUR) }, "scheduledStart", /in the past/],
      [{ serviceIds: [] }, "serviceIds", /at least one/],
      [{ serviceIds: ["7d1a5c1e-0000-4000-8000-000000000000"] }, "serviceIds", /unknown service/],
      [{ serviceIds: ["not-a-uuid"] }, "serviceIds", /unknown service/],
      [{ title: "  " }, "title", /title/],
    ];
    for (const [over, field, message] of cases) {
      const e = await manager.fails(SCHEDULE, {
        i: {
          title: "x",
          serviceIds: [api],
          scheduledStart: iso(2 * HOUR),
          scheduledEnd: iso(3 * HOUR),
          ...over,
        },
      });
      expect(e.code, JSON.stringify(over)).toBe("BAD_USER_INPUT");
      expect(e.extensions?.field, JSON.stringify(over)).toBe(field);
      expect(e.message).toMatch(message);
    }
    expect(await counts()).toEqual(before);
  });

  it("only incident managers and admins may schedule or change windows", async () => {
    const before = await counts();
    const e = await agent.fails(SCHEDULE, {
      i: { title: "x", serviceIds: [api], scheduledStart: iso(2 * HOUR), scheduledEnd: iso(3 * HOUR) },
    });
    expect(e.code).toBe("FORBIDDEN");
    expect(
      (
        await t.anon.fails(SCHEDULE, {
          i: { title: "x", serviceIds: [api], scheduledStart: iso(2 * HOUR), scheduledEnd: iso(3 * HOUR) },
        })
      ).code,
    ).toBe("UNAUTHENTICATED");
    const m = await schedule(t.admin);
    const after = await counts();
    expect(after.m).toBe(before.m + 1);
    for (const [q, v] of [
      [START, { id: m.id, v: 1 }],
      [COMPLETE, { id: m.id, v: 1 }],
      [CANCEL, { id: m.id, v: 1, r: "no" }],
      [POST, { id: m.id, v: 1, m: "hi" }],
      [UPDATE, { id: m.id, v: 1, i: { title: "y" } }],
    ] as const) {
      expect((await agent.fails(q, v)).code).toBe("FORBIDDEN");
    }
    expect(await counts()).toEqual(after);
  });
});

describe("changing a window", () => {
  it("a stale expectedVersion is a CONFLICT that changes nothing", async () => {
    const m = await schedule(manager);
    await manager.ok(UPDATE, { id: m.id, v: 1, i: { title: "Database upgrade (moved)" } });
    const before = await counts();
    const e = await manager.fails(UPDATE, { id: m.id, v: 1, i: { title: "other" } });
    expect(e.code).toBe("CONFLICT");
    expect(e.extensions?.currentVersion).toBe(2);
    for (const [q, v] of [
      [START, { id: m.id, v: 1 }],
      [CANCEL, { id: m.id, v: 1, r: "x" }],
      [POST, { id: m.id, v: 1, m: "x" }],
    ] as const) {
      expect((await manager.fails(q, v)).code).toBe("CONFLICT");
    }
    expect(await counts()).toEqual(before);
  });

  it("moving only the start moves the end by the same real time; in the past is refused", async () => {
    const m = await schedule(manager);
    const moved = (
      await manager.ok<{ updateMaintenance: M }>(UPDATE, {
        id: m.id,
        v: 1,
        i: { scheduledStart: iso(26 * HOUR) },
      })
    ).updateMaintenance;
    expect(Date.parse(moved.scheduledEnd) - Date.parse(moved.scheduledStart)).toBe(HOUR);
    expect(moved.version).toBe(2);
    const e = await manager.fails(UPDATE, { id: m.id, v: 2, i: { scheduledStart: iso(-2 * HOUR) } });
    expect(e).toMatchObject({ code: "BAD_USER_INPUT", extensions: { field: "scheduledStart" } });
    expect((await manager.fails(UPDATE, { id: m.id, v: 2, i: { serviceIds: [] } })).code).toBe(
      "BAD_USER_INPUT",
    );
  });

  it("start by hand: services go under maintenance, documented; editing then moves only the end", async () => {
    const m = await schedule(manager, { serviceIds: [api, web] });
    await t.admin.ok(SET_STATUS, { id: web, s: "DEGRADED_PERFORMANCE" });
    const started = (await manager.ok<{ startMaintenance: M }>(START, { id: m.id, v: 1 })).startMaintenance;
    expect(started).toMatchObject({ state: "IN_PROGRESS", version: 2 });
    expect(started.startedAt).toBe(clock.now().toISOString());
    expect(started.updates[0]).toMatchObject({ state: "IN_PROGRESS" });
    expect((await statusOf(api)).status).toBe("UNDER_MAINTENANCE");
    expect((await statusOf(web)).status).toBe("UNDER_MAINTENANCE");

    const edited = (
      await manager.ok<{ updateMaintenance: M }>(UPDATE, {
        id: m.id,
        v: 2,
        i: { scheduledStart: iso(5 * HOUR), scheduledEnd: iso(6 * HOUR) },
      })
    ).updateMaintenance;
    expect(edited.scheduledStart).toBe(m.scheduledStart);
    expect(edited.scheduledEnd).toBe(iso(6 * HOUR));
    const services = await manager.fails(UPDATE, { id: m.id, v: 3, i: { serviceIds: [api] } });
    expect(services.code).toBe("INVALID_TRANSITION");

    const verifying = (
      await manager.ok<{ postMaintenanceUpdate: M }>(POST, {
        id: m.id,
        v: 3,
        m: "Checking replicas",
        s: "VERIFYING",
      })
    ).postMaintenanceUpdate;
    expect(verifying).toMatchObject({
      state: "VERIFYING",
      version: 4,
      updates: [{ state: "VERIFYING", message: "Checking replicas" }, { state: "IN_PROGRESS" }],
    });

    clock.advance(10 * 60_000);
    const done = (await manager.ok<{ completeMaintenance: M }>(COMPLETE, { id: m.id, v: 4 }))
      .completeMaintenance;
    expect(done).toMatchObject({ state: "COMPLETED", completedAt: clock.now().toISOString() });
    // Back to what each had before.
    expect((await statusOf(api)).status).toBe("OPERATIONAL");
    expect((await statusOf(web)).status).toBe("DEGRADED_PERFORMANCE");

    const h = await manager.ok<{
      maintenance: {
        history: {
          version: number;
          authorName: string;
          description: string;
          changes: Record<string, unknown>;
        }[];
      };
    }>("query($id: ID!) { maintenance(id: $id) { history { version authorName description changes } } }", {
      id: m.id,
    });
    expect(h.maintenance.history.map((r) => r.version)).toEqual([1, 2, 3, 4, 5]);
    expect(h.maintenance.history.every((r) => r.authorName === "Mia Manager")).toBe(true);
    expect(h.maintenance.history[2]?.description).toMatch(/only its end moved/);
    expect(h.maintenance.history[4]?.changes.servicesRestored).toEqual({
      from: null,
      to: expect.arrayContaining(["API", "Website"]),
    });
    const verify = await manager.ok<{ verifyMaintenanceHistory: { ok: boolean; checked: number } }>(
      "query($id: ID!) { verifyMaintenanceHistory(id: $id) { ok checked } }",
      { id: m.id },
    );
    expect(verify.verifyMaintenanceHistory).toEqual({ ok: true, checked: 5 });
    // History is not public.
    expect(
      (await t.anon.fails("query($id: ID!) { maintenance(id: $id) { history { version } } }", { id: m.id }))
        .code,
    ).toBe("UNAUTHENTICATED");

    // A completed window cannot be canceled, edited or moved on.
    const before = await counts();
    const cancel = await manager.fails(CANCEL, { id: m.id, v: 5, r: "too late" });
    expect(cancel.code).toBe("INVALID_TRANSITION");
    expect(cancel.message).toMatch(/already completed/);
    expect((await manager.fails(UPDATE, { id: m.id, v: 5, i: { title: "x" } })).code).toBe(
      "INVALID_TRANSITION",
    );
    expect((await manager.fails(START, { id: m.id, v: 5 })).code).toBe("INVALID_TRANSITION");
    expect(await counts()).toEqual(before);
  });

  it("a status someone set during the window is not overwritten at the end; the window notes it", async () => {
    const m = await schedule(manager, { serviceIds: [api, web] });
    await t.admin.ok(SET_STATUS, { id: web, s: "OPERATIONAL" });
    await manager.ok(START, { id: m.id, v: 1 });
    await t.admin.ok(SET_STATUS, { id: api, s: "MAJOR_OUTAGE" });
    const done = (await manager.ok<{ completeMaintenance: M }>(COMPLETE, { id: m.id, v: 2 }))
      .completeMaintenance;
    expect(done.state).toBe("COMPLETED");
    expect((await statusOf(api)).status).toBe("MAJOR_OUTAGE");
    expect((await statusOf(web)).status).toBe("OPERATIONAL");
    const h = await manager.ok<{
      maintenance: { history: { description: string; changes: Record<string, { to: unknown }> }[] };
    }>("query($id: ID!) { maintenance(id: $id) { history { description changes } } }", { id: m.id });
    const last = h.maintenance.history.at(-1);
    assert.exists(last, "a history record");
    expect(last.changes.servicesLeftAlone?.to).toEqual(["API"]);
    expect(last.description).toMatch(
      /"API" left Major Outage: its status was changed by someone during the window/,
    );
    await t.admin.ok(SET_STATUS, { id: api, s: "OPERATIONAL" });
  });

  it("cancel needs a reason, shown publicly; an in-progress window's services return", async () => {
    const a = await schedule(manager);
    expect((await manager.fails(CANCEL, { id: a.id, v: 1, r: " " })).code).toBe("BAD_USER_INPUT");
    const c = (await manager.ok<{ cancelMaintenance: M }>(CANCEL, { id: a.id, v: 1, r: "Vendor postponed" }))
      .cancelMaintenance;
    expect(c).toMatchObject({
      state: "CANCELED",
      updates: [{ state: "CANCELED", message: expect.stringMatching(/Vendor postponed/) }],
    });
    const b = await schedule(manager);
    await manager.ok(START, { id: b.id, v: 1 });
    expect((await statusOf(api)).status).toBe("UNDER_MAINTENANCE");
    await manager.ok(CANCEL, { id: b.id, v: 2, r: "Rolled back" });
    expect((await statusOf(api)).status).toBe("OPERATIONAL");
    const e = await manager.fails(POST, { id: b.id, v: 3, m: "x" });
    expect(e.code).toBe("INVALID_TRANSITION");
    const s = await manager.fails(POST, { id: (await schedule(manager)).id, v: 1, m: "x", s: "CANCELED" });
    expect(s).toMatchObject({ code: "BAD_USER_INPUT", extensions: { field: "state" } });
  });
});

describe("uptime", () => {
  it("time in a window is not downtime, and the day is marked with the window", async () => {
    const billing = await createService(t.admin, "Billing");
    const m = await schedule(manager, { serviceIds: [billing], title: "Billing migration" });
    await manager.ok(START, { id: m.id, v: 1 });
    await t.admin.ok(SET_STATUS, { id: billing, s: "MAJOR_OUTAGE" });
    clock.advance(30 * 60_000);
    await t.admin.ok(SET_STATUS, { id: billing, s: "OPERATIONAL" });
    clock.advance(30 * 60_000);
    await manager.ok(COMPLETE, { id: m.id, v: 2 });
    const d = await t.anon.ok<{
      service: { uptime: { downtimeMinutes: number; maintenanceMinutes: number; maintenances: string[] }[] };
    }>(
      "query($id: ID) { service(id: $id) { uptime(days: 2) { downtimeMinutes maintenanceMinutes maintenances } } }",
      {
        id: billing,
      },
    );
    const days = d.service.uptime;
    expect(days.reduce((n, x) => n + x.downtimeMinutes, 0)).toBe(0);
    expect(days.reduce((n, x) => n + x.maintenanceMinutes, 0)).toBe(60);
    expect(days.flatMap((x) => x.maintenances)).toContain("Billing migration");
  });
});

describe("live", () => {
  it("statusChanged carries MAINTENANCE_* events with the public window", async () => {
    const sub = t.anon.subscribe<{
      statusChanged: {
        kind: string;
        maintenance: { id: string; state: string } | null;
        service: { id: string; status: string } | null;
      };
    }>(
      "subscription { statusChanged { kind maintenance { id state title services { slug } updates { message } } service { id status } } }",
    );
    await new Promise((r) => setTimeout(r, 300));
    const m = await schedule(manager);
    await manager.ok(POST, { id: m.id, v: 1, m: "Reminder: we start at 10:00" });
    await manager.ok(START, { id: m.id, v: 2 });
    await manager.ok(COMPLETE, { id: m.id, v: 3 });
    const events = await sub.waitFor(6, 10_000);
    expect(events.map((e) => e.statusChanged.kind)).toEqual([
      "MAINTENANCE_SCHEDULED",
      "MAINTENANCE_UPDATED",
      "SERVICE_STATUS_CHANGED",
      "MAINTENANCE_STARTED",
      "SERVICE_STATUS_CHANGED",
      "MAINTENANCE_COMPLETED",
    ]);
    expect(events[3]?.statusChanged.maintenance).toMatchObject({ id: m.id, state: "IN_PROGRESS" });
    expect(events[2]?.statusChanged.service).toEqual({ id: api, status: "UNDER_MAINTENANCE" });
    await sub.close();
  });
});
