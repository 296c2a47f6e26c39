import type { ChildProcess } from "node:child_process";
import { afterAll, describe, expect, inject, it } from "vitest";
import { freshDatabase } from "../support/databases";
import { startTestBeacon, type TestBeacon } from "../support/harness";
import { adminClient, spawnBeacon, until } from "../support/instances";

// A Beacon process killed with SIGKILL (no shutdown hooks, a job possibly mid-flight) just as a
// window is due: the next instance on the same database starts and completes the window exactly once.

const FAST = { BEACON_JOB_POLL_SECONDS: "1", BEACON_JOB_MAINTENANCE_SECONDS: "1" };
let child: ChildProcess | null = null;
let next: TestBeacon | null = null;
let dropDb: (() => Promise<void>) | null = null;

afterAll(async () => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  await next?.stop(); // drops nothing: the database was given
  await dropDb?.();
});

describe("kill -9 while a maintenance window is due", () => {
  it("the next instance starts and completes it exactly once; the service goes under maintenance and back", async () => {
    const db = await freshDatabase(inject("pgBaseUrl"));
    dropDb = db.drop;
    const beacon = await spawnBeacon(db.url, FAST);
    child = beacon.child;
    await beacon.listening();
    const admin = await adminClient(beacon.url);
    const api = (
      await admin.ok<{ createService: { id: string } }>(
        'mutation { createService(input: { name: "API" }) { id } }',
      )
    ).createService.id;
    const startAt = Date.now() + 3_000;
    const id = (
      await admin.ok<{ scheduleMaintenance: { id: string } }>(
        "mutation($i: ScheduleMaintenanceInput!) { scheduleMaintenance(input: $i) { id } }",
        {
          i: {
            title: "Kernel upgrade",
            serviceIds: [api],
            scheduledStart: new Date(startAt).toISOString(),
            scheduledEnd: new Date(startAt + 4_000).toISOString(),
          },
        },
      )
    ).scheduleMaintenance.id;

    // Killed as the start falls due: the child may have started the window, be in the middle of it, or not yet.
    await new Promise((r) => setTimeout(r, Math.max(0, startAt - Date.now())));
    child.kill("SIGKILL");
    await new Promise((r) => child!.once("exit", r));

    next = await startTestBeacon({ databaseUrl: db.url, env: FAST });
    const sql = next.started.beacon.db;
    await until(
      "completion by the new instance",
      async () =>
        (await sql.query("SELECT state FROM maintenance WHERE id = $1", [id]))[0].state === "COMPLETED",
    );
    await new Promise((r) => setTimeout(r, 2_000)); // a duplicate step, if any, would show up by now
    const kinds = (
      await sql.query("SELECT kind FROM event WHERE payload->'maintenance'->>'id' = $1 ORDER BY seq", [id])
    ).map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual(["MAINTENANCE_SCHEDULED", "MAINTENANCE_STARTED", "MAINTENANCE_COMPLETED"]);
    const statuses = (
      await sql.query(
        "SELECT changes FROM change_record WHERE subject_type = 'service' AND subject_id = $1 AND changes ? 'status' ORDER BY version",
        [api],
      )
    ).map((c: { changes: { status: { to: string } } }) => c.changes.status.to);
    expect(statuses).toEqual(["OPERATIONAL", "UNDER_MAINTENANCE", "OPERATIONAL"]);
    const [m] = await sql.query("SELECT version FROM maintenance WHERE id = $1", [id]);
    expect(m.version).toBe(3);
  }, 120_000);
});
