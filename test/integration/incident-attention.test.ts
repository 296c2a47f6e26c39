// The incidents filter's needsMe (SQL) agrees with needsMe() in domain/attention.ts, and "mine"
// holds what waits in my queues (a P1 awaiting my acknowledgement is not "0 mine").
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AttentionPerson, needsMe } from "../../server/domain/attention";
import type { IncidentState, Priority, Role } from "../../server/domain/vocabulary";
import { type Person, startTestBeacon, type TestBeacon } from "../support/harness";
import { act, createQueue, openIncident, SIG } from "../support/incidents";

let t: TestBeacon;
let agent: Person;
let rita: Person;
let sam: Person;
let manager: Person;
let network: string;
let database: string;
const ids: Record<string, string> = {};

const LIST = `query($f: IncidentFilter) {
  incidents(filter: $f, first: 100) {
    edges { node { id state priority owner { id } queue { id } assignee { id } } }
  }
}`;
type Row = {
  id: string;
  state: IncidentState;
  priority: Priority;
  owner: { id: string };
  queue: { id: string } | null;
  assignee: { id: string } | null;
};
type List = { incidents: { edges: { node: Row }[] } };

async function list(client: Person, f: Record<string, unknown>): Promise<string[]> {
  const d = await client.ok<List>(LIST, { f });
  return d.incidents.edges.map((e) => e.node.id).sort();
}

beforeAll(async () => {
  t = await startTestBeacon();
  agent = await t.user("AGENT", "Ada Agent");
  rita = await t.user("RESPONDER", "Rita Responder");
  sam = await t.user("RESPONDER", "Sam Responder");
  manager = await t.user("INCIDENT_MANAGER", "Mia Manager");
  network = await createQueue(t.admin, "Network", [rita.userId, sam.userId]);
  database = await createQueue(t.admin, "Database", [sam.userId]);

  const assign = (id: string, queueId: string, assigneeId?: string) =>
    act(agent, "assignIncident", `${SIG.id}, $queueId: ID!, $assigneeId: ID`, {
      id,
      expectedVersion: 1,
      queueId,
      assigneeId: assigneeId ?? null,
    });
  // A P1 waiting in Network for anyone's acknowledgement.
  ids.p1Waiting = (await openIncident(agent, { title: "P1 waiting", impact: "HIGH", urgency: "HIGH" })).id;
  await assign(ids.p1Waiting, network);
  // Assigned to Rita by name, not yet acknowledged.
  ids.onRita = (await openIncident(agent, { title: "On Rita" })).id;
  await assign(ids.onRita, network, rita.userId);
  // Sam acknowledged one: his to work.
  ids.samWorks = (await openIncident(agent, { title: "Sam works" })).id;
  await assign(ids.samWorks, network);
  await act(sam, "acknowledgeIncident", SIG.id, { id: ids.samWorks, expectedVersion: 2 });
  // Waiting in Database, which Rita is not in.
  ids.inDatabase = (await openIncident(agent, { title: "In database" })).id;
  await assign(ids.inDatabase, database);
  // New, opened by the agent.
  ids.fresh = (await openIncident(agent, { title: "Fresh" })).id;
  // Opened by the manager, nobody's but hers.
  ids.managers = (await openIncident(manager, { title: "Manager's" })).id;
});

afterAll(async () => {
  await t?.stop();
});

describe("needsMe filter", () => {
  it("returns exactly what the pure rule says, for every person", async () => {
    const all = (await manager.ok<List>(LIST, { f: {} })).incidents.edges.map((e) => e.node);
    expect(all).toHaveLength(6);
    const people: [Person, AttentionPerson][] = [
      [agent, { id: agent.userId, role: "AGENT" as Role, queueIds: [] }],
      [rita, { id: rita.userId, role: "RESPONDER" as Role, queueIds: [network] }],
      [sam, { id: sam.userId, role: "RESPONDER" as Role, queueIds: [network, database] }],
      [manager, { id: manager.userId, role: "INCIDENT_MANAGER" as Role, queueIds: [] }],
    ];
    for (const [client, person] of people) {
      const expected = all
        .filter(
          (i) =>
            needsMe(
              {
                state: i.state,
                priority: i.priority,
                ownerId: i.owner.id,
                queueId: i.queue?.id ?? null,
                assigneeId: i.assignee?.id ?? null,
              },
              person,
            ) !== null,
        )
        .map((i) => i.id)
        .sort();
      expect(await list(client, { needsMe: true }), person.id).toEqual(expected);
    }
    // The rule is not vacuous here: each responder has something, and they differ.
    expect(await list(rita, { needsMe: true })).toEqual([ids.p1Waiting, ids.onRita].sort());
    expect(await list(sam, { needsMe: true })).toEqual([ids.p1Waiting, ids.samWorks, ids.inDatabase].sort());
  });

  it("'mine' includes a P1 waiting in my queue for acknowledgement", async () => {
    const mine = await list(rita, { mine: true, states: ["NEW", "ASSIGNED", "IN_PROGRESS", "ON_HOLD"] });
    expect(mine).toContain(ids.p1Waiting);
    expect(mine).toContain(ids.onRita);
    expect(mine).not.toContain(ids.inDatabase);
    expect(mine).not.toContain(ids.samWorks);
  });
});
