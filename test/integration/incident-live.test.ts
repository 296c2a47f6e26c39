import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestBeacon, type TestBeacon } from "../support/harness";
import { act, createQueue, openIncident, SIG } from "../support/incidents";
import { itemAt } from "../support/item-at";

let t: TestBeacon;
let agent: Person;
let responder: Person;
let queueId: string;

interface Activity {
  incidentActivity: {
    seq: string;
    at: string;
    incident: { id: string; state: string; version: number; assignee: { id: string } | null };
    entry: { kind: string; body: string | null; seq: string; authorName: string } | null;
  };
}

const ACTIVITY = `subscription($id: ID!, $since: String) {
  incidentActivity(incidentId: $id, since: $since) {
    seq at
    incident { id state version assignee { id } }
    entry { kind body seq authorName }
  }
}`;

async function currentSeq(client: Person): Promise<string> {
  return (await client.ok<{ statusSummary: { seq: string } }>("{ statusSummary { seq } }")).statusSummary.seq;
}

beforeAll(async () => {
  t = await startTestBeacon();
  agent = await t.user("AGENT", "Ada Agent");
  responder = await t.user("RESPONDER", "Rita Responder");
  queueId = await createQueue(t.admin, "Network", [responder.userId]);
});

afterAll(async () => {
  await t?.stop();
});

describe("the live incident room", () => {
  it("a second client in the room sees each step within a second, with the incident's current state", async () => {
    const i = await openIncident(agent);
    const room = responder.subscribe<Activity>(ACTIVITY, { id: i.id });
    await new Promise((r) => setTimeout(r, 200));
    const steps: [string, () => Promise<unknown>, string, string][] = [
      [
        "assign",
        () =>
          act(agent, "assignIncident", `${SIG.id}, $queueId: ID!`, { id: i.id, expectedVersion: 1, queueId }),
        "ASSIGNMENT",
        "ASSIGNED",
      ],
      [
        "acknowledge",
        () => act(responder, "acknowledgeIncident", SIG.id, { id: i.id, expectedVersion: 2 }),
        "ASSIGNMENT",
        "IN_PROGRESS",
      ],
      [
        "note",
        () =>
          agent.ok('mutation($id: ID!) { addNote(incidentId: $id, body: "Looking at the logs") { id } }', {
            id: i.id,
          }),
        "NOTE",
        "IN_PROGRESS",
      ],
      [
        "hold",
        () =>
          act(
            responder,
            "holdIncident",
            "$id: ID!, $expectedVersion: Int!, $reason: HoldReason!, $note: String!",
            {
              id: i.id,
              expectedVersion: 3,
              reason: "AWAITING_VENDOR",
              note: "Vendor ticket opened",
            },
          ),
        "STATE_CHANGE",
        "ON_HOLD",
      ],
      [
        "resume",
        () => act(responder, "resumeIncident", SIG.id, { id: i.id, expectedVersion: 4 }),
        "STATE_CHANGE",
        "IN_PROGRESS",
      ],
    ];
    for (const [n, [name, run, kind, state]] of steps.entries()) {
      await run();
      // Live: pushed to the open room (a deadline for the wait, not a latency figure: those are
      // measured by npm run bench).
      const events = await room.waitFor(n + 1, 10_000);
      const e = itemAt(events, n).incidentActivity;
      expect(e.entry?.kind, name).toBe(kind);
      expect(e.entry?.seq).toBe(e.seq);
      expect(e.incident.id).toBe(i.id);
      expect(e.incident.state, name).toBe(state);
    }
    expect(itemAt(room.received, 1).incidentActivity.incident.assignee).toEqual({ id: responder.userId });
    expect(itemAt(room.received, 2).incidentActivity.entry).toMatchObject({
      body: "Looking at the logs",
      authorName: "Ada Agent",
    });
    // A refused command publishes nothing.
    await agent.fails("mutation($id: ID!) { closeIncident(id: $id, expectedVersion: 5) { id } }", {
      id: i.id,
    });
    expect((await room.settle(300)).length).toBe(steps.length);
    await room.close();
  });

  it("replays what a client missed, from since, in order and exactly once, then goes live", async () => {
    const i = await openIncident(agent);
    const since = await currentSeq(agent);
    await act(agent, "startWork", SIG.id, { id: i.id, expectedVersion: 1 });
    await agent.ok('mutation($id: ID!) { addNote(incidentId: $id, body: "missed note") { id } }', {
      id: i.id,
    });
    await act(
      agent,
      "holdIncident",
      "$id: ID!, $expectedVersion: Int!, $reason: HoldReason!, $note: String!",
      {
        id: i.id,
        expectedVersion: 2,
        reason: "AWAITING_CALLER",
        note: "waiting",
      },
    );
    // Another incident's activity in between must not show up in this room.
    await openIncident(agent);

    const late = agent.subscribe<Activity>(ACTIVITY, { id: i.id, since });
    const replayed = await late.waitFor(3);
    expect(replayed.map((e) => e.incidentActivity.entry?.kind)).toEqual([
      "STATE_CHANGE",
      "NOTE",
      "STATE_CHANGE",
    ]);
    expect(itemAt(replayed, 1).incidentActivity.entry?.body).toBe("missed note");
    // Every replayed event shows the incident as it is now.
    expect(replayed.map((e) => e.incidentActivity.incident.state)).toEqual(["ON_HOLD", "ON_HOLD", "ON_HOLD"]);

    await act(agent, "resumeIncident", SIG.id, { id: i.id, expectedVersion: 3 });
    await late.waitFor(4, 10_000);
    const all = await late.settle(300);
    expect(all).toHaveLength(4);
    const seqs = all.map((e) => BigInt(e.incidentActivity.seq));
    for (let n = 1; n < seqs.length; n++) expect(itemAt(seqs, n) > itemAt(seqs, n - 1)).toBe(true);
    expect(itemAt(all, 3).incidentActivity.entry?.kind).toBe("STATE_CHANGE");
    await late.close();

    // Resuming from the last seq seen delivers nothing twice.
    const again = agent.subscribe<Activity>(ACTIVITY, {
      id: i.id,
      since: itemAt(all, 3).incidentActivity.seq,
    });
    expect(await again.settle(400)).toEqual([]);
    await again.close();
  });

  it("incidentsChanged streams every incident's changes, with replay", async () => {
    const since = await currentSeq(agent);
    const all = responder.subscribe<{
      incidentsChanged: { seq: string; incident: { number: string; state: string } };
    }>(
      "subscription($since: String) { incidentsChanged(since: $since) { seq incident { number state } entry { kind } } }",
      { since },
    );
    await new Promise((r) => setTimeout(r, 200));
    const a = await openIncident(agent, { title: "A" });
    const b = await openIncident(agent, { title: "B" });
    await act(agent, "startWork", SIG.id, { id: b.id, expectedVersion: 1 });
    const events = await all.waitFor(3, 10_000);
    expect(events.map((e) => e.incidentsChanged.incident.number)).toEqual([a.number, b.number, b.number]);
    expect(itemAt(events, 2).incidentsChanged.incident.state).toBe("IN_PROGRESS");
    await all.close();
  });

  it("refuses an unknown incident or a malformed since", async () => {
    const unknown = agent.subscribe(ACTIVITY, { id: "00000000-0000-4000-8000-000000000000" });
    await unknown.settle(300);
    expect(JSON.stringify(unknown.errors)).toMatch(/NOT_FOUND/);
    await unknown.close();
    const i = await openIncident(agent);
    const bad = agent.subscribe(ACTIVITY, { id: i.id, since: "yesterday" });
    await bad.settle(300);
    expect(JSON.stringify(bad.errors)).toMatch(/BAD_USER_INPUT/);
    await bad.close();
  });
});
