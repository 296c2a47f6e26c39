import pg from "pg";
import { afterAll, assert, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestBeacon, type TestBeacon } from "../support/harness";
import {
  act,
  createService,
  expectRefusal,
  openIncident,
  openResolved,
  refused,
  resolveIncident,
  SIG,
} from "../support/incidents";
import { itemAt } from "../support/item-at";

let t: TestBeacon;
let agent: Person;
let manager: Person;
let db: pg.Client;

beforeAll(async () => {
  t = await startTestBeacon();
  agent = await t.user("AGENT", "Ada Agent");
  manager = await t.user("INCIDENT_MANAGER", "Mia Manager");
  db = new pg.Client({ connectionString: t.databaseUrl });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await t?.stop();
});

const UPDATE = "$id: ID!, $expectedVersion: Int!, $input: UpdateIncidentInput!";

describe("the P1 loophole from the issue", () => {
  it("an agent cannot lower a worked P1 and close it without review and problem", async () => {
    const i = await openResolved(
      agent,
      { impact: "HIGH", urgency: "HIGH" },
      { code: "WORKAROUND", notes: "Restarted" },
    );
    expect(i).toMatchObject({ priority: "P1", major: true, state: "RESOLVED", version: 3 });
    // The agent lowers impact and urgency to LOW: refused, it needs an incident manager.
    await expectRefusal(
      t,
      i.id,
      "FORBIDDEN",
      () =>
        refused(agent, "updateIncident", UPDATE, {
          id: i.id,
          expectedVersion: 3,
          input: { impact: "LOW", urgency: "LOW" },
        }),
      /Only an incident manager or an admin may lower the impact or urgency of INC-\d+ once work has started/,
    );
    // A manager without a reason: refused too.
    await expectRefusal(t, i.id, "BAD_USER_INPUT", () =>
      refused(manager, "updateIncident", UPDATE, {
        id: i.id,
        expectedVersion: 3,
        input: { impact: "LOW", urgency: "LOW" },
      }),
    );
    // A manager with a reason: allowed and documented; the peak stays P1 and it stays major.
    const lowered = await act(manager, "updateIncident", UPDATE, {
      id: i.id,
      expectedVersion: 3,
      input: { impact: "LOW", urgency: "LOW", reason: "Only one customer was affected" },
    });
    expect(lowered).toMatchObject({ priority: "P4", major: true, version: 4 });
    const d = await agent.ok<{ incident: { peakPriority: string; history: { description: string }[] } }>(
      "query($id: ID!) { incident(id: $id) { peakPriority history { description } } }",
      { id: i.id },
    );
    expect(d.incident.peakPriority).toBe("P1");
    expect(d.incident.history.at(-1)?.description).toBe(
      "Updated impact, urgency, priority P1 -> P4: Only one customer was affected",
    );
    // The customer confirms; closing is refused with a sentence naming the review and the problem.
    await act(agent, "confirmResolution", SIG.id, { id: i.id, expectedVersion: 4 });
    const e = await expectRefusal(t, i.id, "REQUIREMENT_NOT_MET", () =>
      refused(agent, "closeIncident", SIG.id, { id: i.id, expectedVersion: 5 }),
    );
    expect(e.message).toMatch(/review/i);
    expect(e.message).toMatch(/problem/i);
    expect(e.message).toContain("it was P1 before it was lowered to P4");
  });

  it("a review cannot be completed on a NEW incident (a draft can)", async () => {
    const i = await openIncident(agent, { impact: "HIGH", urgency: "HIGH" });
    const args = {
      id: i.id,
      expectedVersion: 1,
      summary: "s",
      rootCause: "r",
      lessons: "l",
      noActionItems: true,
    };
    await expectRefusal(
      t,
      i.id,
      "INVALID_TRANSITION",
      () =>
        refused(
          manager,
          "completeReview",
          "$id: ID!, $expectedVersion: Int!, $summary: String!, $rootCause: String!, $lessons: String!, $noActionItems: Boolean",
          args,
        ),
      /completeReview is allowed from RESOLVED/,
    );
    const drafted = await act(
      manager,
      "draftReview",
      "$id: ID!, $expectedVersion: Int!, $input: ReviewDraftInput!",
      {
        id: i.id,
        expectedVersion: 1,
        input: { summary: "Checkout down" },
      },
    );
    expect(drafted.version).toBe(2);
  });
});

describe("the timeline is immutable in the database", () => {
  it("UPDATE, DELETE and TRUNCATE are refused on timeline entries and public updates", async () => {
    const i = await openIncident(manager, { public: true });
    await manager.ok(
      'mutation($id: ID!) { postPublicUpdate(incidentId: $id, status: IDENTIFIED, message: "Found it") { id } }',
      {
        id: i.id,
      },
    );
    for (const [table, column] of [
      ["timeline_entry", "body"],
      ["public_update", "message"],
    ]) {
      await expect(
        db.query(`UPDATE ${table} SET ${column} = 'edited' WHERE incident_id = $1`, [i.id]),
      ).rejects.toThrow(new RegExp(`${table} is append-only: UPDATE`));
      await expect(db.query(`DELETE FROM ${table} WHERE incident_id = $1`, [i.id])).rejects.toThrow(
        /append-only: DELETE/,
      );
      await expect(db.query(`TRUNCATE ${table} CASCADE`)).rejects.toThrow(/append-only: TRUNCATE/);
    }
    const v = await agent.ok<{ verifyIncidentTimeline: { ok: boolean; checked: number } }>(
      "query($id: ID!) { verifyIncidentTimeline(id: $id) { ok checked } }",
      { id: i.id },
    );
    expect(v.verifyIncidentTimeline).toEqual({ ok: true, checked: 3 });
  });

  it("an edit made behind the trigger's back is found, naming the entry", async () => {
    const i = await openIncident(agent);
    const note = await agent.ok<{ addNote: { id: string } }>(
      'mutation($id: ID!) { addNote(incidentId: $id, body: "Customer called") { id } }',
      { id: i.id },
    );
    await agent.ok('mutation($id: ID!) { addNote(incidentId: $id, body: "Second") { id } }', { id: i.id });
    await db.query("ALTER TABLE timeline_entry DISABLE TRIGGER timeline_entry_append_only");
    try {
      await db.query("UPDATE timeline_entry SET body = 'Nobody called' WHERE id = $1", [note.addNote.id]);
    } finally {
      await db.query("ALTER TABLE timeline_entry ENABLE TRIGGER timeline_entry_append_only");
    }
    const v = await agent.ok<{ verifyIncidentTimeline: { ok: boolean; firstBrokenAt: string } }>(
      "query($id: ID!) { verifyIncidentTimeline(id: $id) { ok firstBrokenAt } }",
      { id: i.id },
    );
    expect(v.verifyIncidentTimeline).toEqual({ ok: false, firstBrokenAt: note.addNote.id });
  });
});

describe("corrections and redaction", () => {
  it("a correction references the entry; an admin redaction removes the text, leaves a tombstone, and the chain verifies", async () => {
    const i = await openIncident(manager, { public: true });
    const secret = await agent.ok<{ addNote: { id: string } }>(
      'mutation($id: ID!) { addNote(incidentId: $id, body: "password is hunter2") { id } }',
      { id: i.id },
    );
    const fix = await agent.ok<{ addNote: { corrects: { id: string } } }>(
      'mutation($id: ID!, $c: ID) { addNote(incidentId: $id, body: "I meant the staging box", corrects: $c) { corrects { id } } }',
      { id: i.id, c: secret.addNote.id },
    );
    expect(fix.addNote.corrects.id).toBe(secret.addNote.id);
    // Only admins; a reason is required.
    const forbidden = await manager.fails(
      'mutation($id: ID!) { redactTimelineEntry(id: $id, reason: "x") { id } }',
      {
        id: secret.addNote.id,
      },
    );
    expect(forbidden.code).toBe("FORBIDDEN");
    const noReason = await t.admin.fails(
      'mutation($id: ID!) { redactTimelineEntry(id: $id, reason: " ") { id } }',
      {
        id: secret.addNote.id,
      },
    );
    expect(noReason.code).toBe("BAD_USER_INPUT");
    const r = await t.admin.ok<{
      redactTimelineEntry: { body: string | null; redaction: { reason: string } };
    }>(
      'mutation($id: ID!) { redactTimelineEntry(id: $id, reason: "Pasted a password") { body redaction { reason } } }',
      { id: secret.addNote.id },
    );
    expect(r.redactTimelineEntry).toEqual({ body: null, redaction: { reason: "Pasted a password" } });
    const rows = await db.query("SELECT count(*)::int AS n FROM timeline_entry WHERE body LIKE '%hunter2%'");
    expect(rows.rows[0].n).toBe(0);
    const v = await agent.ok<{ verifyIncidentTimeline: { ok: boolean } }>(
      "query($id: ID!) { verifyIncidentTimeline(id: $id) { ok } }",
      { id: i.id },
    );
    expect(v.verifyIncidentTimeline.ok).toBe(true);
    // A public update with a secret: its published words go too.
    const pu = await manager.ok<{ postPublicUpdate: { id: string } }>(
      'mutation($id: ID!) { postPublicUpdate(incidentId: $id, status: IDENTIFIED, message: "token abc123") { id } }',
      { id: i.id },
    );
    const tl = await agent.ok<{ incident: { timeline: { id: string; kind: string }[] } }>(
      "query($id: ID!) { incident(id: $id) { timeline { id kind } } }",
      { id: i.id },
    );
    const entry = itemAt(
      tl.incident.timeline.filter((e) => e.kind === "PUBLIC_UPDATE"),
      -1,
    );
    await t.admin.ok('mutation($id: ID!) { redactTimelineEntry(id: $id, reason: "Token") { id } }', {
      id: entry.id,
    });
    const msg = await db.query("SELECT message FROM public_update WHERE id = $1", [pu.postPublicUpdate.id]);
    expect(msg.rows[0].message).toBe("This message was removed.");
    const v2 = await agent.ok<{ verifyIncidentTimeline: { ok: boolean } }>(
      "query($id: ID!) { verifyIncidentTimeline(id: $id) { ok } }",
      { id: i.id },
    );
    expect(v2.verifyIncidentTimeline.ok).toBe(true);
  });
});

describe("problems, categories, action items, follow-ups", () => {
  it("a problem links three incidents, becomes a known error, and a P1 closes with it", async () => {
    const p = await agent.ok<{ createProblem: { id: string; number: string; version: number } }>(
      'mutation { createProblem(title: "DB pool leak", description: "Connections are not returned") { id number version } }',
    );
    expect(p.createProblem.number).toMatch(/^PRB-\d{6}$/);
    const payments = await createService(t.admin, "Payments");
    const ids: string[] = [];
    for (let n = 0; n < 3; n++) {
      const i = await openIncident(agent, { serviceIds: [payments] });
      await act(agent, "linkIncidentToProblem", "$incidentId: ID!, $expectedVersion: Int!, $problemId: ID!", {
        incidentId: i.id,
        expectedVersion: 1,
        problemId: p.createProblem.number,
      });
      ids.push(i.id);
    }
    const bad = await agent.fails(
      'mutation($id: ID!) { updateProblem(id: $id, expectedVersion: 1, state: KNOWN_ERROR, rootCause: "leak") { id } }',
      { id: p.createProblem.id },
    );
    expect(bad.code).toBe("REQUIREMENT_NOT_MET");
    await agent.ok(
      'mutation($id: ID!) { updateProblem(id: $id, expectedVersion: 1, state: KNOWN_ERROR, rootCause: "leak", workaround: "restart the pool") { id } }',
      { id: p.createProblem.id },
    );
    const page = await agent.ok<{
      problem: {
        state: string;
        version: number;
        incidents: { id: string }[];
        history: { version: number }[];
      };
    }>("query($id: ID!) { problem(id: $id) { state version incidents { id } history { version } } }", {
      id: p.createProblem.id,
    });
    expect(page.problem).toMatchObject({ state: "KNOWN_ERROR", version: 2 });
    expect(page.problem.incidents.map((i) => i.id).sort()).toEqual([...ids].sort());
    expect(page.problem.history.map((h) => h.version)).toEqual([1, 2]);
    const stale = await agent.fails(
      "mutation($id: ID!) { updateProblem(id: $id, expectedVersion: 1, state: RESOLVED) { id } }",
      {
        id: p.createProblem.id,
      },
    );
    expect(stale.code).toBe("CONFLICT");
    // Opening a new incident on the service shows the known error.
    const fresh = await openIncident(agent, { serviceIds: [payments] });
    const ke = await agent.ok<{ incident: { knownErrors: { number: string; workaround: string }[] } }>(
      "query($id: ID!) { incident(id: $id) { knownErrors { number workaround } } }",
      { id: fresh.id },
    );
    expect(ke.incident.knownErrors).toEqual([
      { number: p.createProblem.number, workaround: "restart the pool" },
    ]);
  });

  it("categories are admin-managed, required to resolve once they exist, and filter nothing else", async () => {
    const forbidden = await agent.fails('mutation { createCategory(name: "Network") { id } }');
    expect(forbidden.code).toBe("FORBIDDEN");
    const net = await t.admin.ok<{ createCategory: { id: string } }>(
      'mutation { createCategory(name: "Network") { id } }',
    );
    const dns = await t.admin.ok<{ createCategory: { id: string; parent: { id: string } } }>(
      'mutation($p: ID) { createCategory(name: "DNS", parentId: $p) { id parent { id } } }',
      { p: net.createCategory.id },
    );
    expect(dns.createCategory.parent.id).toBe(net.createCategory.id);
    const dup = await t.admin.fails('mutation { createCategory(name: "network") { id } }');
    expect(dup.code).toBe("BAD_USER_INPUT");
    const i = await openIncident(agent);
    await act(agent, "startWork", SIG.id, { id: i.id, expectedVersion: 1 });
    const e = await expectRefusal(t, i.id, "REQUIREMENT_NOT_MET", () =>
      refused(agent, "resolveIncident", SIG.resolve, {
        id: i.id,
        expectedVersion: 2,
        code: "PERMANENT_FIX",
        notes: "n",
      }),
    );
    expect(e.message).toContain("has no category");
    const unknown = await refused(agent, "resolveIncident", `${SIG.resolve}, $categoryId: ID`, {
      id: i.id,
      expectedVersion: 2,
      code: "PERMANENT_FIX",
      notes: "n",
      categoryId: "00000000-0000-0000-0000-000000000000",
    });
    expect(unknown.code).toBe("NOT_FOUND");
    const ok = await resolveIncident(agent, i.id, 2, { notes: "n", categoryId: dns.createCategory.id });
    expect(ok.state).toBe("RESOLVED");
  });

  it("a review with action items is completed; items are marked done after closing; follow-ups both ways", async () => {
    const [category] = (await t.admin.ok<{ categories: { id: string }[] }>("query { categories { id } }"))
      .categories;
    assert.exists(category, "a category from the previous test");
    const i = await openResolved(
      agent,
      { impact: "MEDIUM", urgency: "HIGH", requester: { name: "Rita Requester", email: "rita@example.com" } },
      { notes: "n", categoryId: category.id },
    );
    const none = await refused(
      manager,
      "completeReview",
      "$id: ID!, $expectedVersion: Int!, $summary: String!, $rootCause: String!, $lessons: String!",
      {
        id: i.id,
        expectedVersion: 3,
        summary: "s",
        rootCause: "r",
        lessons: "l",
      },
    );
    expect(none.code).toBe("REQUIREMENT_NOT_MET");
    const item = await manager.ok<{
      addReviewActionItem: { id: string; done: boolean; owner: { id: string } };
    }>(
      'mutation($id: ID!, $o: ID) { addReviewActionItem(incidentId: $id, title: "Alert on pool size", ownerId: $o) { id done owner { id } } }',
      { id: i.id, o: manager.userId },
    );
    expect(item.addReviewActionItem).toMatchObject({ done: false, owner: { id: manager.userId } });
    await act(
      manager,
      "completeReview",
      "$id: ID!, $expectedVersion: Int!, $summary: String!, $rootCause: String!, $lessons: String!, $publicPostmortem: String",
      {
        id: i.id,
        expectedVersion: 3,
        summary: "s",
        rootCause: "r",
        lessons: "l",
        publicPostmortem: "We fixed a pool leak.",
      },
    );
    await act(agent, "confirmResolution", SIG.id, { id: i.id, expectedVersion: 4 });
    expect((await act(agent, "closeIncident", SIG.id, { id: i.id, expectedVersion: 5 })).state).toBe(
      "CLOSED",
    );
    const done = await manager.ok<{ setReviewActionItemDone: { done: boolean } }>(
      "mutation($id: ID!) { setReviewActionItemDone(id: $id, done: true) { done } }",
      { id: item.addReviewActionItem.id },
    );
    expect(done.setReviewActionItemDone.done).toBe(true);
    const f = await act(agent, "openFollowUpIncident", "$previousId: ID!, $input: OpenIncidentInput!", {
      previousId: i.id,
      input: { title: "Again", description: "d", impact: "LOW", urgency: "LOW" },
    });
    const both = await agent.ok<{
      incident: {
        followUps: { id: string }[];
        requester: { name: string };
        actionItems: { done: boolean }[];
      };
    }>("query($id: ID!) { incident(id: $id) { followUps { id } requester { name } actionItems { done } } }", {
      id: i.id,
    });
    expect(both.incident).toEqual({
      followUps: [{ id: f.id }],
      requester: { name: "Rita Requester" },
      actionItems: [{ done: true }],
    });
  });
});
