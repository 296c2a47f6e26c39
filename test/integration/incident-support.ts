// Shared by the incident*.test.ts and queue*.test.ts integration tests.
import { expect } from "vitest";
import type { TestBeacon, TestClient } from "../support/harness";

export const INCIDENT = /* GraphQL */ `
  fragment I on Incident {
    id number title description state version priority major public publicStatus
    holdReason resolutionCode resolutionNotes problemReference customerConfirmed
    owner { id name } queue { id name } assignee { id name }
    services { id slug } relatedTo { id number }
    resolvedAt closedAt createdAt updatedAt availableActions
    review { summary rootCause lessons }
  }
`;

export interface IncidentView {
  id: string;
  number: string;
  title: string;
  description: string;
  state: string;
  version: number;
  priority: string;
  major: boolean;
  public: boolean;
  publicStatus: string | null;
  holdReason: string | null;
  resolutionCode: string | null;
  resolutionNotes: string | null;
  problemReference: string | null;
  customerConfirmed: boolean;
  owner: { id: string; name: string };
  queue: { id: string; name: string } | null;
  assignee: { id: string; name: string } | null;
  services: { id: string; slug: string }[];
  relatedTo: { id: string; number: string } | null;
  resolvedAt: string | null;
  closedAt: string | null;
  availableActions: string[];
  review: { summary: string; rootCause: string; lessons: string } | null;
}

export type Client = TestClient & { userId: string };

/** Calls one incident mutation that returns an Incident, by name, with `args` as variables. */
export async function act(
  client: TestClient,
  name: string,
  signature: string,
  args: Record<string, unknown>,
): Promise<IncidentView> {
  const call = Object.keys(args)
    .map((k) => `${k}: $${k}`)
    .join(", ");
  const d = await client.ok<Record<string, IncidentView>>(
    `mutation(${signature}) { ${name}(${call}) { ...I } } ${INCIDENT}`,
    args,
  );
  const incident = d[name];
  if (!incident) throw new Error(`${name} returned no incident: ${JSON.stringify(d)}`);
  return incident;
}

/** The same call expected to fail: the first error with its code. */
export async function refused(
  client: TestClient,
  name: string,
  signature: string,
  args: Record<string, unknown>,
) {
  const call = Object.keys(args)
    .map((k) => `${k}: $${k}`)
    .join(", ");
  return client.fails(`mutation(${signature}) { ${name}(${call}) { id } }`, args);
}

export const SIG = {
  id: "$id: ID!, $expectedVersion: Int!",
  reason: "$id: ID!, $expectedVersion: Int!, $reason: String!",
};

export async function openIncident(
  client: TestClient,
  input: Record<string, unknown> = {},
): Promise<IncidentView> {
  return act(client, "openIncident", "$input: OpenIncidentInput!", {
    input: {
      title: "Checkout fails",
      description: "Card payments time out",
      impact: "MEDIUM",
      urgency: "MEDIUM",
      ...input,
    },
  });
}

export async function getIncident(client: TestClient, id: string): Promise<IncidentView> {
  const d = await client.ok<{ incident: IncidentView }>(
    `query($id: ID!) { incident(id: $id) { ...I } } ${INCIDENT}`,
    {
      id,
    },
  );
  return d.incident;
}

export async function createQueue(admin: TestClient, name: string, memberIds: string[]): Promise<string> {
  const d = await admin.ok<{ createQueue: { id: string } }>(
    "mutation($n: String!, $m: [ID!]!) { createQueue(name: $n, memberIds: $m) { id } }",
    { n: name, m: memberIds },
  );
  return d.createQueue.id;
}

export async function createService(admin: TestClient, name: string): Promise<string> {
  const d = await admin.ok<{ createService: { id: string } }>(
    "mutation($n: String!) { createService(input: { name: $n }) { id } }",
    { n: name },
  );
  return d.createService.id;
}

/** What a refused command must leave untouched: the row, the history, the timeline and the outbox. */
export async function footprint(t: TestBeacon, incidentId: string) {
  const db = t.started.beacon.db;
  const [row] = await db.query("SELECT version, state, updated_at FROM incident WHERE id = $1", [incidentId]);
  const [h] = await db.query(
    "SELECT count(*)::int AS n FROM change_record WHERE subject_type = 'incident' AND subject_id = $1",
    [incidentId],
  );
  const [tl] = await db.query("SELECT count(*)::int AS n FROM timeline_entry WHERE incident_id = $1", [
    incidentId,
  ]);
  const [ev] = await db.query("SELECT count(*)::int AS n FROM event");
  const [pu] = await db.query("SELECT count(*)::int AS n FROM public_update WHERE incident_id = $1", [
    incidentId,
  ]);
  return {
    version: row.version as number,
    state: row.state as string,
    updatedAt: new Date(row.updated_at).toISOString(),
    history: h.n as number,
    timeline: tl.n as number,
    events: ev.n as number,
    publicUpdates: pu.n as number,
  };
}

/** Runs `attempt`, which must be refused with `code`, and checks that it changed nothing at all. */
export async function expectRefusal(
  t: TestBeacon,
  incidentId: string,
  code: string,
  attempt: () => Promise<{ code: string; message: string }>,
  messagePart?: RegExp,
) {
  const before = await footprint(t, incidentId);
  const error = await attempt();
  expect(error.code, error.message).toBe(code);
  if (messagePart) expect(error.message).toMatch(messagePart);
  expect(await footprint(t, incidentId)).toEqual(before);
  return error;
}
