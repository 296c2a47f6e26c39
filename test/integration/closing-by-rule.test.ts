import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ManualClock } from "../../server/kernel/clock";
import { SLA_AUTO_CLOSE_JOB } from "../../server/sla";
import { DAY, HOUR, MONDAY, startBusinessWeekBeacon } from "../support/business-week";
import type { Person, TestBeacon } from "../support/harness";
import { act, getIncident, openResolved } from "../support/incidents";
import { until } from "../support/instances";

// Closing by rule through the contact-attempt rule, end to end (docs/service-levels.md): the
// attempts are logged through the API while an injected clock moves by business days, and the
// system closes the incident by itself, through the job runner (pg-boss, polling every second).
// The injected clock is in the past of real time, so every job it schedules "for now" is due at
// once in real time; the test waits for the outcome by polling, never for a fixed time.
// Closing by rule stays ON here (no turnOffAutoClose): it is what is tested.

const SET_POLICY = "mutation($i: SlaPolicyInput!) { setSlaPolicy(input: $i) { priority autoClose } }";
const P3_POLICY = { priority: "P3", acknowledgeMinutes: 240, resolveMinutes: 1440, businessHours: true };

let t: TestBeacon;
let clock: ManualClock;
let agent: Person;
let manager: Person;

beforeAll(async () => {
  ({ t, clock } = await startBusinessWeekBeacon({ BEACON_JOB_POLL_SECONDS: "1" }));
  agent = await t.user("AGENT", "Ada Agent");
  manager = await t.user("INCIDENT_MANAGER", "Mia Manager");
}, 60_000);

afterAll(async () => {
  await t?.stop();
});

async function attempt(id: string, method: string) {
  await agent.ok(
    "mutation($id: ID!, $m: ContactMethod!) { logContactAttempt(incidentId: $id, method: $m, reached: false) { id } }",
    { id, m: method },
  );
}

/** The close-by-rule jobs enqueued for an incident, and how many of them have run. */
async function closeJobs(incidentId: string): Promise<{ sent: number; done: number }> {
  const [row] = await t.started.beacon.db.query(
    "SELECT count(*)::int AS sent, count(*) FILTER (WHERE state = 'completed')::int AS done FROM pgboss.job WHERE name = $1 AND data->>'incidentId' = $2",
    [SLA_AUTO_CLOSE_JOB, incidentId],
  );
  return row;
}

/** Waits until every close-by-rule job sent for the incident so far has run. */
async function jobsRan(incidentId: string, atLeast: number): Promise<void> {
  await until(`the close-by-rule jobs of ${incidentId}`, async () => {
    const j = await closeJobs(incidentId);
    return j.sent >= atLeast && j.done === j.sent;
  });
}

const stateOf = async (id: string) => (await getIncident(agent, id)).state;

describe("closing by rule: 3 unsuccessful contact attempts by 2 methods over 5 business days", () => {
  it("the system closes a resolved P4 by itself once the last attempt meets the rule; never a P2, nor under a policy without it", async () => {
    clock.set(MONDAY);
    const p4 = await openResolved(agent, { impact: "LOW", urgency: "LOW" });
    expect(p4.priority).toBe("P4");
    const p2 = await openResolved(agent, { impact: "HIGH", urgency: "MEDIUM" });
    expect(p2.priority).toBe("P2");
    // The P2's review is done, so a person could close it on the same attempts: only the rule is missing.
    await act(
      manager,
      "completeReview",
      "$id: ID!, $expectedVersion: Int!, $summary: String!, $rootCause: String!, $lessons: String!, $noActionItems: Boolean",
      {
        id: p2.id,
        expectedVersion: 3,
        summary: "Slow API",
        rootCause: "Missing index",
        lessons: "Load test",
        noActionItems: true,
      },
    );
    await t.admin.ok(SET_POLICY, { i: { ...P3_POLICY, autoClose: false } });
    try {
      const p3 = await openResolved(agent, { impact: "MEDIUM", urgency: "MEDIUM" });
      expect(p3.priority).toBe("P3");
      const all = [p4, p2, p3];

      clock.advance(HOUR); // Monday 10:00
      for (const i of all) await attempt(i.id, "PHONE");
      clock.advance(2 * DAY); // Wednesday
      for (const i of all) await attempt(i.id, "EMAIL");
      // Two attempts: the P4's checks (one per command since it was resolved) ran and found it not met.
      await jobsRan(p4.id, 3);
      expect(await stateOf(p4.id)).toBe("RESOLVED");

      // The next Monday: 5 business days after the first attempt; the third one meets the rule.
      clock.set(new Date(MONDAY.getTime() + 7 * DAY + HOUR));
      const lastAt = clock.now();
      await attempt(p2.id, "PHONE");
      await attempt(p3.id, "PHONE");
      await attempt(p4.id, "PHONE");
      await until("the P4 closed by rule", async () => (await stateOf(p4.id)) === "CLOSED");

      const d = await agent.ok<{
        incident: {
          closedAt: string;
          history: { description: string; authorName: string }[];
          timeline: { kind: string; authorName: string; data: Record<string, unknown> }[];
        };
      }>(
        "query($id: ID!) { incident(id: $id) { closedAt history { description authorName } timeline { kind authorName data } } }",
        { id: p4.id },
      );
      expect(d.incident.closedAt).toBe(lastAt.toISOString());
      const closes = d.incident.history.filter((h) => h.description.startsWith("Closed"));
      expect(closes).toEqual([
        {
          description:
            "Closed by rule (P4 policy closes automatically): the customer could not be reached: 3 unsuccessful contact attempts by 2 methods over 5 business days",
          authorName: "Beacon (automatic)",
        },
      ]);
      expect(d.incident.timeline.at(-1)).toMatchObject({
        kind: "STATE_CHANGE",
        authorName: "Beacon (automatic)",
        data: { command: "close", basis: "CONTACT_ATTEMPTS", automatic: true },
      });

      // The P2 meets every closure requirement a person needs, yet nothing closes it by rule: no
      // check is even scheduled, and one run through the runner anyway (a stale job) does nothing.
      const req = await agent.ok<{ incident: { closureRequirements: { key: string; met: boolean }[] } }>(
        "query($id: ID!) { incident(id: $id) { closureRequirements { key met } } }",
        { id: p2.id },
      );
      expect(req.incident.closureRequirements.every((r) => r.met)).toBe(true);
      // The P3 opened under a policy that does not close by rule: likewise.
      for (const i of [p2, p3]) {
        expect(await closeJobs(i.id)).toEqual({ sent: 0, done: 0 });
        await t.started.beacon.jobs.send(SLA_AUTO_CLOSE_JOB, { incidentId: i.id });
        await jobsRan(i.id, 1);
        expect(await stateOf(i.id)).toBe("RESOLVED");
      }
    } finally {
      await t.admin.ok(SET_POLICY, { i: { ...P3_POLICY, autoClose: true } });
    }
  }, 120_000);
});
