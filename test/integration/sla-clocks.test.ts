import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_POLICIES } from "../../server/domain/sla";
import {
  autoCloseIncident,
  escalateIncident,
  fireSlaAlarm,
  remindPublicUpdate,
} from "../../server/incidents";
import { ManualClock } from "../../server/kernel/clock";
import { startTestBeacon, type TestBeacon } from "../support/harness";
import { act, createQueue, openIncident, SIG } from "../support/incidents";

// The clocks follow the commands (docs/service-levels.md). An injected clock moves time; the real
// timers (pg-boss) are hours away in real time, so none fires during these tests: alarms are run
// directly where a test needs one.

const LONG_SESSIONS = { BEACON_SESSION_TTL_HOURS: "2160", BEACON_SESSION_IDLE_MINUTES: "129600" };
const MIN = 60_000;

const SLA = /* GraphQL */ `
  query($id: ID!) { incident(id: $id) { id version state priority sla {
    acknowledge { dueAt targetSeconds elapsedSeconds remainingSeconds paused pausedForSeconds pausedSince warned breached metAt businessHours }
    resolve { dueAt targetSeconds elapsedSeconds remainingSeconds paused pausedForSeconds pausedSince warned breached metAt businessHours }
    nextDueAt nextPublicUpdateDueAt escalationLevel
  } } }`;

interface Clock {
  dueAt: string | null;
  targetSeconds: number;
  elapsedSeconds: number;
  remainingSeconds: number;
  paused: boolean;
  pausedForSeconds: number;
  pausedSince: string | null;
  warned: boolean;
  breached: boolean;
  metAt: string | null;
  businessHours: boolean;
}
interface Sla {
  acknowledge: Clock;
  resolve: Clock;
  /** The stored key of "due soonest": the earlier due time of the running clocks. */
  nextDueAt: string | null;
  nextPublicUpdateDueAt: string | null;
  escalationLevel: number;
}

let t: TestBeacon;
// A Monday 10:00 UTC a few weeks ahead of real time: real timers stay far away.
const start = new Date();
start.setUTCDate(start.getUTCDate() + 28 + ((8 - start.getUTCDay()) % 7));
start.setUTCHours(10, 0, 0, 0);
const clock = new ManualClock(start);

beforeAll(async () => {
  t = await startTestBeacon({
    clock,
    env: { ...LONG_SESSIONS, BEACON_TIME_ZONE: "UTC", BEACON_BUSINESS_HOURS: "09:00-17:00" },
  });
}, 60_000);
afterAll(async () => {
  await t?.stop();
});

async function sla(id: string): Promise<Sla & { version: number }> {
  const d = await t.admin.ok<{ incident: { version: number; sla: Sla } }>(SLA, { id });
  return { ...d.incident.sla, version: d.incident.version };
}

describe("policies", () => {
  it("are seeded with the defaults", async () => {
    const d = await t.admin.ok<{ slaPolicies: Record<string, unknown>[] }>(
      "{ slaPolicies { priority acknowledgeMinutes resolveMinutes businessHours publicUpdateEveryMinutes autoClose } }",
    );
    // The migration writes the defaults out (it must not change with the code); they agree today.
    expect(d.slaPolicies).toEqual(DEFAULT_POLICIES.map((p) => ({ ...p })));
    expect(d.slaPolicies).toEqual([
      {
        priority: "P1",
        acknowledgeMinutes: 15,
        resolveMinutes: 240,
        businessHours: false,
        publicUpdateEveryMinutes: 30,
        autoClose: false,
      },
      {
        priority: "P2",
        acknowledgeMinutes: 30,
        resolveMinutes: 480,
        businessHours: false,
        publicUpdateEveryMinutes: 60,
        autoClose: false,
      },
      {
        priority: "P3",
        acknowledgeMinutes: 240,
        resolveMinutes: 1440,
        businessHours: true,
        publicUpdateEveryMinutes: null,
        autoClose: true,
      },
      {
        priority: "P4",
        acknowledgeMinutes: 480,
        resolveMinutes: 2400,
        businessHours: true,
        publicUpdateEveryMinutes: null,
        autoClose: true,
      },
    ]);
  });

  it("bad input is refused naming the field, and changes nothing", async () => {
    const SET = "mutation($i: SlaPolicyInput!) { setSlaPolicy(input: $i) { priority acknowledgeMinutes } }";
    const p4 = {
      priority: "P4",
      acknowledgeMinutes: 480,
      resolveMinutes: 2400,
      businessHours: true,
      autoClose: true,
    };
    for (const [over, field] of [
      [{ acknowledgeMinutes: 0 }, "acknowledgeMinutes"],
      [{ acknowledgeMinutes: -1 }, "acknowledgeMinutes"],
      [{ resolveMinutes: 365 * 24 * 60 + 1 }, "resolveMinutes"],
      [{ publicUpdateEveryMinutes: 0 }, "publicUpdateEveryMinutes"],
      [{ priority: "P1", autoClose: true }, "autoClose"],
    ] as const) {
      const e = await t.admin.fails(SET, { i: { ...p4, ...over } });
      expect(e.code, e.message).toBe("BAD_USER_INPUT");
      expect(e.extensions?.field).toBe(field);
      expect(e.message).toContain(field);
    }
    const manager = await t.user("INCIDENT_MANAGER");
    expect((await manager.fails(SET, { i: p4 })).code).toBe("FORBIDDEN");
    const [row] = await t.started.beacon.db.query("SELECT version FROM sla_policy WHERE priority = 'P4'");
    expect(row.version).toBe(0);
  });

  it("a change is documented and applies to incidents opened afterwards", async () => {
    const before = await openIncident(t.admin, { impact: "LOW", urgency: "LOW" }); // P4
    await t.admin.ok("mutation($i: SlaPolicyInput!) { setSlaPolicy(input: $i) { priority } }", {
      i: {
        priority: "P4",
        acknowledgeMinutes: 1,
        resolveMinutes: 2400,
        businessHours: true,
        autoClose: true,
      },
    });
    const after = await openIncident(t.admin, { impact: "LOW", urgency: "LOW" });
    expect((await sla(before.id)).acknowledge.targetSeconds).toBe(8 * 3600);
    expect((await sla(after.id)).acknowledge.targetSeconds).toBe(60);
    const records = await t.started.beacon.db.query(
      "SELECT version, author_name, description, changes FROM change_record WHERE subject_type = 'sla_policy'",
    );
    expect(records).toEqual([
      {
        version: 1,
        author_name: "Administrator",
        description: expect.stringContaining("SLA policy P4: acknowledgeMinutes 480 -> 1"),
        changes: { acknowledgeMinutes: { from: 480, to: 1 } },
      },
    ]);
    await t.admin.ok("mutation($i: SlaPolicyInput!) { setSlaPolicy(input: $i) { priority } }", {
      i: {
        priority: "P4",
        acknowledgeMinutes: 480,
        resolveMinutes: 2400,
        businessHours: true,
        autoClose: true,
      },
    });
  });
});

describe("clocks follow the commands (24x7, P2)", () => {
  it("acknowledge runs until IN_PROGRESS; resolve pauses on hold, stops on resolve, runs on after a reopen", async () => {
    clock.set(start);
    const i = await openIncident(t.admin, { impact: "HIGH", urgency: "MEDIUM" }); // P2: 30 min / 8 h
    let s = await sla(i.id);
    expect(s.acknowledge).toMatchObject({
      targetSeconds: 1800,
      elapsedSeconds: 0,
      paused: false,
      metAt: null,
      businessHours: false,
    });
    expect(s.acknowledge.dueAt).toBe(new Date(start.getTime() + 30 * MIN).toISOString());
    expect(s.resolve).toMatchObject({ targetSeconds: 8 * 3600, elapsedSeconds: 0 });
    // The next due time (stored, the list's "due soonest" key) is the earlier clock's.
    expect(s.nextDueAt).toBe(s.acknowledge.dueAt);

    clock.advance(10 * MIN);
    s = await sla(i.id);
    expect(s.acknowledge).toMatchObject({ elapsedSeconds: 600, remainingSeconds: 1200, warned: false });
    await act(t.admin, "startWork", SIG.id, { id: i.id, expectedVersion: 1 });
    clock.advance(50 * MIN);
    s = await sla(i.id);
    expect(s.acknowledge).toMatchObject({
      elapsedSeconds: 600,
      metAt: new Date(start.getTime() + 10 * MIN).toISOString(),
      dueAt: null,
      breached: false,
    });
    expect(s.resolve.elapsedSeconds).toBe(3600);
    expect(s.nextDueAt).toBe(new Date(start.getTime() + 8 * 60 * MIN).toISOString());

    await act(t.admin, "holdIncident", `${SIG.id}, $reason: HoldReason!, $note: String!`, {
      id: i.id,
      expectedVersion: 2,
      reason: "AWAITING_CALLER",
      note: "Waiting for logs",
    });
    clock.advance(120 * MIN);
    s = await sla(i.id);
    expect(s.resolve).toMatchObject({
      elapsedSeconds: 3600,
      paused: true,
      pausedForSeconds: 7200,
      // The room counts time on hold from here, live.
      pausedSince: new Date(start.getTime() + 60 * MIN).toISOString(),
      dueAt: null,
    });
    expect(s.acknowledge.pausedSince).toBeNull();
    expect(s.nextDueAt).toBeNull();
    await act(t.admin, "resumeIncident", SIG.id, { id: i.id, expectedVersion: 3 });
    clock.advance(30 * MIN);
    s = await sla(i.id);
    expect(s.resolve).toMatchObject({
      elapsedSeconds: 5400,
      paused: false,
      pausedForSeconds: 0,
      pausedSince: null,
    });
    // Due 8 h of running time after opening, moved by the 2 h on hold.
    expect(s.resolve.dueAt).toBe(new Date(start.getTime() + 10 * 60 * MIN).toISOString());
    expect(s.nextDueAt).toBe(s.resolve.dueAt);

    await act(t.admin, "resolveIncident", SIG.resolve, {
      id: i.id,
      expectedVersion: 4,
      code: "WORKAROUND",
      notes: "Restarted",
    });
    clock.advance(60 * MIN);
    s = await sla(i.id);
    expect(s.resolve).toMatchObject({ elapsedSeconds: 5400, metAt: expect.any(String), dueAt: null });
    expect(s.nextDueAt).toBeNull();
    await act(t.admin, "reopenResolvedIncident", SIG.reason, {
      id: i.id,
      expectedVersion: 5,
      reason: "Still failing",
    });
    clock.advance(10 * MIN);
    s = await sla(i.id);
    // The hour it sat resolved does not count; the clock runs on from 1 h 30 min.
    expect(s.resolve).toMatchObject({ elapsedSeconds: 6000, metAt: null, paused: false });
    expect(s.nextDueAt).toBe(new Date(start.getTime() + 11 * 60 * MIN).toISOString());
    const [row] = await t.started.beacon.db.query(
      "SELECT paused_seconds, ack_business_seconds, resolve_met_at FROM incident_sla WHERE incident_id = $1",
      [i.id],
    );
    expect(row).toMatchObject({ paused_seconds: 3 * 3600, ack_business_seconds: 600, resolve_met_at: null });
  });

  it("a priority change re-targets an open incident, documented on the timeline", async () => {
    clock.set(start);
    const i = await openIncident(t.admin, { impact: "HIGH", urgency: "MEDIUM" }); // P2
    await act(t.admin, "updateIncident", "$id: ID!, $expectedVersion: Int!, $input: UpdateIncidentInput!", {
      id: i.id,
      expectedVersion: 1,
      input: { urgency: "HIGH" },
    });
    const s = await sla(i.id);
    expect(s.acknowledge.targetSeconds).toBe(15 * 60);
    expect(s.resolve.targetSeconds).toBe(4 * 3600);
    expect(s.nextDueAt).toBe(new Date(start.getTime() + 15 * MIN).toISOString());
    const entries: { body: string; data: { sla?: unknown } }[] = await t.started.beacon.db.query(
      "SELECT body, data FROM timeline_entry WHERE incident_id = $1 ORDER BY seq",
      [i.id],
    );
    const retarget = entries.find((e) => e.body?.includes("SLA re-targeted for P1"));
    expect(retarget?.body).toContain(
      "acknowledge 15 min, resolve 240 min (was acknowledge 30 min, resolve 480 min)",
    );
    expect(retarget?.data.sla).toMatchObject({ priority: "P1", ackTargetSeconds: 900 });
  });
});

describe("business-hours clocks (P3, 09:00-17:00 UTC, Monday to Friday)", () => {
  it("count only business time over the night and the weekend", async () => {
    // Friday 16:00.
    const friday = new Date(start.getTime() + 4 * 24 * 60 * MIN + 6 * 60 * MIN);
    clock.set(friday);
    const i = await openIncident(t.admin, { impact: "MEDIUM", urgency: "MEDIUM" }); // P3: 4 business h
    clock.advance((2 * 24 + 18) * 60 * MIN); // Monday 10:00
    const s = await sla(i.id);
    expect(s.acknowledge).toMatchObject({
      businessHours: true,
      targetSeconds: 4 * 3600,
      elapsedSeconds: 2 * 3600,
    });
    expect(s.acknowledge.dueAt).toBe(new Date(clock.now().getTime() + 2 * 60 * MIN).toISOString());
    expect(s.nextDueAt).toBe(s.acknowledge.dueAt);
  });
});

describe("alarms (run directly with the injected clock)", () => {
  it("a warning and a breach are documented once each, by the system, and a hold stops them", async () => {
    clock.set(start);
    const i = await openIncident(t.admin, { impact: "HIGH", urgency: "HIGH" }); // P1: 15 min ack
    const beacon = t.started.beacon;
    expect(await fireSlaAlarm(beacon, { incidentId: i.id, clock: "acknowledge", kind: "WARNING" })).toBe(
      "rescheduled",
    );
    clock.advance(12 * MIN);
    expect(await fireSlaAlarm(beacon, { incidentId: i.id, clock: "acknowledge", kind: "WARNING" })).toBe(
      "fired",
    );
    expect(await fireSlaAlarm(beacon, { incidentId: i.id, clock: "acknowledge", kind: "WARNING" })).toBe(
      "nothing",
    );
    clock.advance(3 * MIN);
    expect(await fireSlaAlarm(beacon, { incidentId: i.id, clock: "acknowledge", kind: "BREACH" })).toBe(
      "fired",
    );
    expect(await fireSlaAlarm(beacon, { incidentId: i.id, clock: "acknowledge", kind: "BREACH" })).toBe(
      "nothing",
    );
    const s = await sla(i.id);
    expect(s.acknowledge).toMatchObject({ warned: true, breached: true, remainingSeconds: 0 });
    const entries: { kind: string; author_name: string; author_id: string | null; body: string }[] =
      await beacon.db.query(
        "SELECT kind, author_name, author_id, body FROM timeline_entry WHERE incident_id = $1 AND kind LIKE 'SLA_%' ORDER BY seq",
        [i.id],
      );
    expect(entries).toEqual([
      {
        kind: "SLA_WARNING",
        author_name: "Beacon (automatic)",
        author_id: null,
        body: expect.stringContaining("Acknowledge target at risk: 3 min left of 15 min (P1)"),
      },
      {
        kind: "SLA_BREACH",
        author_name: "Beacon (automatic)",
        author_id: null,
        body: expect.stringContaining("Acknowledge target missed"),
      },
    ]);

    // Resolve clock: on hold it does not breach; after the resume it does, later.
    await act(t.admin, "startWork", SIG.id, { id: i.id, expectedVersion: 1 });
    await act(t.admin, "holdIncident", `${SIG.id}, $reason: HoldReason!, $note: String!`, {
      id: i.id,
      expectedVersion: 2,
      reason: "AWAITING_VENDOR",
      note: "Vendor ticket",
    });
    clock.advance(5 * 60 * MIN);
    expect(await fireSlaAlarm(beacon, { incidentId: i.id, clock: "resolve", kind: "BREACH" })).toBe(
      "nothing",
    );
    await act(t.admin, "resumeIncident", SIG.id, { id: i.id, expectedVersion: 3 });
    expect(await fireSlaAlarm(beacon, { incidentId: i.id, clock: "resolve", kind: "BREACH" })).toBe(
      "rescheduled",
    );
    clock.advance(4 * 60 * MIN);
    expect(await fireSlaAlarm(beacon, { incidentId: i.id, clock: "resolve", kind: "BREACH" })).toBe("fired");
  });
});

async function notices(userId: string, kind: string, incidentId: string): Promise<string[]> {
  const rows: { title: string }[] = await t.started.beacon.db.query(
    "SELECT title FROM notification WHERE user_id = $1 AND kind = $2 AND incident_id = $3 ORDER BY seq",
    [userId, kind, incidentId],
  );
  return rows.map((r) => r.title);
}

describe("escalation (injected clock, run directly)", () => {
  it("goes to the queue's manager at the target, then to the incident managers after another period, once each", async () => {
    clock.set(start);
    const beacon = t.started.beacon;
    const [boss, member, im] = [
      await t.user("AGENT", "Quinn Boss"),
      await t.user("RESPONDER"),
      await t.user("INCIDENT_MANAGER"),
    ];
    const queue = await createQueue(t.admin, `Network ${Date.now()}`, [member.userId]);
    await t.admin.ok(
      "mutation($q: ID!, $u: ID) { setQueueManager(queueId: $q, userId: $u) { id manager { id } } }",
      {
        q: queue,
        u: boss.userId,
      },
    );
    const i = await openIncident(t.admin, { impact: "HIGH", urgency: "MEDIUM" }); // P2: 30 min
    await act(t.admin, "assignIncident", `${SIG.id}, $queueId: ID!`, {
      id: i.id,
      expectedVersion: 1,
      queueId: queue,
    });
    clock.advance(29 * MIN);
    expect(await escalateIncident(beacon, { incidentId: i.id })).toBe(0);
    clock.advance(2 * MIN);
    expect(await escalateIncident(beacon, { incidentId: i.id })).toBe(1);
    expect(await escalateIncident(beacon, { incidentId: i.id })).toBe(0);
    expect(await notices(boss.userId, "ESCALATION", i.id)).toHaveLength(1);
    expect(await notices(im.userId, "ESCALATION", i.id)).toHaveLength(0);
    clock.advance(30 * MIN);
    expect(await escalateIncident(beacon, { incidentId: i.id })).toBe(2);
    expect(await escalateIncident(beacon, { incidentId: i.id })).toBe(0);
    expect(await notices(im.userId, "ESCALATION", i.id)).toHaveLength(1);
    const entries: { body: string; author_name: string }[] = await beacon.db.query(
      "SELECT body, author_name FROM timeline_entry WHERE incident_id = $1 AND kind = 'ESCALATION' ORDER BY seq",
      [i.id],
    );
    expect(entries).toEqual([
      {
        author_name: "Beacon (automatic)",
        body: expect.stringContaining("escalated to Quinn Boss, manager of queue"),
      },
      {
        author_name: "Beacon (automatic)",
        body: expect.stringContaining("escalated to the incident managers"),
      },
    ]);
    expect((await sla(i.id)).escalationLevel).toBe(2);
    // The room sees it: the timeline query lists it.
    const d = await member.ok<{ incident: { timeline: { kind: string }[] } }>(
      "query($id: ID!) { incident(id: $id) { timeline { kind } } }",
      { id: i.id },
    );
    expect(d.incident.timeline.filter((e) => e.kind === "ESCALATION")).toHaveLength(2);
  });

  it("a queue without a manager escalates to the incident managers at once; an acknowledged incident is not escalated", async () => {
    clock.set(start);
    const beacon = t.started.beacon;
    const member = await t.user("RESPONDER");
    const queue = await createQueue(t.admin, `Apps ${Date.now()}`, [member.userId]);
    const i = await openIncident(t.admin, { impact: "HIGH", urgency: "MEDIUM" });
    await act(t.admin, "assignIncident", `${SIG.id}, $queueId: ID!`, {
      id: i.id,
      expectedVersion: 1,
      queueId: queue,
    });
    clock.advance(31 * MIN);
    expect(await escalateIncident(beacon, { incidentId: i.id })).toBe(1);
    const [e] = await beacon.db.query(
      "SELECT body FROM timeline_entry WHERE incident_id = $1 AND kind = 'ESCALATION'",
      [i.id],
    );
    expect(e.body).toContain("has no manager");
    await act(member, "acknowledgeIncident", SIG.id, { id: i.id, expectedVersion: 2 });
    clock.advance(60 * MIN);
    expect(await escalateIncident(beacon, { incidentId: i.id })).toBe(0);
  });
});

describe("update cadence (injected clock, run directly)", () => {
  interface Activity {
    incidentActivity: { entry: { kind: string; body: string | null; authorName: string } | null };
  }
  const ACTIVITY = `subscription($id: ID!, $since: String) {
    incidentActivity(incidentId: $id, since: $since) { entry { kind body authorName } }
  }`;
  const dueEntries = async (id: string) =>
    (await t.started.beacon.db.query(
      "SELECT body, author_name, author_id, data FROM timeline_entry WHERE incident_id = $1 AND kind = 'PUBLIC_UPDATE_DUE' ORDER BY seq",
      [id],
    )) as { body: string; author_name: string; author_id: string | null; data: Record<string, unknown> }[];

  it("reminds the communications lead once per due time, on the timeline by the system, live; a public update moves the next due time", async () => {
    clock.set(start);
    const beacon = t.started.beacon;
    const lead = await t.user("INCIDENT_MANAGER", "Casey Comms");
    const i = await openIncident(t.admin, { impact: "HIGH", urgency: "HIGH", public: true }); // P1: every 30 min
    await act(
      t.admin,
      "assignRoomRole",
      "$incidentId: ID!, $expectedVersion: Int!, $role: RoomRole!, $userId: ID",
      {
        incidentId: i.id,
        expectedVersion: 1,
        role: "COMMUNICATIONS_LEAD",
        userId: lead.userId,
      },
    );
    const firstDue = new Date(start.getTime() + 30 * MIN);
    expect((await sla(i.id)).nextPublicUpdateDueAt).toBe(firstDue.toISOString());
    // The room, from now on (since: the seq now, so nothing is missed while the socket opens).
    const { statusSummary } = await lead.ok<{ statusSummary: { seq: string } }>("{ statusSummary { seq } }");
    const room = lead.subscribe<Activity>(ACTIVITY, { id: i.id, since: statusSummary.seq });
    clock.advance(20 * MIN);
    expect(await remindPublicUpdate(beacon, { incidentId: i.id })).toBe(false);
    clock.advance(11 * MIN);
    // Two instances' jobs at once: one reminder.
    const both = await Promise.all([
      remindPublicUpdate(beacon, { incidentId: i.id }, "job-a"),
      remindPublicUpdate(beacon, { incidentId: i.id }, "job-b"),
    ]);
    expect(both.filter(Boolean)).toHaveLength(1);
    expect(await remindPublicUpdate(beacon, { incidentId: i.id })).toBe(false);
    expect(await notices(lead.userId, "PUBLIC_UPDATE_DUE", i.id)).toHaveLength(1);
    expect(await dueEntries(i.id)).toEqual([
      {
        author_name: "Beacon (automatic)",
        author_id: null,
        body: "Public update overdue: P1 asks for one every 30 min while open. Reminded Casey Comms (communications lead).",
        data: {
          command: "publicUpdateDue",
          dueAt: firstDue.toISOString(),
          cadenceMinutes: 30,
          lastPublicUpdateAt: null,
          owner: "COMMUNICATIONS_LEAD",
          to: [lead.userId],
        },
      },
    ]);
    // Documented, not a change of the incident: no new version, no change record.
    expect((await sla(i.id)).version).toBe(2);
    await t.admin.ok(
      'mutation($id: ID!) { postPublicUpdate(incidentId: $id, status: IDENTIFIED, message: "Found the cause") { id } }',
      { id: i.id },
    );
    const secondDue = new Date(clock.now().getTime() + 30 * MIN);
    expect((await sla(i.id)).nextPublicUpdateDueAt).toBe(secondDue.toISOString());
    expect(await remindPublicUpdate(beacon, { incidentId: i.id })).toBe(false);
    clock.advance(31 * MIN);
    expect(await remindPublicUpdate(beacon, { incidentId: i.id })).toBe(true);
    expect(await remindPublicUpdate(beacon, { incidentId: i.id })).toBe(false);
    expect(await notices(lead.userId, "PUBLIC_UPDATE_DUE", i.id)).toHaveLength(2);
    expect((await dueEntries(i.id)).map((e) => e.data.dueAt)).toEqual([
      firstDue.toISOString(),
      secondDue.toISOString(),
    ]);
    // The open room heard each reminder as it happened, once, between the public update.
    const heard = await room.waitFor(3);
    expect(heard.map((e) => e.incidentActivity.entry?.kind)).toEqual([
      "PUBLIC_UPDATE_DUE",
      "PUBLIC_UPDATE",
      "PUBLIC_UPDATE_DUE",
    ]);
    expect(heard[0]?.incidentActivity.entry).toMatchObject({
      authorName: "Beacon (automatic)",
      body: expect.stringContaining("Public update overdue"),
    });
    expect(await room.settle()).toHaveLength(3);
    await room.close();
    // Resolved: nothing is due any more, and a late job does nothing.
    // (postPublicUpdate is versioned: 3.)
    await act(t.admin, "startWork", SIG.id, { id: i.id, expectedVersion: 3 });
    await act(t.admin, "resolveIncident", SIG.resolve, {
      id: i.id,
      expectedVersion: 4,
      code: "WORKAROUND",
      notes: "Failed over",
    });
    clock.advance(60 * MIN);
    expect(await remindPublicUpdate(beacon, { incidentId: i.id })).toBe(false);
    expect(await dueEntries(i.id)).toHaveLength(2);
  });

  it("without a communications lead: the assignee; without either: the incident managers", async () => {
    clock.set(start);
    const beacon = t.started.beacon;
    const im = await t.user("INCIDENT_MANAGER", "Ines Manager");
    const nobody = await openIncident(t.admin, { impact: "HIGH", urgency: "MEDIUM", public: true }); // P2: 60 min
    const worked = await openIncident(t.admin, { impact: "HIGH", urgency: "MEDIUM", public: true });
    await act(t.admin, "startWork", SIG.id, { id: worked.id, expectedVersion: 1 });
    clock.advance(61 * MIN);
    expect(await remindPublicUpdate(beacon, { incidentId: nobody.id })).toBe(true);
    expect(await remindPublicUpdate(beacon, { incidentId: worked.id })).toBe(true);
    const [toManagers] = await dueEntries(nobody.id);
    expect(toManagers?.body).toBe(
      "Public update overdue: P2 asks for one every 60 min while open. Reminded the incident managers (no communications lead or assignee).",
    );
    expect(toManagers?.data.to).toContain(im.userId);
    expect(await notices(im.userId, "PUBLIC_UPDATE_DUE", nobody.id)).toHaveLength(1);
    const [toAssignee] = await dueEntries(worked.id);
    expect(toAssignee?.body).toMatch(/Reminded .+ \(assignee\)\.$/);
    expect(toAssignee?.data).toMatchObject({ owner: "ASSIGNEE" });
    expect(await notices(im.userId, "PUBLIC_UPDATE_DUE", worked.id)).toHaveLength(0);
  });

  it("has no cadence for P3/P4 or private incidents", async () => {
    const p3 = await openIncident(t.admin, { impact: "MEDIUM", urgency: "MEDIUM", public: true });
    const privateP1 = await openIncident(t.admin, { impact: "HIGH", urgency: "HIGH" });
    expect((await sla(p3.id)).nextPublicUpdateDueAt).toBeNull();
    expect((await sla(privateP1.id)).nextPublicUpdateDueAt).toBeNull();
  });
});

describe("closing by rule (injected clock, run directly)", () => {
  it("closes a resolved P4 once the customer confirmed, by the system, naming the rule", async () => {
    clock.set(start);
    const beacon = t.started.beacon;
    const i = await openIncident(t.admin, { impact: "LOW", urgency: "LOW" }); // P4
    await act(t.admin, "startWork", SIG.id, { id: i.id, expectedVersion: 1 });
    await act(t.admin, "resolveIncident", SIG.resolve, {
      id: i.id,
      expectedVersion: 2,
      code: "PERMANENT_FIX",
      notes: "Fixed",
    });
    expect(await autoCloseIncident(beacon, { incidentId: i.id })).toBe(false);
    await act(t.admin, "confirmResolution", "$id: ID!, $expectedVersion: Int!", {
      id: i.id,
      expectedVersion: 3,
    });
    expect(await autoCloseIncident(beacon, { incidentId: i.id })).toBe(true);
    expect(await autoCloseIncident(beacon, { incidentId: i.id })).toBe(false);
    const [h] = await beacon.db.query(
      "SELECT author_name, author_id, description FROM change_record WHERE subject_type = 'incident' AND subject_id = $1 ORDER BY version DESC LIMIT 1",
      [i.id],
    );
    expect(h).toEqual({
      author_name: "Beacon (automatic)",
      author_id: null,
      description: "Closed by rule (P4 policy closes automatically): the customer confirmed the resolution",
    });
    const [row] = await beacon.db.query("SELECT state FROM incident WHERE id = $1", [i.id]);
    expect(row.state).toBe("CLOSED");
  });

  it("never closes a P2, nor a P3 whose policy does not allow it", async () => {
    clock.set(start);
    const beacon = t.started.beacon;
    const p2 = await openIncident(t.admin, { impact: "HIGH", urgency: "MEDIUM" });
    await act(t.admin, "startWork", SIG.id, { id: p2.id, expectedVersion: 1 });
    await act(t.admin, "resolveIncident", SIG.resolve, {
      id: p2.id,
      expectedVersion: 2,
      code: "PERMANENT_FIX",
      notes: "Fixed",
    });
    await act(t.admin, "confirmResolution", "$id: ID!, $expectedVersion: Int!", {
      id: p2.id,
      expectedVersion: 3,
    });
    expect(await autoCloseIncident(beacon, { incidentId: p2.id })).toBe(false);

    const SET = "mutation($i: SlaPolicyInput!) { setSlaPolicy(input: $i) { priority } }";
    const p3Policy = { priority: "P3", acknowledgeMinutes: 240, resolveMinutes: 1440, businessHours: true };
    await t.admin.ok(SET, { i: { ...p3Policy, autoClose: false } });
    const p3 = await openIncident(t.admin, { impact: "MEDIUM", urgency: "MEDIUM" });
    await act(t.admin, "startWork", SIG.id, { id: p3.id, expectedVersion: 1 });
    await act(t.admin, "resolveIncident", SIG.resolve, {
      id: p3.id,
      expectedVersion: 2,
      code: "PERMANENT_FIX",
      notes: "Fixed",
    });
    await act(t.admin, "confirmResolution", "$id: ID!, $expectedVersion: Int!", {
      id: p3.id,
      expectedVersion: 3,
    });
    expect(await autoCloseIncident(beacon, { incidentId: p3.id })).toBe(false);
    await t.admin.ok(SET, { i: { ...p3Policy, autoClose: true } });
  });
});

describe("incidents older than service levels", () => {
  it("are backfilled by the migration and completed at start (business time, timers)", async () => {
    clock.set(start);
    const db = t.started.beacon.db;
    const p3 = await openIncident(t.admin, { impact: "MEDIUM", urgency: "MEDIUM" });
    clock.advance(6 * 60 * MIN); // Monday 16:00: 6 business hours, over the 4 h target
    await act(t.admin, "startWork", SIG.id, { id: p3.id, expectedVersion: 1 });
    const p1 = await openIncident(t.admin, { impact: "HIGH", urgency: "HIGH" });
    // As if the incidents were there before: undo the migrations down to service levels (the
    // later ones first, then ServiceLevels) and run them again.
    const serviceLevelsRun = async () =>
      (await db.query("SELECT 1 FROM schema_migration WHERE name = 'ServiceLevels1796154000000'")).length > 0;
    while (await serviceLevelsRun()) await db.undoLastMigration({ transaction: "each" });
    await db.runMigrations({ transaction: "each" });
    const rows: Record<string, unknown>[] = await db.query(
      "SELECT incident_id, priority, business_hours, ack_target_seconds, ack_met_at IS NOT NULL AS acked, ack_business_seconds, ack_breached_at IS NOT NULL AS breached, backfilled FROM incident_sla WHERE incident_id = ANY($1) ORDER BY priority",
      [[p3.id, p1.id]],
    );
    expect(rows).toEqual([
      {
        incident_id: p1.id,
        priority: "P1",
        business_hours: false,
        ack_target_seconds: 900,
        acked: false,
        ack_business_seconds: null,
        breached: false,
        backfilled: true,
      },
      {
        incident_id: p3.id,
        priority: "P3",
        business_hours: true,
        ack_target_seconds: 14400,
        acked: true,
        ack_business_seconds: null,
        breached: false,
        backfilled: true,
      },
    ]);
    // The next due time in SQL: exact for the 24x7 P1 (its acknowledge clock); for the business-hours
    // P3 (resolve clock: 3 business days of 8 h) only the same sum in wall-clock time, until the sweep.
    const dueOf = async (id: string) =>
      (
        (await db.query("SELECT next_due_at FROM incident_sla WHERE incident_id = $1", [id]))[0] as {
          next_due_at: Date | null;
        }
      ).next_due_at?.toISOString();
    // p3 opened at start (Monday 10:00), p1 six hours later.
    expect(await dueOf(p1.id)).toBe(new Date(start.getTime() + (6 * 60 + 15) * MIN).toISOString());
    expect(await dueOf(p3.id)).toBe(new Date(start.getTime() + 24 * 60 * MIN).toISOString());
    const { sweepSla } = await import("../../server/sla");
    expect(await sweepSla(t.started.beacon)).toBeGreaterThanOrEqual(2);
    const [after] = await db.query(
      "SELECT ack_business_seconds, ack_breached_at IS NOT NULL AS breached, backfilled FROM incident_sla WHERE incident_id = $1",
      [p3.id],
    );
    expect(after).toEqual({ ack_business_seconds: 6 * 3600, breached: true, backfilled: false });
    // Monday 10:00 + 24 business hours: Monday 7 h, Tuesday and Wednesday 8 h each, Thursday 10:00.
    expect(await dueOf(p3.id)).toBe(new Date(start.getTime() + 3 * 24 * 60 * MIN).toISOString());
    expect(await dueOf(p3.id)).toBe((await sla(p3.id)).resolve.dueAt);
    expect(await dueOf(p1.id)).toBe((await sla(p1.id)).acknowledge.dueAt);
    const jobs: { n: number }[] = await db.query(
      "SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'sla.alarm' AND data->>'incidentId' = $1",
      [p1.id],
    );
    expect(jobs[0]!.n).toBeGreaterThanOrEqual(2);
    expect(await sweepSla(t.started.beacon)).toBe(0);
  });
});

describe("the business calendar changed between two starts", () => {
  it("moves the due times of running business-hours clocks, and their timers, at the next start", async () => {
    clock.set(start); // Monday 10:00 UTC
    const p3 = await openIncident(t.admin, { impact: "MEDIUM", urgency: "MEDIUM" });
    // 09:00-17:00: 4 business hours to acknowledge end Monday 14:00.
    expect((await sla(p3.id)).nextDueAt).toBe(new Date(start.getTime() + 4 * 60 * MIN).toISOString());
    // Beacon started again (a second instance on the same database) with shorter days, 09:00-13:00:
    // Monday 10:00-13:00, then Tuesday 09:00-10:00.
    const shorter = await startTestBeacon({
      clock,
      databaseUrl: t.databaseUrl,
      env: { ...LONG_SESSIONS, BEACON_TIME_ZONE: "UTC", BEACON_BUSINESS_HOURS: "09:00-13:00" },
    });
    try {
      const tuesday10 = new Date(start.getTime() + 24 * 60 * MIN).toISOString();
      const d = await shorter.admin.ok<{ incident: { sla: Sla } }>(SLA, { id: p3.id });
      expect(d.incident.sla.nextDueAt).toBe(tuesday10);
      expect(d.incident.sla.acknowledge.dueAt).toBe(tuesday10);
      const jobs: { n: number }[] = await shorter.started.beacon.db.query(
        "SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'sla.alarm' AND data->>'incidentId' = $1 AND data->>'clock' = 'acknowledge' AND start_after = $2",
        [p3.id, tuesday10],
      );
      expect(jobs[0]!.n).toBe(1); // the breach, due at the new time
      // Nothing left to move on the next start with the same calendar.
      const { sweepSla } = await import("../../server/sla");
      expect(await sweepSla(shorter.started.beacon)).toBe(0);
    } finally {
      await shorter.started.stop();
    }
  });
});
