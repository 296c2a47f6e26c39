// Incident and catalog set-up shared by the integration and end-to-end tests.
import { expect } from "vitest";
import type { TestBeacon, TestClient } from "./harness";

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
  resolve: "$id: ID!, $expectedVersion: Int!, $code: ResolutionCode!, $notes: String!",
};

export interface Resolution {
  code?: string;
  notes?: string;
  categoryId?: string;
}

/** Resolves an incident that is being worked on; a permanent fix unless `resolution` says otherwise. */
export async function resolveIncident(
  client: TestClient,
  id: string,
  expectedVersion: number,
  resolution: Resolution = {},
): Promise<IncidentView> {
  const { code = "PERMANENT_FIX", notes = "Fixed", categoryId } = resolution;
  return categoryId === undefined
    ? act(client, "resolveIncident", SIG.resolve, { id, expectedVersion, code, notes })
    : act(client, "resolveIncident", `${SIG.resolve}, $categoryId: ID`, {
        id,
        expectedVersion,
        code,
        notes,
        categoryId,
      });
}

/** A new incident (`input` as for openIncident), worked on and resolved by `client`: RESOLVED, version 3. */
export async function openResolved(
  client: TestClient,
  input: Record<string, unknown> = {},
  resolution: Resolution = {},
): Promise<IncidentView> {
  const i = await openIncident(client, input);
  await act(client, "startWork", SIG.id, { id: i.id, expectedVersion: 1 });
  return resolveIncident(client, i.id, 2, resolution);
}

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

/**
 * Turns closing by rule off for every priority (it is on for P3/P4 by default). A test that walks an
 * incident to a close by hand needs this: otherwise the system's close job, run moments after the
 * customer's confirmation, races the person's own close (and wins under load).
 */
export async function turnOffAutoClose(admin: TestClient): Promise<void> {
  const { slaPolicies } = await admin.ok<{ slaPolicies: Record<string, unknown>[] }>(
    "{ slaPolicies { priority acknowledgeMinutes resolveMinutes businessHours publicUpdateEveryMinutes autoClose } }",
  );
  for (const policy of slaPolicies) {
    await admin.ok("mutation($i: SlaPolicyInput!) { setSlaPolicy(input: $i) { priority } }", {
      i: { ...policy, autoClose: false },
    });
  }
}

export async function createQueue(admin: TestClient, name: string, memberIds: string[]): Promise<string> {
  const d = await admin.ok<{ createQueue: { id: string } }>(
    "mutation($n: String!, $m: [ID!]!) { createQueue(name: $n, memberIds: $m) { id } }",
    { n: name, m: memberIds },
  );
  return d.createQueue.id;
}

export async function createService(admin: TestClient, name: string, group?: string): Promise<string> {
  const d = await admin.ok<{ createService: { id: string } }>(
    "mutation($n: String!, $g: String) { createService(input: { name: $n, group: $g }) { id } }",
    { n: name, g: group ?? null },
  );
  return d.createService.id;
}

/** Sets a service's status (a write the status page and subscribers then see). */
export async function setServiceStatus(
  client: TestClient,
  serviceId: string,
  status: string,
): Promise<{ id: string; status: string; version: number }> {
  const d = await client.ok<{ setServiceStatus: { id: string; status: string; version: number } }>(
    "mutation($s: ID!, $st: ServiceStatus!) { setServiceStatus(serviceId: $s, status: $st) { id status version } }",
    { s: serviceId, st: status },
  );
  return d.setServiceStatus;
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
