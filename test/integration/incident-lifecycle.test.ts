import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestBeacon, type TestBeacon } from "../support/harness";
import {
  act,
  createQueue,
  createService,
  expectRefusal,
  getIncident,
  openIncident,
  openResolved,
  refused,
  resolveIncident,
  SIG,
  turnOffAutoClose,
} from "../support/incidents";
import { itemAt } from "../support/item-at";

let t: TestBeacon;
let agent: Person;
let otherAgent: Person;
let responder: Person;
let outsider: Person;
let manager: Person;
let queueId: string;
let serviceId: string;

beforeAll(async () => {
  t = await startTestBeacon();
  agent = await t.user("AGENT", "Ada Agent");
  otherAgent = await t.user("AGENT", "Otto Agent");
  responder = await t.user("RESPONDER", "Rita Responder");
  outsider = await t.user("RESPONDER", "Oscar Outsider");
  manager = await t.user("INCIDENT_MANAGER", "Mia Manager");
  queueId = await createQueue(t.admin, "Network", [responder.userId]);
  serviceId = await createService(t.admin, "Checkout");
  // Confirmed P3/P4s are then reopened or closed by hand here; closing by rule would race them.
  await turnOffAutoClose(t.admin);
});

afterAll(async () => {
  await t?.stop();
});

describe("the whole path NEW -> ASSIGNED -> IN_PROGRESS -> ON_HOLD -> IN_PROGRESS -> RESOLVED -> CLOSED -> follow-up", () => {
  let id: string;

  it("opens NEW at version 1 with a sequential number, derived priority and the opener as owner", async () => {
    const i = await openIncident(agent, { impact: "HIGH", urgency: "MEDIUM", serviceIds: [serviceId] });
    id = i.id;
    expect(i).toMatchObject({
      number: "INC-000001",
      state: "NEW",
      version: 1,
      priority: "P2",
      major: false,
      public: false,
      owner: { id: agent.userId },
      queue: null,
      assignee: null,
      services: [{ id: serviceId }],
    });
    expect(i.availableActions).toEqual(expect.arrayContaining(["assign", "startWork", "cancel", "addNote"]));
    expect(i.availableActions).not.toContain("resolve");
    const second = await openIncident(otherAgent);
    expect(second.number).toBe("INC-000002");
  });

  it("refuses what NEW does not allow, and each refusal changes nothing", async () => {
    const hold = await expectRefusal(t, id, "INVALID_TRANSITION", () =>
      refused(
        agent,
        "holdIncident",
        "$id: ID!, $expectedVersion: Int!, $reason: HoldReason!, $note: String!",
        {
          id,
          expectedVersion: 1,
          reason: "AWAITING_VENDOR",
          note: "waiting",
        },
      ),
    );
    expect(hold.message).toMatch(/Cannot hold an incident that is NEW/);
    await expectRefusal(
      t,
      id,
      "INVALID_TRANSITION",
      () =>
        refused(agent, "resolveIncident", SIG.resolve, {
          id,
          expectedVersion: 1,
          code: "WORKAROUND",
          notes: "x",
        }),
      /resolve is allowed from IN_PROGRESS/,
    );
    await expectRefusal(t, id, "INVALID_TRANSITION", () =>
      refused(agent, "closeIncident", SIG.id, { id, expectedVersion: 1 }),
    );
    // Not in a queue yet, so no responder may acknowledge it.
    await expectRefusal(t, id, "FORBIDDEN", () =>
      refused(responder, "acknowledgeIncident", SIG.id, { id, expectedVersion: 1 }),
    );
    // Only the owning agent (or a manager) assigns.
    await expectRefusal(
      t,
      id,
      "FORBIDDEN",
      () =>
        refused(otherAgent, "assignIncident", `${SIG.id}, $queueId: ID!`, {
          id,
          expectedVersion: 1,
          queueId,
        }),
      /Only .* may assign INC-000001/,
    );
    const stale = await expectRefusal(t, id, "CONFLICT", () =>
      refused(agent, "startWork", SIG.id, { id, expectedVersion: 7 }),
    );
    expect(stale.message).toMatch(/[Rr]eload/);
    expect((stale as { extensions?: { currentVersion?: number } }).extensions?.currentVersion).toBe(1);
    await expectRefusal(
      t,
      id,
      "BAD_USER_INPUT",
      () => refused(agent, "cancelIncident", SIG.reason, { id, expectedVersion: 1, reason: "   \n\t " }),
      /reason must not be empty/,
    );
    await expectRefusal(t, id, "UNAUTHENTICATED", () =>
      refused(t.anon, "startWork", SIG.id, { id, expectedVersion: 1 }),
    );
    await expectRefusal(t, id, "NOT_FOUND", () =>
      refused(agent, "assignIncident", `${SIG.id}, $queueId: ID!`, {
        id,
        expectedVersion: 1,
        queueId: "00000000-0000-4000-8000-000000000000",
      }),
    );
    await expectRefusal(t, id, "BAD_USER_INPUT", () =>
      refused(agent, "assignIncident", `${SIG.id}, $queueId: ID!, $assigneeId: ID`, {
        id,
        expectedVersion: 1,
        queueId,
        assigneeId: outsider.userId,
      }),
    );
  });

  it("assigns to a queue (ASSIGNED), and only a queue member may acknowledge", async () => {
    const i = await act(agent, "assignIncident", `${SIG.id}, $queueId: ID!`, {
      id,
      expectedVersion: 1,
      queueId,
    });
    expect(i).toMatchObject({
      state: "ASSIGNED",
      version: 2,
      queue: { id: queueId, name: "Network" },
      assignee: null,
    });
    await expectRefusal(
      t,
      id,
      "FORBIDDEN",
      () => refused(outsider, "acknowledgeIncident", SIG.id, { id, expectedVersion: 2 }),
      /a responder in its queue/,
    );
    const acked = await act(responder, "acknowledgeIncident", SIG.id, { id, expectedVersion: 2 });
    expect(acked).toMatchObject({ state: "IN_PROGRESS", version: 3, assignee: { id: responder.userId } });
  });

  it("holds with a reason and note, then resumes", async () => {
    await expectRefusal(t, id, "BAD_USER_INPUT", () =>
      refused(
        responder,
        "holdIncident",
        "$id: ID!, $expectedVersion: Int!, $reason: HoldReason!, $note: String!",
        {
          id,
          expectedVersion: 3,
          reason: "AWAITING_VENDOR",
          note: "  ",
        },
      ),
    );
    // The owner is not the one working it any more.
    await expectRefusal(t, id, "FORBIDDEN", () =>
      refused(
        agent,
        "holdIncident",
        "$id: ID!, $expectedVersion: Int!, $reason: HoldReason!, $note: String!",
        {
          id,
          expectedVersion: 3,
          reason: "AWAITING_VENDOR",
          note: "vendor ticket 1234",
        },
      ),
    );
    const held = await act(
      responder,
      "holdIncident",
      "$id: ID!, $expectedVersion: Int!, $reason: HoldReason!, $note: String!",
      { id, expectedVersion: 3, reason: "AWAITING_VENDOR", note: "vendor ticket 1234" },
    );
    expect(held).toMatchObject({ state: "ON_HOLD", version: 4, holdReason: "AWAITING_VENDOR" });
    expect(held.availableActions).toContain("resume");
    const resumed = await act(responder, "resumeIncident", SIG.id, { id, expectedVersion: 4 });
    expect(resumed).toMatchObject({ state: "IN_PROGRESS", version: 5, holdReason: null });
  });

  it("resolves with a code and notes; closing then needs the customer's confirmation", async () => {
    const resolved = await resolveIncident(responder, id, 5, {
      code: "WORKAROUND",
      notes: "Restarted the payment gateway",
    });
    expect(resolved).toMatchObject({
      state: "RESOLVED",
      version: 6,
      resolutionCode: "WORKAROUND",
      resolutionNotes: "Restarted the payment gateway",
    });
    expect(resolved.resolvedAt).not.toBeNull();
    await expectRefusal(
      t,
      id,
      "REQUIREMENT_NOT_MET",
      () => refused(agent, "closeIncident", SIG.id, { id, expectedVersion: 6 }),
      /customer's confirmation.*0 of 3 attempts.*Complete the post-incident review \("Complete review"\) — needed because this is a P2 incident/,
    );
    const confirmed = await act(
      agent,
      "confirmResolution",
      "$id: ID!, $expectedVersion: Int!, $note: String",
      {
        id,
        expectedVersion: 6,
        note: "Customer says checkout works again",
      },
    );
    expect(confirmed).toMatchObject({ state: "RESOLVED", version: 7, customerConfirmed: true });
    // P2: the review is still missing.
    await expectRefusal(
      t,
      id,
      "REQUIREMENT_NOT_MET",
      () => refused(agent, "closeIncident", SIG.id, { id, expectedVersion: 7 }),
      /^Not ready to close yet\. Complete the post-incident review/,
    );
    await expectRefusal(t, id, "FORBIDDEN", () =>
      refused(
        agent,
        "completeReview",
        "$id: ID!, $expectedVersion: Int!, $summary: String!, $rootCause: String!, $lessons: String!, $noActionItems: Boolean",
        { id, expectedVersion: 7, summary: "s", rootCause: "r", lessons: "l", noActionItems: true },
      ),
    );
    const reviewed = await act(
      manager,
      "completeReview",
      "$id: ID!, $expectedVersion: Int!, $summary: String!, $rootCause: String!, $lessons: String!, $noActionItems: Boolean",
      {
        id,
        expectedVersion: 7,
        summary: "Gateway hung",
        rootCause: "Connection pool leak",
        lessons: "Alert on pool",
        noActionItems: true,
      },
    );
    expect(reviewed.review).toEqual({
      summary: "Gateway hung",
      rootCause: "Connection pool leak",
      lessons: "Alert on pool",
    });
    const closed = await act(agent, "closeIncident", SIG.id, { id, expectedVersion: 8 });
    expect(closed).toMatchObject({ state: "CLOSED", version: 9, availableActions: [] });
    expect(closed.closedAt).not.toBeNull();
  });

  it("a closed incident answers every change with INCIDENT_CLOSED pointing to a follow-up", async () => {
    await expectRefusal(
      t,
      id,
      "INCIDENT_CLOSED",
      () => refused(agent, "reopenResolvedIncident", SIG.reason, { id, expectedVersion: 9, reason: "again" }),
      /openFollowUpIncident/,
    );
    await expectRefusal(
      t,
      id,
      "INCIDENT_CLOSED",
      () => agent.fails('mutation($id: ID!) { addNote(incidentId: $id, body: "late") { id } }', { id }),
      /closed and can never be reopened/,
    );
    await expectRefusal(t, id, "INCIDENT_CLOSED", () =>
      refused(agent, "updateIncident", "$id: ID!, $expectedVersion: Int!, $input: UpdateIncidentInput!", {
        id,
        expectedVersion: 9,
        input: { title: "New title" },
      }),
    );
  });

  it("opens a follow-up related to the closed incident; open incidents get no follow-up", async () => {
    const followUp = await act(
      agent,
      "openFollowUpIncident",
      "$previousId: ID!, $input: OpenIncidentInput!",
      {
        previousId: id,
        input: { title: "Checkout fails again", description: "Same symptom", impact: "LOW", urgency: "LOW" },
      },
    );
    expect(followUp).toMatchObject({ state: "NEW", version: 1, relatedTo: { id, number: "INC-000001" } });
    const e = await agent.fails(
      `mutation($p: ID!) { openFollowUpIncident(previousId: $p, input: { title: "x", description: "y", impact: LOW, urgency: LOW }) { id } }`,
      { p: followUp.id },
    );
    expect(e.code).toBe("INVALID_TRANSITION");
    expect(e.message).toMatch(/only for closed or canceled incidents/);
  });

  it("the history reads like an audit log: versions 1..9 without gaps, sentences and field changes", async () => {
    const d = await agent.ok<{
      incident: {
        history: {
          version: number;
          description: string;
          authorName: string;
          author: { id: string } | null;
          changes: Record<string, { from: unknown; to: unknown }>;
          hash: string;
        }[];
        timeline: { kind: string; seq: string; body: string | null; authorName: string }[];
      };
      verifyIncidentHistory: { ok: boolean; checked: number; firstBrokenVersion: number | null };
    }>(
      `query($id: ID!) {
        incident(id: $id) {
          history { version description authorName author { id } changes hash }
          timeline { kind seq body authorName }
        }
        verifyIncidentHistory(id: $id) { ok checked firstBrokenVersion }
      }`,
      { id },
    );
    const history = d.incident.history;
    expect(history.map((h) => h.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(history.map((h) => h.description)).toEqual([
      'Opened INC-000001 "Checkout fails" (P2)',
      'Assigned to queue "Network"',
      'Acknowledged by Rita Responder from queue "Network"',
      "Put on hold (AWAITING_VENDOR)",
      "Resumed work",
      "Resolved with WORKAROUND",
      "Customer confirmed the resolution",
      "Completed the post-incident review (no action items)",
      "Closed (customer confirmed)",
    ]);
    expect(itemAt(history, 0).changes.title).toEqual({ from: null, to: "Checkout fails" });
    expect(itemAt(history, 2).changes).toMatchObject({
      state: { from: "ASSIGNED", to: "IN_PROGRESS" },
      assigneeId: { from: null, to: responder.userId },
    });
    expect(itemAt(history, 5).changes).toMatchObject({
      state: { from: "IN_PROGRESS", to: "RESOLVED" },
      resolutionCode: { from: null, to: "WORKAROUND" },
    });
    expect(itemAt(history, 5).authorName).toBe("Rita Responder");
    expect(itemAt(history, 5).author).toEqual({ id: responder.userId });
    expect(d.verifyIncidentHistory).toEqual({ ok: true, checked: 9, firstBrokenVersion: null });

    const timeline = d.incident.timeline;
    expect(timeline.map((e) => e.kind)).toEqual([
      "CREATED",
      "ASSIGNMENT",
      "ASSIGNMENT",
      "STATE_CHANGE",
      "STATE_CHANGE",
      "STATE_CHANGE",
      "CUSTOMER_CONFIRMATION",
      "FIELD_CHANGE",
      "STATE_CHANGE",
    ]);
    const seqs = timeline.map((e) => BigInt(e.seq));
    expect([...seqs].sort((a, b) => (a < b ? -1 : 1))).toEqual(seqs);
    expect(itemAt(timeline, 3).body).toBe("vendor ticket 1234");
    // Every timeline entry's seq is the seq of the event that published it.
    const events = await t.started.beacon.db.query(
      "SELECT e.seq::text AS seq FROM event e WHERE e.incident_id = $1 ORDER BY e.seq",
      [id],
    );
    expect(events.map((e: { seq: string }) => e.seq)).toEqual(timeline.map((e) => e.seq));
  });
});

describe("the other ways", () => {
  it("startWork lets the owner work a NEW incident and become its assignee", async () => {
    const i = await openIncident(agent);
    const started = await act(agent, "startWork", SIG.id, { id: i.id, expectedVersion: 1 });
    expect(started).toMatchObject({ state: "IN_PROGRESS", version: 2, assignee: { id: agent.userId } });
    expect(started.availableActions).toEqual(expect.arrayContaining(["hold", "resolve"]));
    const held = await act(
      agent,
      "holdIncident",
      "$id: ID!, $expectedVersion: Int!, $reason: HoldReason!, $note: String!",
      { id: i.id, expectedVersion: 2, reason: "AWAITING_CALLER", note: "Left a voicemail" },
    );
    expect(held.state).toBe("ON_HOLD");
  });

  it("returns to the help desk with a reason (clearing queue and assignee), then cancels", async () => {
    const i = await openIncident(agent);
    await act(agent, "assignIncident", `${SIG.id}, $queueId: ID!, $assigneeId: ID`, {
      id: i.id,
      expectedVersion: 1,
      queueId,
      assigneeId: responder.userId,
    });
    const acked = await act(responder, "acknowledgeIncident", SIG.id, { id: i.id, expectedVersion: 2 });
    expect(acked.state).toBe("IN_PROGRESS");
    await expectRefusal(t, i.id, "BAD_USER_INPUT", () =>
      refused(responder, "returnToHelpDesk", SIG.reason, { id: i.id, expectedVersion: 3, reason: "" }),
    );
    const back = await act(responder, "returnToHelpDesk", SIG.reason, {
      id: i.id,
      expectedVersion: 3,
      reason: "Not a network problem: application bug",
    });
    expect(back).toMatchObject({ state: "NEW", version: 4, queue: null, assignee: null });
    const canceled = await act(agent, "cancelIncident", SIG.reason, {
      id: i.id,
      expectedVersion: 4,
      reason: "Duplicate of INC-000001",
    });
    expect(canceled).toMatchObject({ state: "CANCELED", version: 5, availableActions: [] });
    await expectRefusal(
      t,
      i.id,
      "INCIDENT_CLOSED",
      () => refused(agent, "startWork", SIG.id, { id: i.id, expectedVersion: 5 }),
      /canceled/,
    );
  });

  it("reopens a resolved incident with a reason, clearing the resolution", async () => {
    const i = await openResolved(agent, {}, { notes: "Patched" });
    await act(agent, "confirmResolution", SIG.id, { id: i.id, expectedVersion: 3 });
    const reopened = await act(agent, "reopenResolvedIncident", SIG.reason, {
      id: i.id,
      expectedVersion: 4,
      reason: "Customer reports it fails again",
    });
    expect(reopened).toMatchObject({
      state: "IN_PROGRESS",
      version: 5,
      resolutionCode: null,
      resolutionNotes: null,
      resolvedAt: null,
      customerConfirmed: false,
    });
    // The old confirmation does not count for the next resolution.
    await resolveIncident(agent, i.id, 5, { notes: "Patched properly" });
    await expectRefusal(t, i.id, "REQUIREMENT_NOT_MET", () =>
      refused(agent, "closeIncident", SIG.id, { id: i.id, expectedVersion: 6 }),
    );
  });

  it("updates fields with priority derived again, documenting each change; an empty title is refused", async () => {
    const i = await openIncident(agent, { impact: "LOW", urgency: "LOW" });
    expect(i.priority).toBe("P4");
    await expectRefusal(t, i.id, "BAD_USER_INPUT", () =>
      refused(agent, "updateIncident", "$id: ID!, $expectedVersion: Int!, $input: UpdateIncidentInput!", {
        id: i.id,
        expectedVersion: 1,
        input: { title: "  " },
      }),
    );
    const u = await act(
      agent,
      "updateIncident",
      "$id: ID!, $expectedVersion: Int!, $input: UpdateIncidentInput!",
      {
        id: i.id,
        expectedVersion: 1,
        input: { impact: "HIGH", urgency: "HIGH", title: "Everything is down" },
      },
    );
    expect(u).toMatchObject({ version: 2, priority: "P1", major: true, title: "Everything is down" });
    const d = await agent.ok<{
      incident: { history: { description: string; changes: Record<string, unknown> }[] };
    }>("query($id: ID!) { incident(id: $id) { history { description changes } } }", { id: i.id });
    expect(itemAt(d.incident.history, 1).description).toBe(
      // A priority change re-targets the service-level clocks, documented in the same record.
      "Updated title, impact, urgency, priority P4 -> P1; SLA re-targeted for P1: acknowledge 15 min, resolve 240 min (was acknowledge 480 business min, resolve 2400 business min)",
    );
    expect(itemAt(d.incident.history, 1).changes).toMatchObject({ priority: { from: "P4", to: "P1" } });
    // Setting what is already there changes nothing.
    const same = await act(
      agent,
      "updateIncident",
      "$id: ID!, $expectedVersion: Int!, $input: UpdateIncidentInput!",
      {
        id: i.id,
        expectedVersion: 2,
        input: { title: "Everything is down" },
      },
    );
    expect(same.version).toBe(2);
  });

  it("notes and contact attempts go on the timeline without bumping the version", async () => {
    const i = await openIncident(agent);
    const note = await agent.ok<{ addNote: { kind: string; body: string; authorName: string } }>(
      'mutation($id: ID!) { addNote(incidentId: $id, body: "Called the customer") { kind body authorName } }',
      { id: i.id },
    );
    expect(note.addNote).toEqual({ kind: "NOTE", body: "Called the customer", authorName: "Ada Agent" });
    const empty = await agent.fails('mutation($id: ID!) { addNote(incidentId: $id, body: " ") { id } }', {
      id: i.id,
    });
    expect(empty.code).toBe("BAD_USER_INPUT");
    const future = await agent.fails(
      "mutation($id: ID!, $at: DateTime) { logContactAttempt(incidentId: $id, method: PHONE, reached: false, at: $at) { id } }",
      { id: i.id, at: new Date(Date.now() + 3_600_000).toISOString() },
    );
    expect(future.code).toBe("BAD_USER_INPUT");
    expect(future.message).toMatch(/in the future/);
    const before = await agent.fails(
      "mutation($id: ID!, $at: DateTime) { logContactAttempt(incidentId: $id, method: PHONE, reached: false, at: $at) { id } }",
      { id: i.id, at: "2020-01-01T00:00:00Z" },
    );
    expect(before.message).toMatch(/before the incident was opened/);
    const attempt = await agent.ok<{ logContactAttempt: { kind: string; data: Record<string, unknown> } }>(
      'mutation($id: ID!) { logContactAttempt(incidentId: $id, method: EMAIL, reached: false, note: "no answer") { kind data } }',
      { id: i.id },
    );
    expect(attempt.logContactAttempt.kind).toBe("CONTACT_ATTEMPT");
    expect(attempt.logContactAttempt.data).toMatchObject({ method: "EMAIL", reached: false });
    expect((await getIncident(agent, i.id)).version).toBe(1);
    const unknown = await agent.fails(
      'mutation { addNote(incidentId: "00000000-0000-4000-8000-000000000000", body: "x") { id } }',
    );
    expect(unknown.code).toBe("NOT_FOUND");
  });
});

describe("queries", () => {
  it("incident(id) is null for unknown or malformed ids", async () => {
    const d = await agent.ok<{ a: null; b: null }>(
      'query { a: incident(id: "00000000-0000-4000-8000-000000000000") { id } b: incident(id: "nope") { id } }',
    );
    expect(d).toEqual({ a: null, b: null });
  });

  it("incidents: newest first, filters, cursor pagination and totalCount", async () => {
    const all = await agent.ok<{
      incidents: { totalCount: number; edges: { cursor: string; node: { number: string } }[] };
    }>(`{ incidents { totalCount edges { cursor node { number } } } }`);
    const numbers = all.incidents.edges.map((e) => e.node.number);
    expect(numbers.length).toBe(all.incidents.totalCount);
    expect([...numbers].sort().reverse()).toEqual(numbers);

    type Page = {
      incidents: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        edges: { node: { number: string } }[];
      };
    };
    const q = `query($f: IncidentFilter, $first: Int, $after: String) {
      incidents(filter: $f, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { number } }
      }
    }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Page = await agent.ok<Page>(q, { first: 2, after });
      expect(page.incidents.totalCount).toBe(numbers.length);
      seen.push(...page.incidents.edges.map((e) => e.node.number));
      if (!page.incidents.pageInfo.hasNextPage) break;
      after = page.incidents.pageInfo.endCursor;
    }
    expect(seen).toEqual(numbers);

    const closed = await agent.ok<Page>(q, { f: { states: ["CLOSED"] } });
    expect(closed.incidents.edges.map((e) => e.node.number)).toEqual(["INC-000001"]);
    const byNumber = await agent.ok<Page>(q, { f: { search: "inc-000002" } });
    expect(byNumber.incidents.edges.map((e) => e.node.number)).toEqual(["INC-000002"]);
    const byService = await agent.ok<Page>(q, { f: { serviceId } });
    expect(byService.incidents.edges.map((e) => e.node.number)).toEqual(["INC-000001"]);
    const mine = await otherAgent.ok<Page>(q, { f: { mine: true } });
    expect(mine.incidents.edges.map((e) => e.node.number)).toEqual(["INC-000002"]);
    const responderMine = await responder.ok<Page>(q, { f: { mine: true, queueId } });
    expect(responderMine.incidents.totalCount).toBeGreaterThanOrEqual(1);
    const bad = await agent.fails(q, { first: 0 });
    expect(bad.code).toBe("BAD_USER_INPUT");
    const badCursor = await agent.fails(q, { after: "garbage" });
    expect(badCursor.code).toBe("BAD_USER_INPUT");
  });

  it("anonymous callers get UNAUTHENTICATED from incident, incidents, queues and verifyIncidentHistory", async () => {
    for (const query of [
      `{ incident(id: "00000000-0000-4000-8000-000000000000") { id } }`,
      "{ incidents { totalCount } }",
      "{ queues { id } }",
      `{ verifyIncidentHistory(id: "00000000-0000-4000-8000-000000000000") { ok } }`,
    ]) {
      expect((await t.anon.fails(query)).code, query).toBe("UNAUTHENTICATED");
    }
  });
});
