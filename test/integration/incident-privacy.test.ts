import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestBeacon, type TestBeacon, type TestSubscription } from "../support/harness";
import {
  act,
  createService,
  expectRefusal,
  openIncident,
  refused,
  resolveIncident,
  SIG,
} from "../support/incidents";
import { itemAt } from "../support/item-at";

// Markers that must never leave through a public field, query, subscription or JSON endpoint.
const SECRET_DESCRIPTION = "SECRET-DESCRIPTION-7f3a";
const SECRET_NOTE = "SECRET-NOTE-91bc";
const SECRET_NOTES = "SECRET-RESOLUTION-NOTES-2d4e";
const SECRET_OWNER = "Sam Secretowner";

let t: TestBeacon;
let agent: Person;
let manager: Person;
let serviceId: string;
let publicId: string;
let privateId: string;
type StatusChanged = { statusChanged: Record<string, unknown> };
let status: TestSubscription<StatusChanged>;

const STATUS_CHANGED = `subscription { statusChanged {
  seq kind at withdrawnIncidentId
  service { id name }
  incident { id title status impact startedAt resolvedAt services { id name } updates { id status message at } }
} }`;

const UPDATE_SIG = "$id: ID!, $expectedVersion: Int!, $input: UpdateIncidentInput!";

/**
 * An incident owned by the agent (whose name must never leak) that an incident manager published:
 * publishing is an incident manager's (or admin's) permission, whatever the path.
 */
async function openPublished(input: Record<string, unknown> = {}) {
  const opened = await openIncident(agent, input);
  return act(manager, "updateIncident", UPDATE_SIG, {
    id: opened.id,
    expectedVersion: opened.version,
    input: { public: true },
  });
}

beforeAll(async () => {
  t = await startTestBeacon();
  agent = await t.user("AGENT", SECRET_OWNER);
  manager = await t.user("INCIDENT_MANAGER", "Mia Manager");
  serviceId = await createService(t.admin, "Payments");
  status = t.anon.subscribe<StatusChanged>(STATUS_CHANGED);
  await new Promise((r) => setTimeout(r, 200));

  const pub = await openPublished({
    title: "Payments degraded",
    description: SECRET_DESCRIPTION,
    impact: "HIGH",
    urgency: "HIGH",
    serviceIds: [serviceId],
  });
  publicId = pub.id;
  await agent.ok("mutation($id: ID!, $b: String!) { addNote(incidentId: $id, body: $b) { id } }", {
    id: publicId,
    b: SECRET_NOTE,
  });
  await act(agent, "startWork", SIG.id, { id: publicId, expectedVersion: 2 });
  await manager.ok(
    'mutation($id: ID!) { postPublicUpdate(incidentId: $id, status: IDENTIFIED, message: "We found the cause.") { id } }',
    { id: publicId },
  );
  const priv = await openIncident(agent, { title: "Internal only", description: SECRET_DESCRIPTION });
  privateId = priv.id;
});

afterAll(async () => {
  await status?.close();
  await t?.stop();
});

function expectNoSecrets(what: string, value: unknown) {
  const text = JSON.stringify(value);
  for (const secret of [
    SECRET_DESCRIPTION,
    SECRET_NOTE,
    SECRET_NOTES,
    SECRET_OWNER,
    agent.userId,
    "Internal only",
  ]) {
    expect(text.includes(secret), `${what} leaked "${secret}": ${text}`).toBe(false);
  }
}

describe("the public projection", () => {
  it("statusSummary, publicIncidents and publicIncident show only title, status, impact, services and updates", async () => {
    const d = await t.anon.ok<{
      statusSummary: { activeIncidents: { id: string; title: string; status: string; impact: string }[] };
      publicIncidents: { id: string }[];
      publicIncident: { id: string; updates: { status: string; message: string }[] } | null;
      hidden: null;
    }>(
      `query($id: ID!, $hidden: ID!) {
        statusSummary { activeIncidents { id title status impact services { id name } updates { status message } } }
        publicIncidents { id title status impact updates { status message } }
        publicIncident(id: $id) { id title status updates { status message } }
        hidden: publicIncident(id: $hidden) { id }
      }`,
      { id: publicId, hidden: privateId },
    );
    expect(d.statusSummary.activeIncidents).toEqual([
      expect.objectContaining({
        id: publicId,
        title: "Payments degraded",
        status: "IDENTIFIED",
        impact: "CRITICAL",
      }),
    ]);
    expect(d.publicIncidents.map((i) => i.id)).toEqual([publicId]);
    expect(d.publicIncident?.updates).toEqual([{ status: "IDENTIFIED", message: "We found the cause." }]);
    expect(d.hidden).toBeNull();
    expectNoSecrets("GraphQL public queries", d);
    for (const path of [
      "/api/v2/summary.json",
      "/api/v2/status.json",
      "/api/v2/components.json",
      "/api/v2/incidents.json",
      "/api/v2/incidents/unresolved.json",
      "/api/v2/scheduled-maintenances.json",
    ]) {
      const res = await fetch(`${t.url}${path}`);
      expect(res.status).toBe(200);
      expectNoSecrets(path, await res.json());
    }
  });

  it("the public schema has no way to ask for internal fields", async () => {
    const e = await t.anon.fails("{ publicIncidents { id description } }");
    expect(e.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  it("anonymous callers get UNAUTHENTICATED from every incident query and subscription", async () => {
    for (const query of [
      "query($id: ID!) { incident(id: $id) { id } }",
      "{ incidents { totalCount edges { node { id } } } }",
      "query($id: ID!) { verifyIncidentHistory(id: $id) { ok } }",
      "{ queues { id } }",
    ]) {
      expect((await t.anon.fails(query, { id: publicId })).code, query).toBe("UNAUTHENTICATED");
    }
    for (const query of [
      "subscription($id: ID!) { incidentActivity(incidentId: $id) { seq incident { description } } }",
      'subscription { incidentsChanged(since: "0") { seq incident { description } } }',
    ]) {
      const sub = t.anon.subscribe(query, { id: publicId });
      await sub.settle(400);
      expect(sub.received, query).toEqual([]);
      expect(JSON.stringify(sub.errors)).toMatch(/UNAUTHENTICATED/);
      expectNoSecrets(query, sub.errors);
      await sub.close();
    }
  });

  it("statusChanged (live and replayed) carries the public projection only, and only for public incidents", async () => {
    await resolveIncident(agent, publicId, 4, { notes: SECRET_NOTES });
    await status.waitFor(3);
    await status.settle(200);
    const kinds = status.received.map((e) => e.statusChanged.kind);
    // Published, public update, resolved; the note, startWork and the private incident publish nothing.
    expect(kinds).toEqual(["INCIDENT_PUBLISHED", "INCIDENT_UPDATED", "INCIDENT_RESOLVED"]);
    const resolved = itemAt(status.received, 2).statusChanged.incident as {
      status: string;
      updates: { message: string }[];
    };
    expect(resolved.status).toBe("RESOLVED");
    expect(itemAt(resolved.updates, 0).message).toBe("This incident has been resolved.");
    expectNoSecrets("statusChanged", status.received);

    const replay = t.anon.subscribe<StatusChanged>(
      STATUS_CHANGED.replace("statusChanged {", 'statusChanged(since: "0") {'),
    );
    await replay.waitFor(4);
    await replay.settle(200);
    // The replay starts at the beginning: the service's creation first, then the same three.
    expect(replay.received.map((e) => e.statusChanged.kind)).toEqual(["SERVICE_CHANGED", ...kinds]);
    expectNoSecrets("statusChanged replay", replay.received);
    await replay.close();

    // And at the source: public events hold nothing but the projection.
    const rows: { payload: Record<string, unknown> }[] = await t.started.beacon.db.query(
      "SELECT payload FROM event WHERE is_public AND incident_id IS NOT NULL",
    );
    for (const { payload } of rows) {
      expect(Object.keys(payload).sort()).toEqual(["command", "entryId", "incident"]);
      expect(Object.keys(payload.incident as object).sort()).toEqual(
        // postmortem: the completed review's text written for the public (null until then).
        [
          "id",
          "impact",
          "postmortem",
          "nextUpdateBy",
          "resolvedAt",
          "services",
          "startedAt",
          "status",
          "title",
          "updates",
        ].sort(),
      );
    }
    const privateEvents = await t.started.beacon.db.query(
      "SELECT count(*)::int AS n FROM event WHERE is_public AND incident_id = $1",
      [privateId],
    );
    expect(privateEvents[0].n).toBe(0);
  });

  it("resolving does not repeat a RESOLVED update the public already has", async () => {
    const i = await openPublished();
    await act(agent, "startWork", SIG.id, { id: i.id, expectedVersion: 2 });
    await manager.ok(
      'mutation($id: ID!) { postPublicUpdate(incidentId: $id, status: RESOLVED, message: "Fixed, monitoring.") { id } }',
      { id: i.id },
    );
    const r = await resolveIncident(agent, i.id, 4, { notes: "done" });
    expect(r.publicStatus).toBe("RESOLVED");
    const d = await t.anon.ok<{ publicIncident: { updates: { message: string }[] } }>(
      "query($id: ID!) { publicIncident(id: $id) { updates { message } } }",
      { id: i.id },
    );
    expect(d.publicIncident.updates.map((u) => u.message)).toEqual(["Fixed, monitoring."]);
  });

  it("postPublicUpdate needs a public incident and an incident manager; it sets the public status", async () => {
    const e = await expectRefusal(t, privateId, "REQUIREMENT_NOT_MET", () =>
      manager.fails(
        'mutation($id: ID!) { postPublicUpdate(incidentId: $id, status: MONITORING, message: "x") { id } }',
        { id: privateId },
      ),
    );
    expect(e.message).toMatch(/public: true/);
    await expectRefusal(t, publicId, "FORBIDDEN", () =>
      agent.fails(
        'mutation($id: ID!) { postPublicUpdate(incidentId: $id, status: MONITORING, message: "x") { id } }',
        {
          id: publicId,
        },
      ),
    );
    await expectRefusal(t, publicId, "BAD_USER_INPUT", () =>
      manager.fails(
        'mutation($id: ID!) { postPublicUpdate(incidentId: $id, status: MONITORING, message: " ") { id } }',
        {
          id: publicId,
        },
      ),
    );
  });

  it("unpublishing or canceling a public incident withdraws it from the status page, live", async () => {
    const sub = t.anon.subscribe<StatusChanged>(STATUS_CHANGED);
    await new Promise((r) => setTimeout(r, 200));
    const a = await openPublished({ title: "Will be withdrawn" });
    await act(manager, "updateIncident", UPDATE_SIG, {
      id: a.id,
      expectedVersion: 2,
      input: { public: false },
    });
    const b = await openPublished({ title: "Opened by mistake" });
    // The owning agent may still cancel it: withdrawing by the lifecycle is not publishing.
    await act(agent, "cancelIncident", SIG.reason, {
      id: b.id,
      expectedVersion: 2,
      reason: "Opened by mistake",
    });
    const events = await sub.waitFor(4);
    expect(events.map((e) => [e.statusChanged.kind, e.statusChanged.withdrawnIncidentId])).toEqual([
      ["INCIDENT_PUBLISHED", null],
      ["INCIDENT_UPDATED", a.id],
      ["INCIDENT_PUBLISHED", null],
      ["INCIDENT_UPDATED", b.id],
    ]);
    const d = await t.anon.ok<{
      publicIncidents: { id: string }[];
      statusSummary: { activeIncidents: { id: string }[] };
    }>("{ publicIncidents { id } statusSummary { activeIncidents { id } } }");
    const shown = [...d.publicIncidents, ...d.statusSummary.activeIncidents].map((i) => i.id);
    expect(shown).not.toContain(a.id);
    expect(shown).not.toContain(b.id);
    await sub.close();
  });

  it("refusals on a public incident publish nothing", async () => {
    await expectRefusal(t, publicId, "INVALID_TRANSITION", () =>
      refused(agent, "startWork", SIG.id, { id: publicId, expectedVersion: 5 }),
    );
  });
});

describe("publishing to the status page is one permission, whatever the path", () => {
  it("an agent cannot open an incident public, and nothing is created", async () => {
    const count = async () =>
      (await t.started.beacon.db.query("SELECT count(*)::int AS n FROM incident"))[0].n as number;
    const before = await count();
    const e = await agent.fails("mutation($i: OpenIncidentInput!) { openIncident(input: $i) { id } }", {
      i: { title: "Agent's banner", description: "x", impact: "HIGH", urgency: "HIGH", public: true },
    });
    expect(e.code).toBe("FORBIDDEN");
    expect(e.extensions?.field).toBe("public");
    expect(e.message).toMatch(/Only an admin or an incident manager may publish on the status page/);
    expect(await count()).toBe(before);
    const d = await t.anon.ok<{ statusSummary: { activeIncidents: { title: string }[] } }>(
      "{ statusSummary { activeIncidents { title } } }",
    );
    expect(d.statusSummary.activeIncidents.map((i) => i.title)).not.toContain("Agent's banner");
  });

  it("an agent cannot make its incident public or private, or rename it while public; changing nothing", async () => {
    const own = await openIncident(agent, { title: "Private for now" });
    await expectRefusal(t, own.id, "FORBIDDEN", () =>
      refused(agent, "updateIncident", UPDATE_SIG, {
        id: own.id,
        expectedVersion: 1,
        input: { public: true },
      }),
    );
    // Renaming a private incident is the owner's business.
    await act(agent, "updateIncident", UPDATE_SIG, {
      id: own.id,
      expectedVersion: 1,
      input: { title: "Renamed" },
    });
    const published = await act(manager, "updateIncident", UPDATE_SIG, {
      id: own.id,
      expectedVersion: 2,
      input: { public: true },
    });
    expect(published.public).toBe(true);
    await expectRefusal(t, own.id, "FORBIDDEN", () =>
      refused(agent, "updateIncident", UPDATE_SIG, {
        id: own.id,
        expectedVersion: 3,
        input: { title: "Agent's words" },
      }),
    );
    await expectRefusal(t, own.id, "FORBIDDEN", () =>
      refused(agent, "updateIncident", UPDATE_SIG, {
        id: own.id,
        expectedVersion: 3,
        input: { public: false },
      }),
    );
    // The rest of the incident is still the owner's to edit.
    const edited = await act(agent, "updateIncident", UPDATE_SIG, {
      id: own.id,
      expectedVersion: 3,
      input: { description: "More detail" },
    });
    expect(edited.description).toBe("More detail");
  });

  it("an incident manager may publish by every path", async () => {
    const opened = await openIncident(manager, { title: "Opened public by a manager", public: true });
    expect(opened.public).toBe(true);
    const renamed = await act(manager, "updateIncident", UPDATE_SIG, {
      id: opened.id,
      expectedVersion: 1,
      input: { title: "Renamed by a manager" },
    });
    expect(renamed.title).toBe("Renamed by a manager");
    const d = await t.anon.ok<{ publicIncident: { title: string } | null }>(
      "query($id: ID!) { publicIncident(id: $id) { title } }",
      { id: opened.id },
    );
    expect(d.publicIncident?.title).toBe("Renamed by a manager");
  });
});
