import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ManualClock } from "../../server/kernel/clock";
import { DAY, HOUR, MONDAY, startBusinessWeekBeacon } from "../support/business-week";
import type { Person, TestBeacon } from "../support/harness";
import {
  act,
  expectRefusal,
  openIncident,
  openResolved,
  refused,
  resolveIncident,
  SIG,
  turnOffAutoClose,
} from "../support/incidents";

let t: TestBeacon;
let clock: ManualClock;
let agent: Person;
let manager: Person;

beforeAll(async () => {
  ({ t, clock } = await startBusinessWeekBeacon());
  agent = await t.user("AGENT", "Ada Agent");
  manager = await t.user("INCIDENT_MANAGER", "Mia Manager");
  // These are the rules for closing by hand; closing by rule (sla-clocks) would race them.
  await turnOffAutoClose(t.admin);
});

afterAll(async () => {
  await t?.stop();
});

const resolved = (input: Record<string, unknown> = {}) =>
  openResolved(agent, input, { notes: "Fixed the config" });

async function attempt(id: string, method: string, reached = false, at?: Date) {
  await agent.ok(
    "mutation($id: ID!, $m: ContactMethod!, $r: Boolean!, $at: DateTime) { logContactAttempt(incidentId: $id, method: $m, reached: $r, at: $at) { id } }",
    { id, m: method, r: reached, at: at?.toISOString() ?? null },
  );
}

const close = (id: string, expectedVersion: number) =>
  refused(agent, "closeIncident", SIG.id, { id, expectedVersion });

describe("closing on documented contact attempts (ManualClock, Europe/Berlin business days)", () => {
  it("needs 3 unsuccessful attempts by 2 methods with the first and last 5 business days apart", async () => {
    clock.set(MONDAY);
    const i = await resolved();
    expect(i.state).toBe("RESOLVED");

    clock.advance(HOUR);
    await attempt(i.id, "PHONE");
    await expectRefusal(
      t,
      i.id,
      "REQUIREMENT_NOT_MET",
      () => close(i.id, 3),
      /1 of 3 attempts, 1 of 2 methods, 0 of 5 business days\.$/,
    );

    clock.advance(2 * DAY); // Wednesday
    await attempt(i.id, "EMAIL");
    // One that reached the customer is not evidence that they cannot be reached.
    clock.advance(DAY); // Thursday
    await attempt(i.id, "SMS", true);
    await expectRefusal(
      t,
      i.id,
      "REQUIREMENT_NOT_MET",
      () => close(i.id, 3),
      /2 of 3 attempts, 2 of 2 methods, 2 of 5 business days; 1 attempt that reached the customer does not count/,
    );

    clock.advance(DAY); // Friday
    await attempt(i.id, "PHONE");
    await expectRefusal(
      t,
      i.id,
      "REQUIREMENT_NOT_MET",
      () => close(i.id, 3),
      /3 of 3 attempts, 2 of 2 methods, 4 of 5 business days/,
    );

    clock.set(new Date(MONDAY.getTime() + 7 * DAY)); // the next Monday: 5 business days after the first
    await attempt(i.id, "EMAIL");
    const closed = await act(agent, "closeIncident", SIG.id, { id: i.id, expectedVersion: 3 });
    expect(closed.state).toBe("CLOSED");
    expect(closed.closedAt).toBe(new Date(MONDAY.getTime() + 7 * DAY).toISOString());
    const d = await agent.ok<{ incident: { history: { description: string }[] } }>(
      "query($id: ID!) { incident(id: $id) { history { description } } }",
      { id: i.id },
    );
    expect(d.incident.history.at(-1)?.description).toBe(
      "Closed (customer unreachable after documented contact attempts)",
    );
  });

  it("holidays do not count as business days", async () => {
    const monday = new Date("2026-03-16T08:00:00Z");
    clock.set(monday);
    const i = await resolved();
    await attempt(i.id, "PHONE");
    clock.advance(DAY);
    await attempt(i.id, "EMAIL");
    clock.set(new Date(monday.getTime() + 7 * DAY)); // Monday again, but Wednesday was a holiday
    await attempt(i.id, "PHONE");
    await expectRefusal(t, i.id, "REQUIREMENT_NOT_MET", () => close(i.id, 3), /4 of 5 business days/);
    clock.advance(DAY);
    await attempt(i.id, "VOICEMAIL");
    expect((await act(agent, "closeIncident", SIG.id, { id: i.id, expectedVersion: 3 })).state).toBe(
      "CLOSED",
    );
  });

  it("attempts from before the resolution do not count for it", async () => {
    const start = new Date("2026-04-06T08:00:00Z"); // a Monday
    clock.set(start);
    const i = await openIncident(agent);
    await act(agent, "startWork", SIG.id, { id: i.id, expectedVersion: 1 });
    await attempt(i.id, "PHONE");
    clock.advance(DAY);
    await attempt(i.id, "EMAIL");
    clock.set(new Date(start.getTime() + 7 * DAY));
    await resolveIncident(agent, i.id, 2, { code: "WORKAROUND", notes: "Rebooted" });
    await attempt(i.id, "PHONE");
    // Backdated to before the resolution: still not evidence about it.
    await attempt(i.id, "SMS", false, new Date(start.getTime() + 2 * DAY));
    await expectRefusal(
      t,
      i.id,
      "REQUIREMENT_NOT_MET",
      () => close(i.id, 3),
      /1 of 3 attempts, 1 of 2 methods/,
    );
  });

  it("contact attempts cannot be logged in the future", async () => {
    clock.set(new Date("2026-05-04T08:00:00Z"));
    const i = await resolved();
    const e = await agent.fails(
      "mutation($id: ID!, $at: DateTime) { logContactAttempt(incidentId: $id, method: PHONE, reached: false, at: $at) { id } }",
      { id: i.id, at: new Date(clock.now().getTime() + HOUR).toISOString() },
    );
    expect(e.code).toBe("BAD_USER_INPUT");
    expect(e.message).toMatch(/in the future/);
  });
});

describe("major incidents", () => {
  it("P1 needs a completed review and a linked problem, even with the customer's confirmation", async () => {
    clock.set(new Date("2026-05-11T08:00:00Z"));
    const i = await resolved({ impact: "HIGH", urgency: "HIGH" });
    expect(i).toMatchObject({ priority: "P1", major: true });
    await expectRefusal(
      t,
      i.id,
      "REQUIREMENT_NOT_MET",
      () => close(i.id, 3),
      /^Not ready to close yet\. Record the customer's confirmation \("Confirm resolution"\).* Complete the post-incident review \("Complete review"\) — needed because this is a P1 incident\. Link a problem record \("Link problem"\) — needed because this is a P1 incident\.$/,
    );
    await act(agent, "confirmResolution", SIG.id, { id: i.id, expectedVersion: 3 });
    await expectRefusal(
      t,
      i.id,
      "REQUIREMENT_NOT_MET",
      () => close(i.id, 4),
      /^Not ready to close yet\. Complete the post-incident review \("Complete review"\).* Link a problem record/,
    );
    await act(
      manager,
      "completeReview",
      "$id: ID!, $expectedVersion: Int!, $summary: String!, $rootCause: String!, $lessons: String!, $noActionItems: Boolean",
      {
        id: i.id,
        expectedVersion: 4,
        summary: "Outage",
        rootCause: "Expired certificate",
        lessons: "Monitor expiry",
        noActionItems: true,
      },
    );
    await expectRefusal(
      t,
      i.id,
      "REQUIREMENT_NOT_MET",
      () => close(i.id, 5),
      /^Not ready to close yet\. Link a problem record \("Link problem"\) — needed because this is a P1 incident\.$/,
    );
    await expectRefusal(t, i.id, "BAD_USER_INPUT", () =>
      refused(agent, "linkProblem", "$id: ID!, $expectedVersion: Int!, $reference: String!", {
        id: i.id,
        expectedVersion: 5,
        reference: "  ",
      }),
    );
    const linked = await act(agent, "linkProblem", "$id: ID!, $expectedVersion: Int!, $reference: String!", {
      id: i.id,
      expectedVersion: 5,
      reference: "PRB-0042",
    });
    expect(linked.problemReference).toBe("PRB-0042");
    expect((await act(agent, "closeIncident", SIG.id, { id: i.id, expectedVersion: 6 })).state).toBe(
      "CLOSED",
    );
  });

  it("P2 needs a completed review (no problem record)", async () => {
    const i = await resolved({ impact: "MEDIUM", urgency: "HIGH" });
    expect(i.priority).toBe("P2");
    await act(agent, "confirmResolution", SIG.id, { id: i.id, expectedVersion: 3 });
    await expectRefusal(
      t,
      i.id,
      "REQUIREMENT_NOT_MET",
      () => close(i.id, 4),
      /^Not ready to close yet\. Complete the post-incident review \("Complete review"\) — needed because this is a P2 incident\.$/,
    );
    await act(
      manager,
      "completeReview",
      "$id: ID!, $expectedVersion: Int!, $summary: String!, $rootCause: String!, $lessons: String!, $noActionItems: Boolean",
      {
        id: i.id,
        expectedVersion: 4,
        summary: "Slow API",
        rootCause: "Missing index",
        lessons: "Load test",
        noActionItems: true,
      },
    );
    expect((await act(agent, "closeIncident", SIG.id, { id: i.id, expectedVersion: 5 })).state).toBe(
      "CLOSED",
    );
  });

  it("P3 closes on the customer's confirmation alone", async () => {
    const i = await resolved({ impact: "LOW", urgency: "HIGH" });
    expect(i.priority).toBe("P3");
    await act(agent, "confirmResolution", SIG.id, { id: i.id, expectedVersion: 3 });
    expect((await act(agent, "closeIncident", SIG.id, { id: i.id, expectedVersion: 4 })).state).toBe(
      "CLOSED",
    );
  });
});
