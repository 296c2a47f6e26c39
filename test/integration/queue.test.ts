import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestBeacon, type TestBeacon } from "../support/harness";
import { act, createQueue, openIncident, SIG } from "../support/incidents";

let t: TestBeacon;
let manager: Person;
let agent: Person;
let r1: Person;
let r2: Person;

const QUEUES = "{ queues { id name members { id name } } }";
const CREATE =
  "mutation($n: String!, $m: [ID!]!) { createQueue(name: $n, memberIds: $m) { id name members { id } } }";

beforeAll(async () => {
  t = await startTestBeacon();
  manager = await t.user("INCIDENT_MANAGER", "Mia Manager");
  agent = await t.user("AGENT", "Ada Agent");
  r1 = await t.user("RESPONDER", "Bea Responder");
  r2 = await t.user("RESPONDER", "Al Responder");
});

afterAll(async () => {
  await t?.stop();
});

describe("escalation queues", () => {
  it("an incident manager creates a queue with members; everyone signed in lists them", async () => {
    const d = await manager.ok<{ createQueue: { id: string; name: string; members: { id: string }[] } }>(
      CREATE,
      {
        n: "  Database  ",
        m: [r1.userId, r2.userId, r1.userId],
      },
    );
    expect(d.createQueue.name).toBe("Database");
    expect(d.createQueue.members.map((m) => m.id).sort()).toEqual([r1.userId, r2.userId].sort());
    const list = await r1.ok<{ queues: { name: string; members: { name: string }[] }[] }>(QUEUES);
    expect(list.queues).toEqual([
      {
        id: d.createQueue.id,
        name: "Database",
        members: [
          { id: r2.userId, name: "Al Responder" },
          { id: r1.userId, name: "Bea Responder" },
        ],
      },
    ]);
  });

  it("refuses a taken name, unknown members, an empty name, agents and anonymous callers", async () => {
    expect((await manager.fails(CREATE, { n: "database", m: [] })).code).toBe("BAD_USER_INPUT");
    const unknown = await manager.fails(CREATE, {
      n: "Other",
      m: [r1.userId, "00000000-0000-4000-8000-000000000000"],
    });
    expect(unknown.code).toBe("NOT_FOUND");
    expect(unknown.message).toMatch(/00000000-0000-4000-8000-000000000000/);
    expect((await manager.fails(CREATE, { n: "Bad", m: ["not-a-uuid"] })).code).toBe("NOT_FOUND");
    expect((await manager.fails(CREATE, { n: "   ", m: [] })).code).toBe("BAD_USER_INPUT");
    expect((await agent.fails(CREATE, { n: "Agents", m: [] })).code).toBe("FORBIDDEN");
    expect((await t.anon.fails(CREATE, { n: "Anon", m: [] })).code).toBe("UNAUTHENTICATED");
    expect((await t.anon.fails(QUEUES)).code).toBe("UNAUTHENTICATED");
    const [row] = await t.started.beacon.db.query("SELECT count(*)::int AS n FROM queue");
    expect(row.n).toBe(1);
  });

  it("membership changes take effect at once: a new member may acknowledge, a removed one may not", async () => {
    const outsider = await t.user("RESPONDER", "Otto Outsider");
    const queueId = await createQueue(t.admin, "Apps", [r1.userId]);
    const i = await openIncident(agent);
    await act(agent, "assignIncident", `${SIG.id}, $queueId: ID!`, { id: i.id, expectedVersion: 1, queueId });
    const denied = await outsider.fails(
      "mutation($id: ID!) { acknowledgeIncident(id: $id, expectedVersion: 2) { id } }",
      {
        id: i.id,
      },
    );
    expect(denied.code).toBe("FORBIDDEN");
    await manager.ok("mutation($q: ID!, $u: ID!) { addQueueMember(queueId: $q, userId: $u) { id } }", {
      q: queueId,
      u: outsider.userId,
    });
    const acked = await act(outsider, "acknowledgeIncident", SIG.id, { id: i.id, expectedVersion: 2 });
    expect(acked.assignee?.id).toBe(outsider.userId);

    const j = await openIncident(agent);
    await act(agent, "assignIncident", `${SIG.id}, $queueId: ID!`, { id: j.id, expectedVersion: 1, queueId });
    await manager.ok("mutation($q: ID!, $u: ID!) { removeQueueMember(queueId: $q, userId: $u) { id } }", {
      q: queueId,
      u: outsider.userId,
    });
    const removed = await outsider.fails(
      "mutation($id: ID!) { acknowledgeIncident(id: $id, expectedVersion: 2) { id } }",
      {
        id: j.id,
      },
    );
    expect(removed.code).toBe("FORBIDDEN");
    const notMember = await manager.fails(
      "mutation($q: ID!, $u: ID!) { removeQueueMember(queueId: $q, userId: $u) { id } }",
      {
        q: queueId,
        u: outsider.userId,
      },
    );
    expect(notMember.code).toBe("NOT_FOUND");
  });
});
