import { afterAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../server/kernel/clock";
import { runAutoStep, sendReminder } from "../../server/maintenance/maintenance.timers";
import type { TestBeacon, TestClient } from "../support/harness";
import { createService } from "../support/incidents";
import { instances, until as pollUntil } from "../support/instances";

// autoTransition and reminders run as jobs (pg-boss on Beacon's PostgreSQL). Timers fire at real
// times (the database's clock), the handlers decide with Beacon's injected clock. These tests use
// windows a few seconds ahead, two instances on one database, a restart with the time passed while
// no Beacon ran, and a manual clock for the decisions.

const SCHEDULE = `mutation($i: ScheduleMaintenanceInput!) { scheduleMaintenance(input: $i) { id version state } }`;
const FAST = { BEACON_JOB_POLL_SECONDS: "1", BEACON_JOB_MAINTENANCE_SECONDS: "1" };

// The first instance owns the database: stopAll stops the others first.
const { start, stop, stopAll } = instances({ env: FAST });
afterAll(stopAll);
const until = (what: string, cond: () => Promise<boolean>, timeoutMs = 30_000) =>
  pollUntil(what, cond, timeoutMs);

async function schedule(
  c: TestClient,
  serviceIds: string[],
  startMs: number,
  endMs: number,
  now = Date.now(),
) {
  return (
    await c.ok<{ scheduleMaintenance: { id: string } }>(SCHEDULE, {
      i: {
        title: "Network maintenance",
        serviceIds,
        scheduledStart: new Date(now + startMs).toISOString(),
        scheduledEnd: new Date(now + endMs).toISOString(),
      },
    })
  ).scheduleMaintenance.id;
}

async function facts(t: TestBeacon, maintenanceId: string, serviceId: string) {
  const db = t.started.beacon.db;
  const [m] = await db.query(
    "SELECT state, version, started_at, completed_at FROM maintenance WHERE id = $1",
    [maintenanceId],
  );
  const events: { kind: string }[] = await db.query(
    "SELECT kind FROM event WHERE payload->'maintenance'->>'id' = $1 ORDER BY seq",
    [maintenanceId],
  );
  const serviceChanges: { author_name: string; changes: { status: { to: string } } }[] = await db.query(
    "SELECT author_name, changes FROM change_record WHERE subject_type = 'service' AND subject_id = $1 AND changes ? 'status' ORDER BY version",
    [serviceId],
  );
  const history: { version: number; author_name: string; author_id: string | null }[] = await db.query(
    "SELECT version, author_name, author_id FROM change_record WHERE subject_type = 'maintenance' AND subject_id = $1 ORDER BY version",
    [maintenanceId],
  );
  return { m, kinds: events.map((e) => e.kind), serviceChanges, history };
}

describe("autoTransition with two instances on one database", () => {
  it("starts and completes the window exactly once; services go under maintenance and back; done by the system", async () => {
    const a = await start();
    const b = await start({ databaseUrl: a.databaseUrl });
    const api = await createService(a.admin, "API");
    const id = await schedule(a.admin, [api], 2_000, 4_000);
    await until("completion", async () => (await facts(a, id, api)).m.state === "COMPLETED");
    await new Promise((r) => setTimeout(r, 1500)); // any duplicate would show up by now
    const f = await facts(b, id, api);
    expect(f.kinds).toEqual(["MAINTENANCE_SCHEDULED", "MAINTENANCE_STARTED", "MAINTENANCE_COMPLETED"]);
    expect(f.serviceChanges.map((c) => c.changes.status.to)).toEqual([
      "OPERATIONAL",
      "UNDER_MAINTENANCE",
      "OPERATIONAL",
    ]);
    expect(f.serviceChanges.slice(1).every((c) => c.author_name === "Beacon (automatic)")).toBe(true);
    expect(f.history.map((h) => [h.version, h.author_name, h.author_id])).toEqual([
      [1, "Administrator", expect.any(String)],
      [2, "Beacon (automatic)", null],
      [3, "Beacon (automatic)", null],
    ]);
    expect(f.m.version).toBe(3);
    // Running the step again (a retried job) does nothing.
    expect(await runAutoStep(a.started.beacon, id)).toEqual([]);
    await stop(b);
    await stop(a);
    await a.stop(); // drops the database
  }, 60_000);
});

describe("a window whose time passed while no Beacon ran", () => {
  it("is started and completed at the next start (real timers)", async () => {
    const a = await start();
    const api = await createService(a.admin, "API");
    const id = await schedule(a.admin, [api], 1_500, 3_000);
    await stop(a); // before the start: the jobs wait in the database
    await new Promise((r) => setTimeout(r, 4_000));
    const b = await start({ databaseUrl: a.databaseUrl });
    await until("completion after restart", async () => (await facts(b, id, api)).m.state === "COMPLETED");
    await new Promise((r) => setTimeout(r, 1500));
    const f = await facts(b, id, api);
    expect(f.kinds).toEqual(["MAINTENANCE_SCHEDULED", "MAINTENANCE_STARTED", "MAINTENANCE_COMPLETED"]);
    expect(f.serviceChanges.map((c) => c.changes.status.to)).toEqual([
      "OPERATIONAL",
      "UNDER_MAINTENANCE",
      "OPERATIONAL",
    ]);
    await stop(b);
    await a.stop();
  }, 60_000);

  it("is caught up by the start-up sweep when Beacon's clock says it is due (injected clock)", async () => {
    const clock = new ManualClock(new Date());
    const a = await start({ clock });
    const api = await createService(a.admin, "API");
    // Hours ahead in real time: no timer fires during the test; only the clock moves.
    const id = await schedule(a.admin, [api], 2 * 3_600_000, 3 * 3_600_000, clock.now().getTime());
    await stop(a);
    clock.advance(4 * 3_600_000);
    const b = await start({ databaseUrl: a.databaseUrl, clock });
    await until("sweep", async () => (await facts(b, id, api)).m.state === "COMPLETED");
    const f = await facts(b, id, api);
    expect(f.kinds).toEqual(["MAINTENANCE_SCHEDULED", "MAINTENANCE_STARTED", "MAINTENANCE_COMPLETED"]);
    expect(new Date(f.m.started_at).getTime()).toBe(clock.now().getTime());
    // A second instance starting now finds nothing due.
    const c = await start({ databaseUrl: a.databaseUrl, clock });
    await new Promise((r) => setTimeout(r, 1500));
    expect((await facts(c, id, api)).kinds).toHaveLength(3);
    await stop(c);
    await stop(b);
    await a.stop();
  }, 60_000);
});

describe("reminders", () => {
  it("are enqueued for each lead time still ahead and published once (real timer, 1-minute lead)", async () => {
    const a = await start({ env: { BEACON_MAINTENANCE_REMINDERS: "1440,1" } });
    const api = await createService(a.admin, "API");
    // Starts in 62 s: the 1-minute reminder is due in ~2 s; the 24 h one is already past.
    const id = await schedule(a.admin, [api], 62_000, 120_000);
    const db = a.started.beacon.db;
    const jobs: { lead: number }[] = await db.query(
      "SELECT (data->>'leadMinutes')::int AS lead FROM pgboss.job WHERE name = 'maintenance.reminder' AND data->>'maintenanceId' = $1",
      [id],
    );
    expect(jobs.map((j) => j.lead)).toEqual([1]);
    await until("reminder", async () => (await facts(a, id, api)).kinds.includes("MAINTENANCE_REMINDER"));
    // The job running again (at-least-once) does not remind twice.
    const [{ forStart }] = await db.query(
      'SELECT scheduled_start AS "forStart" FROM maintenance WHERE id = $1',
      [id],
    );
    expect(await sendReminder(a.started.beacon, id, 1, new Date(forStart))).toBe(false);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await facts(a, id, api)).kinds.filter((k) => k === "MAINTENANCE_REMINDER")).toHaveLength(1);
    await stop(a);
    await a.stop();
  }, 60_000);

  it("a moved or canceled window is not reminded for its old time (injected clock)", async () => {
    const clock = new ManualClock(new Date());
    const a = await start({ clock });
    const api = await createService(a.admin, "API");
    const start0 = clock.now().getTime() + 48 * 3_600_000;
    const id = await schedule(a.admin, [api], 48 * 3_600_000, 49 * 3_600_000, clock.now().getTime());
    await a.admin.ok(
      'mutation($id: ID!) { updateMaintenance(id: $id, expectedVersion: 1, input: { scheduledStart: "' +
        new Date(start0 + 3_600_000).toISOString() +
        '" }) { version } }',
      { id },
    );
    clock.advance(3_600_000); // still before the start (sessions last 12 h)
    expect(await sendReminder(a.started.beacon, id, 1440, new Date(start0))).toBe(false); // old start
    expect(await sendReminder(a.started.beacon, id, 1440, new Date(start0 + 3_600_000))).toBe(true);
    expect(await sendReminder(a.started.beacon, id, 1440, new Date(start0 + 3_600_000))).toBe(false); // once
    await a.admin.ok(
      'mutation($id: ID!) { cancelMaintenance(id: $id, expectedVersion: 2, reason: "off") { state } }',
      {
        id,
      },
    );
    expect(await sendReminder(a.started.beacon, id, 60, new Date(start0 + 3_600_000))).toBe(false);
    await stop(a);
    await a.stop();
  }, 60_000);
});
