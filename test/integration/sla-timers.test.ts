import { afterAll, describe, expect, it } from "vitest";
import { fireSlaAlarm } from "../../server/incidents";
import type { Clock } from "../../server/kernel/clock";
import type { TestBeacon } from "../support/harness";
import { act, createQueue, openIncident, SIG } from "../support/incidents";
import { instances, until } from "../support/instances";

// Warnings, breaches and escalation fire through pg-boss at real times (the database's clock) and
// decide with Beacon's injected clock. A P1's acknowledge target is 15 minutes, so the incident is
// opened "almost 15 minutes ago" (the clock shifted back while opening) and the breach comes due a
// few seconds later in real time. Two instances on one database, then a restart with the due time
// passing while no Beacon runs: each alarm is documented exactly once.

const FAST = {
  BEACON_JOB_POLL_SECONDS: "1",
  BEACON_JOB_MAINTENANCE_SECONDS: "1",
  BEACON_SESSION_TTL_HOURS: "48",
};
const MIN = 60_000;

/** Real time, shifted by `shift` ms (tests set it back while opening an incident). */
const shift = { ms: 0 };
const clock: Clock = { now: () => new Date(Date.now() + shift.ms) };

const { start, stop, stopAll } = instances({ clock, env: FAST });
afterAll(stopAll);

async function kinds(t: TestBeacon, incidentId: string): Promise<string[]> {
  const rows: { kind: string }[] = await t.started.beacon.db.query(
    "SELECT kind FROM timeline_entry WHERE incident_id = $1 AND kind IN ('SLA_WARNING', 'SLA_BREACH', 'ESCALATION') ORDER BY seq",
    [incidentId],
  );
  return rows.map((r) => r.kind);
}

/** Opens a P1 whose acknowledge target is reached `inMs` from now in real time. */
async function openP1DueIn(t: TestBeacon, inMs: number, input: Record<string, unknown> = {}) {
  shift.ms = -(15 * MIN - inMs);
  try {
    return await openIncident(t.admin, { impact: "HIGH", urgency: "HIGH", ...input });
  } finally {
    shift.ms = 0;
  }
}

describe("SLA alarms on real timers", () => {
  it("two instances: the warning, the breach and the escalation each happen once, by the system, live", async () => {
    const a = await start();
    const b = await start({ databaseUrl: a.databaseUrl });
    const boss = await a.user("INCIDENT_MANAGER", "Robin Boss");
    const member = await a.user("RESPONDER");
    const queue = await createQueue(a.admin, "Database", [member.userId]);
    await a.admin.ok("mutation($q: ID!, $u: ID) { setQueueManager(queueId: $q, userId: $u) { id } }", {
      q: queue,
      u: boss.userId,
    });
    shift.ms = -(15 * MIN - 3000);
    const i = await openIncident(a.admin, { impact: "HIGH", urgency: "HIGH" });
    await act(a.admin, "assignIncident", `${SIG.id}, $queueId: ID!`, {
      id: i.id,
      expectedVersion: 1,
      queueId: queue,
    });
    shift.ms = 0;
    await until("breach and escalation", async () => (await kinds(a, i.id)).length >= 3);
    await new Promise((r) => setTimeout(r, 2000)); // any duplicate would show up by now
    // In this order on the timeline: the escalation, due the moment the target is missed, follows
    // the breach (it documents the breach first when its own job has not yet).
    expect(await kinds(b, i.id)).toEqual(["SLA_WARNING", "SLA_BREACH", "ESCALATION"]);
    const authors: { author_name: string }[] = await a.started.beacon.db.query(
      "SELECT DISTINCT author_name FROM timeline_entry WHERE incident_id = $1 AND kind LIKE 'SLA_%'",
      [i.id],
    );
    expect(authors).toEqual([{ author_name: "Beacon (automatic)" }]);
    // The responders heard about it: the queue member (warning, breach), the manager (escalation).
    const told: { user_id: string; kind: string }[] = await a.started.beacon.db.query(
      "SELECT user_id, kind FROM notification WHERE incident_id = $1 AND kind IN ('SLA_WARNING', 'ESCALATION') ORDER BY seq",
      [i.id],
    );
    expect(told.filter((n) => n.user_id === member.userId && n.kind === "SLA_WARNING")).toHaveLength(2);
    expect(told.filter((n) => n.user_id === boss.userId && n.kind === "ESCALATION")).toHaveLength(1);
    // The room shows it: the clock says breached.
    const d = await member.ok<{ incident: { sla: { acknowledge: { breached: boolean; warned: boolean } } } }>(
      "query($id: ID!) { incident(id: $id) { sla { acknowledge { warned breached } } } }",
      { id: i.id },
    );
    expect(d.incident.sla.acknowledge).toEqual({ warned: true, breached: true });
    // A job running again (at-least-once) does nothing.
    expect(
      await fireSlaAlarm(a.started.beacon, { incidentId: i.id, clock: "acknowledge", kind: "BREACH" }),
    ).toBe("nothing");
    await stop(b);
    await stop(a);
    await a.stop();
  }, 90_000);

  it("a breach due while no Beacon runs is documented once after the restart", async () => {
    const a = await start();
    const i = await openP1DueIn(a, 2500);
    await stop(a);
    await new Promise((r) => setTimeout(r, 3500));
    const b = await start({ databaseUrl: a.databaseUrl });
    await until("breach after restart", async () => (await kinds(b, i.id)).includes("SLA_BREACH"));
    await new Promise((r) => setTimeout(r, 2000));
    const seen = await kinds(b, i.id);
    expect(seen.filter((k) => k === "SLA_BREACH")).toHaveLength(1);
    // The warning was due at once; if it had not run before the stop, a breach first makes it moot.
    expect(seen.filter((k) => k === "SLA_WARNING").length).toBeLessThanOrEqual(1);
    await stop(b);
    await a.stop();
  }, 90_000);

  it("acknowledged before the due time: the breach job fires and finds nothing to do", async () => {
    const a = await start();
    const i = await openP1DueIn(a, 5000);
    await act(a.admin, "startWork", SIG.id, { id: i.id, expectedVersion: 1 });
    const db = a.started.beacon.db;
    const breachJob = async () =>
      (await db.query(
        "SELECT state FROM pgboss.job WHERE name = 'sla.alarm' AND data->>'incidentId' = $1 AND data->>'kind' = 'BREACH' AND data->>'clock' = 'acknowledge'",
        [i.id],
      )) as { state: string }[];
    await until("the breach job ran", async () => (await breachJob()).some((j) => j.state === "completed"));
    expect(await kinds(a, i.id)).not.toContain("SLA_BREACH");
    await stop(a);
    await a.stop();
  }, 90_000);
});
