// One public story (issue 15): an incident moves its services in the same command, its public
// wording is deliberate, its public status cannot go back once resolved, resolved incidents stay on
// `/` for BEACON_RECENT_DAYS, and closing is a checklist in the war room's words.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CLOSING_MESSAGE } from "../../server/domain/public-story";
import { ManualClock } from "../../server/kernel/clock";
import { type Person, startTestBeacon, type TestBeacon, type TestClient } from "../support/harness";
import {
  act,
  createService,
  expectRefusal,
  footprint,
  openIncident,
  refused,
  SIG,
} from "../support/incidents";
import { itemAt } from "../support/item-at";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = new Date("2026-03-02T08:00:00Z");

let t: TestBeacon;
let clock: ManualClock;
let manager: Person;
let agent: Person;

beforeAll(async () => {
  clock = new ManualClock(START);
  t = await startTestBeacon({
    clock,
    env: { BEACON_SESSION_TTL_HOURS: "2160", BEACON_SESSION_IDLE_MINUTES: "129600" },
  });
  manager = await t.user("INCIDENT_MANAGER", "Mia Manager");
  agent = await t.user("AGENT", "Ada Agent");
});

afterAll(async () => {
  await t?.stop();
});

const RESOLVE_TYPES: Record<string, string> = {
  id: "ID!",
  expectedVersion: "Int!",
  code: "ResolutionCode!",
  notes: "String!",
  publicMessage: "String",
  restoreServices: "Boolean",
};
/** The variable list for exactly these arguments (GraphQL refuses unused variables). */
const resolveSig = (args: Record<string, unknown>) =>
  Object.keys(args)
    .map((k) => `$${k}: ${RESOLVE_TYPES[k]}`)
    .join(", ");
const POST =
  "mutation($id: ID!, $s: PublicStatus!, $m: String!, $n: DateTime) { postPublicUpdate(incidentId: $id, status: $s, message: $m, nextUpdateBy: $n) { id status message nextUpdateBy } }";

interface PublicIncident {
  id: string;
  title: string;
  status: string;
  impact: string;
  nextUpdateBy: string | null;
  services: { slug: string; status: string }[];
  updates: { status: string; message: string; nextUpdateBy: string | null }[];
}
interface Summary {
  seq: string;
  indicator: string;
  description: string;
  services: { id: string; slug: string; status: string }[];
  activeIncidents: PublicIncident[];
  recentlyResolved: PublicIncident[];
}
const PUBLIC_INCIDENT =
  "id title status impact nextUpdateBy services { slug status } updates { status message nextUpdateBy }";

async function summary(client: TestClient = t.anon): Promise<Summary> {
  const d = await client.ok<{ statusSummary: Summary }>(
    `{ statusSummary { seq indicator description services { id slug status }
       activeIncidents { ${PUBLIC_INCIDENT} } recentlyResolved { ${PUBLIC_INCIDENT} } } }`,
  );
  return d.statusSummary;
}

const statusOf = async (id: string) => (await summary()).services.find((s) => s.id === id)?.status;

async function serviceCount(): Promise<{ incidents: number; events: number; changes: number }> {
  const db = t.started.beacon.db;
  const [i] = await db.query("SELECT count(*)::int AS n FROM incident");
  const [e] = await db.query("SELECT count(*)::int AS n FROM event");
  const [c] = await db.query("SELECT count(*)::int AS n FROM change_record");
  return { incidents: i.n, events: e.n, changes: c.n };
}

async function startWork(id: string, expectedVersion: number) {
  return act(manager, "startWork", SIG.id, { id, expectedVersion });
}

async function resolve(id: string, expectedVersion: number, extra: Record<string, unknown> = {}) {
  const args = {
    id,
    expectedVersion,
    code: "WORKAROUND",
    notes: "Failed over to the standby database",
    ...extra,
  };
  return act(manager, "resolveIncident", resolveSig(args), args);
}

describe("incidents move their services in the same command", () => {
  let checkout: string;
  let search: string;
  let incidentId: string;

  it("opening a public P1 with service impacts sets them, documented, live and in one story", async () => {
    checkout = await createService(t.admin, "Checkout");
    search = await createService(t.admin, "Search");
    clock.advance(HOUR); // 09:00
    const { seq } = await summary();
    const i = await openIncident(manager, {
      title: "db-7 split brain",
      publicTitle: "Checkout is failing",
      impact: "HIGH",
      urgency: "HIGH",
      public: true,
      serviceImpacts: [
        { serviceId: checkout, status: "MAJOR_OUTAGE" },
        { serviceId: search, status: "DEGRADED_PERFORMANCE" },
      ],
    });
    incidentId = i.id;
    expect(i.priority).toBe("P1");
    expect(i.services.map((s) => s.id).sort()).toEqual([checkout, search].sort());

    const s = await summary();
    expect(s.services.find((x) => x.id === checkout)?.status).toBe("MAJOR_OUTAGE");
    expect(s.services.find((x) => x.id === search)?.status).toBe("DEGRADED_PERFORMANCE");
    expect(s.indicator).toBe("CRITICAL");
    expect(s.activeIncidents).toHaveLength(1);
    const card = itemAt(s.activeIncidents, 0);
    expect(card).toMatchObject({ title: "Checkout is failing", status: "INVESTIGATING", impact: "CRITICAL" });
    expect(card.services.map((x) => x.status).sort()).toEqual(["DEGRADED_PERFORMANCE", "MAJOR_OUTAGE"]);
    // The internal title never reaches the public side.
    expect(JSON.stringify(s)).not.toContain("split brain");

    // Documented in each service's history, by the responder, naming the incident.
    const h = await manager.ok<{ service: { history: { description: string; authorName: string }[] } }>(
      "query($id: ID!) { service(id: $id) { history { description authorName } } }",
      { id: checkout },
    );
    expect(h.service.history.at(-1)).toEqual({
      description: `Status of "Checkout" changed from Operational to Major Outage (${i.number})`,
      authorName: "Mia Manager",
    });
    // ... and on the incident's own history.
    const ih = await manager.ok<{ incident: { history: { description: string }[] } }>(
      "query($id: ID!) { incident(id: $id) { history { description } } }",
      { id: i.id },
    );
    expect(itemAt(ih.incident.history, 0).description).toContain("Checkout: Operational → Major Outage");

    // Live: the service changes and the incident arrive from the one command, in commit order.
    const live = t.anon.subscribe<{
      statusChanged: { seq: string; kind: string; service: { slug: string; status: string } | null };
    }>("subscription($since: String) { statusChanged(since: $since) { seq kind service { slug status } } }", {
      since: seq,
    });
    const events = (await live.waitFor(3)).map((e) => e.statusChanged);
    await live.close();
    expect(events.map((e) => e.kind)).toEqual([
      "SERVICE_STATUS_CHANGED",
      "SERVICE_STATUS_CHANGED",
      "INCIDENT_PUBLISHED",
    ]);
    expect(events.slice(0, 2).map((e) => e.service)).toEqual(
      expect.arrayContaining([
        { slug: "checkout", status: "MAJOR_OUTAGE" },
        { slug: "search", status: "DEGRADED_PERFORMANCE" },
      ]),
    );
  });

  it("uptime counts the incident's time per service, with the public title on the bar", async () => {
    clock.advance(6 * HOUR); // 15:00; the services exist since 08:00
    const d = await manager.ok<{
      services: {
        id: string;
        uptime: { downtimeMinutes: number; worstStatus: string; incidents: string[] }[];
      }[];
    }>("{ services { id uptime(days: 1) { downtimeMinutes worstStatus incidents } } }");
    const bar = (id: string) => itemAt(d.services.find((s) => s.id === id)!.uptime, 0);
    expect(bar(checkout)).toEqual({
      downtimeMinutes: 360,
      worstStatus: "MAJOR_OUTAGE",
      incidents: ["Checkout is failing"],
    });
    // Degraded performance is not downtime (Statuspage's rule), but it colours the day.
    expect(bar(search)).toMatchObject({ downtimeMinutes: 0, worstStatus: "DEGRADED_PERFORMANCE" });
  });

  it("an update moves the services it names; OPERATIONAL means that one recovered", async () => {
    const i = await act(
      manager,
      "updateIncident",
      "$id: ID!, $expectedVersion: Int!, $input: UpdateIncidentInput!",
      {
        id: incidentId,
        expectedVersion: 1,
        input: { serviceImpacts: [{ serviceId: search, status: "PARTIAL_OUTAGE" }] },
      },
    );
    expect(i.version).toBe(2);
    expect(await statusOf(search)).toBe("PARTIAL_OUTAGE");
    expect(await statusOf(checkout)).toBe("MAJOR_OUTAGE");
    await act(manager, "updateIncident", "$id: ID!, $expectedVersion: Int!, $input: UpdateIncidentInput!", {
      id: incidentId,
      expectedVersion: 2,
      input: { serviceImpacts: [{ serviceId: search, status: "OPERATIONAL" }] },
    });
    expect(await statusOf(search)).toBe("OPERATIONAL");
    expect(await statusOf(checkout)).toBe("MAJOR_OUTAGE");
  });

  it("a service two incidents hurt shows the worse, and is released only when both let go", async () => {
    const other = await openIncident(manager, {
      title: "Payment provider slow",
      public: true,
      serviceImpacts: [{ serviceId: checkout, status: "DEGRADED_PERFORMANCE" }],
    });
    expect(await statusOf(checkout)).toBe("MAJOR_OUTAGE");
    await startWork(incidentId, 3);
    await resolve(incidentId, 4);
    // The other incident still says degraded.
    expect(await statusOf(checkout)).toBe("DEGRADED_PERFORMANCE");
    await startWork(other.id, 1);
    await resolve(other.id, 2);
    expect(await statusOf(checkout)).toBe("OPERATIONAL");
    expect((await summary()).indicator).toBe("NONE");
  });

  it("restoreServices: false leaves the services as they are", async () => {
    const i = await openIncident(manager, {
      public: true,
      serviceImpacts: [{ serviceId: search, status: "PARTIAL_OUTAGE" }],
    });
    await startWork(i.id, 1);
    const r = await resolve(i.id, 2, { restoreServices: false });
    expect(r.state).toBe("RESOLVED");
    expect(await statusOf(search)).toBe("PARTIAL_OUTAGE");
    await t.admin.ok(
      "mutation($id: ID!) { setServiceStatus(serviceId: $id, status: OPERATIONAL) { status } }",
      {
        id: search,
      },
    );
  });

  it("reopening puts the services back in their outage; canceling and withdrawing release them", async () => {
    const i = await openIncident(manager, {
      public: true,
      serviceImpacts: [{ serviceId: checkout, status: "PARTIAL_OUTAGE" }],
    });
    await startWork(i.id, 1);
    await resolve(i.id, 2);
    expect(await statusOf(checkout)).toBe("OPERATIONAL");
    await act(manager, "reopenResolvedIncident", SIG.reason, {
      id: i.id,
      expectedVersion: 3,
      reason: "Back again",
    });
    expect(await statusOf(checkout)).toBe("PARTIAL_OUTAGE");
    await act(manager, "updateIncident", "$id: ID!, $expectedVersion: Int!, $input: UpdateIncidentInput!", {
      id: i.id,
      expectedVersion: 4,
      input: { public: false },
    });
    expect(await statusOf(checkout)).toBe("OPERATIONAL");
    await act(manager, "updateIncident", "$id: ID!, $expectedVersion: Int!, $input: UpdateIncidentInput!", {
      id: i.id,
      expectedVersion: 5,
      input: { public: true },
    });
    expect(await statusOf(checkout)).toBe("PARTIAL_OUTAGE");

    const mistaken = await openIncident(manager, {
      public: true,
      serviceImpacts: [{ serviceId: search, status: "MAJOR_OUTAGE" }],
    });
    expect(await statusOf(search)).toBe("MAJOR_OUTAGE");
    await act(manager, "cancelIncident", SIG.reason, {
      id: mistaken.id,
      expectedVersion: 1,
      reason: "Duplicate",
    });
    expect(await statusOf(search)).toBe("OPERATIONAL");
    await resolve(i.id, 6);
    expect(await statusOf(checkout)).toBe("OPERATIONAL");
  });

  it("refuses bad service impacts and changes nothing", async () => {
    const before = await serviceCount();
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [
        { serviceImpacts: [{ serviceId: checkout, status: "MAJOR_OUTAGE" }] },
        "BAD_USER_INPUT",
        /not on the status page.*Publish it/,
      ],
      [
        { public: true, serviceImpacts: [{ serviceId: checkout, status: "UNDER_MAINTENANCE" }] },
        "BAD_USER_INPUT",
        /planned work/,
      ],
      [
        {
          public: true,
          serviceImpacts: [
            { serviceId: checkout, status: "MAJOR_OUTAGE" },
            { serviceId: checkout, status: "PARTIAL_OUTAGE" },
          ],
        },
        "BAD_USER_INPUT",
        /listed twice/,
      ],
      [
        {
          public: true,
          serviceImpacts: [{ serviceId: "00000000-0000-4000-8000-000000000000", status: "MAJOR_OUTAGE" }],
        },
        "NOT_FOUND",
        /No service with id/,
      ],
      [{ public: true, publicTitle: "x".repeat(201) }, "BAD_USER_INPUT", /publicTitle/],
    ];
    for (const [input, code, message] of cases) {
      const e = await refused(manager, "openIncident", "$input: OpenIncidentInput!", {
        input: { title: "Nope", description: "Nope", impact: "LOW", urgency: "LOW", ...input },
      });
      expect(e.code, e.message).toBe(code);
      expect(e.message).toMatch(message);
    }
    expect(await serviceCount()).toEqual(before);
    expect(await statusOf(checkout)).toBe("OPERATIONAL");

    // A resolved incident no longer puts its services in an outage.
    const i = await openIncident(manager, { public: true });
    await startWork(i.id, 1);
    await resolve(i.id, 2);
    await expectRefusal(
      t,
      i.id,
      "INVALID_TRANSITION",
      () =>
        refused(manager, "updateIncident", "$id: ID!, $expectedVersion: Int!, $input: UpdateIncidentInput!", {
          id: i.id,
          expectedVersion: 3,
          input: { serviceImpacts: [{ serviceId: checkout, status: "MAJOR_OUTAGE" }] },
        }),
      /is resolved.*reopen the incident/,
    );
    expect(await statusOf(checkout)).toBe("OPERATIONAL");
  });
});

describe("public wording", () => {
  it("the public title is what customers see; blank goes back to the title", async () => {
    const i = await openIncident(manager, {
      title: "ORA-00600 on ledger",
      publicTitle: "Invoices are delayed",
      public: true,
    });
    expect((await summary()).activeIncidents.find((x) => x.id === i.id)?.title).toBe("Invoices are delayed");
    const withTitle = await agent.ok<{ incident: { publicTitle: string | null } }>(
      "query($id: ID!) { incident(id: $id) { publicTitle } }",
      { id: i.id },
    );
    expect(withTitle.incident.publicTitle).toBe("Invoices are delayed");
    const UPDATE = "$id: ID!, $expectedVersion: Int!, $input: UpdateIncidentInput!";
    // What customers read is published, by an incident manager (one permission, docs/permissions.md).
    const byAgent = await refused(agent, "updateIncident", UPDATE, {
      id: i.id,
      expectedVersion: 1,
      input: { publicTitle: "Something else" },
    });
    expect(byAgent).toMatchObject({ code: "FORBIDDEN" });
    await act(manager, "updateIncident", UPDATE, {
      id: i.id,
      expectedVersion: 1,
      input: { publicTitle: "  " },
    });
    expect((await summary()).activeIncidents.find((x) => x.id === i.id)?.title).toBe("ORA-00600 on ledger");
    await act(manager, "cancelIncident", SIG.reason, { id: i.id, expectedVersion: 2, reason: "Test" });
  });

  it("resolving posts the responder's closing message publicly and shows it on the room's timeline", async () => {
    const i = await openIncident(manager, { public: true });
    await startWork(i.id, 1);
    await resolve(i.id, 2, {
      publicMessage: "Checkout works again. Orders placed during the outage went through.",
    });
    const d = await manager.ok<{
      incident: { timeline: { kind: string; data: Record<string, unknown> | null }[] };
      publicIncident: PublicIncident;
    }>(
      `query($id: ID!) { incident(id: $id) { timeline { kind data } } publicIncident(id: $id) { ${PUBLIC_INCIDENT} } }`,
      {
        id: i.id,
      },
    );
    expect(d.publicIncident.status).toBe("RESOLVED");
    expect(d.publicIncident.updates[0]).toEqual({
      status: "RESOLVED",
      message: "Checkout works again. Orders placed during the outage went through.",
      nextUpdateBy: null,
    });
    const entry = itemAt(d.incident.timeline, -1);
    expect(entry.data).toMatchObject({
      command: "resolve",
      publicUpdate: {
        status: "RESOLVED",
        message: "Checkout works again. Orders placed during the outage went through.",
      },
    });
    expect(typeof entry.data?.publicUpdateId).toBe("string");
  });

  it("without a closing message the default sentence is posted", async () => {
    const i = await openIncident(manager, { public: true });
    await startWork(i.id, 1);
    await resolve(i.id, 2);
    const d = await t.anon.ok<{ publicIncident: PublicIncident }>(
      `query($id: ID!) { publicIncident(id: $id) { ${PUBLIC_INCIDENT} } }`,
      { id: i.id },
    );
    expect(d.publicIncident.updates[0]?.message).toBe(DEFAULT_CLOSING_MESSAGE);
  });

  it("refuses a closing message for an incident that is not public, changing nothing", async () => {
    const i = await openIncident(manager, {});
    await startWork(i.id, 1);
    const notPublic = {
      id: i.id,
      expectedVersion: 2,
      code: "WORKAROUND",
      notes: "n",
      publicMessage: "All good",
    };
    await expectRefusal(
      t,
      i.id,
      "BAD_USER_INPUT",
      () => refused(manager, "resolveIncident", resolveSig(notPublic), notPublic),
      /not on the status page.*leave the closing public message empty/,
    );
  });

  it("a public update may promise the next one; the card shows it until resolved", async () => {
    const i = await openIncident(manager, { public: true });
    const at = new Date(clock.now().getTime() + 30 * 60_000).toISOString();
    const d = await manager.ok<{ postPublicUpdate: { nextUpdateBy: string } }>(POST, {
      id: i.id,
      s: "IDENTIFIED",
      m: "We found the cause.",
      n: at,
    });
    expect(d.postPublicUpdate.nextUpdateBy).toBe(at);
    const card = (await summary()).activeIncidents.find((x) => x.id === i.id)!;
    expect(card.nextUpdateBy).toBe(at);
    expect(card.updates[0]?.nextUpdateBy).toBe(at);

    for (const [n, s, message] of [
      [new Date(clock.now().getTime() - 60_000).toISOString(), "MONITORING", /in the past/],
      [new Date(clock.now().getTime() + 73 * HOUR).toISOString(), "MONITORING", /more than 72 hours/],
      [at, "RESOLVED", /leave the next update time empty/],
    ] as const) {
      await expectRefusal(
        t,
        i.id,
        "BAD_USER_INPUT",
        () => manager.fails(POST, { id: i.id, s, m: "x", n }),
        message,
      );
    }
    await act(manager, "cancelIncident", SIG.reason, { id: i.id, expectedVersion: 2, reason: "Test" });
  });
});

describe("the public status cannot go back from RESOLVED", () => {
  it("refuses a stale 'Investigating' after resolution, accepts a Resolved wrap-up, and reopening is the way back", async () => {
    const i = await openIncident(manager, { public: true });
    await startWork(i.id, 1);
    await resolve(i.id, 2);
    const error = await expectRefusal(
      t,
      i.id,
      "INVALID_TRANSITION",
      () => manager.fails(POST, { id: i.id, s: "INVESTIGATING", m: "Still looking" }),
      /is resolved, so its status page entry stays "Resolved" and cannot go back to "Investigating"/,
    );
    expect(error.message).toContain("reopen the incident first");
    expect((await summary()).recentlyResolved.find((x) => x.id === i.id)?.status).toBe("RESOLVED");

    await manager.ok(POST, { id: i.id, s: "RESOLVED", m: "Wrap-up: root cause was a full disk." });
    await act(manager, "reopenResolvedIncident", SIG.reason, {
      id: i.id,
      expectedVersion: 4,
      reason: "Back",
    });
    await manager.ok(POST, { id: i.id, s: "IDENTIFIED", m: "Same disk again." });
    expect((await summary()).activeIncidents.find((x) => x.id === i.id)?.status).toBe("IDENTIFIED");
    const f = await footprint(t, i.id);
    expect(f.publicUpdates).toBe(4); // resolved, wrap-up, reopened, identified
  });
});

describe("resolved incidents stay on / for BEACON_RECENT_DAYS (default 3)", () => {
  it("lists a resolved incident under recentlyResolved, after a reload as live, until the days pass", async () => {
    const i = await openIncident(manager, { public: true, publicTitle: "Login slow" });
    await startWork(i.id, 1);
    clock.advance(60_000); // resolved after every other incident of this file
    await resolve(i.id, 2);
    const s = await summary();
    expect(s.activeIncidents.map((x) => x.id)).not.toContain(i.id);
    expect(s.recentlyResolved[0]).toMatchObject({ id: i.id, title: "Login slow", status: "RESOLVED" });

    clock.advance(3 * DAY - 60_000);
    // Signed-in reads are never served from the public snapshot: they see the clock at once.
    expect((await summary(manager)).recentlyResolved.map((x) => x.id)).toContain(i.id);
    clock.advance(2 * 60_000);
    expect((await summary(manager)).recentlyResolved.map((x) => x.id)).not.toContain(i.id);
  });
});

describe("closing is a checklist in the war room's words", () => {
  it("closureRequirements lists each requirement, met or not, and ticks as they are done", async () => {
    const REQ =
      "query($id: ID!) { incident(id: $id) { version closureRequirements { key label met detail } } }";
    type Req = { key: string; label: string; met: boolean; detail: string | null };
    const reqs = async (id: string) =>
      (await manager.ok<{ incident: { version: number; closureRequirements: Req[] } }>(REQ, { id })).incident;
    const i = await openIncident(manager, { impact: "HIGH", urgency: "HIGH" });
    await startWork(i.id, 1);
    let r = await reqs(i.id);
    expect(r.closureRequirements.map((x) => [x.key, x.met])).toEqual([
      ["RESOLVED", false],
      ["CUSTOMER_CONFIRMATION_OR_ATTEMPTS", false],
      ["REVIEW", false],
      ["PROBLEM", false],
    ]);
    expect(itemAt(r.closureRequirements, 1).detail).toBe(
      "0 of 3 attempts, 0 of 2 methods, 0 of 5 business days",
    );

    const early = await expectRefusal(
      t,
      i.id,
      "INVALID_TRANSITION",
      () => refused(manager, "closeIncident", SIG.id, { id: i.id, expectedVersion: 2 }),
      /cannot be closed yet: it is in progress.*"Resolve", then work through the closure checklist/,
    );
    expect(early.message).not.toMatch(/resolveIncident|IN_PROGRESS/);

    await resolve(i.id, 2);
    const refusal = await expectRefusal(
      t,
      i.id,
      "REQUIREMENT_NOT_MET",
      () => refused(manager, "closeIncident", SIG.id, { id: i.id, expectedVersion: 3 }),
      /^Not ready to close yet\. Record the customer's confirmation \("Confirm resolution"\)/,
    );
    // The UI's words, never API names.
    expect(refusal.message).not.toMatch(
      /\((confirmResolution|logContactAttempt|completeReview|linkProblem)\)/,
    );

    await act(manager, "confirmResolution", "$id: ID!, $expectedVersion: Int!", {
      id: i.id,
      expectedVersion: 3,
    });
    r = await reqs(i.id);
    expect(r.closureRequirements.map((x) => [x.key, x.met])).toEqual([
      ["RESOLVED", true],
      ["CUSTOMER_CONFIRMATION_OR_ATTEMPTS", true],
      ["REVIEW", false],
      ["PROBLEM", false],
    ]);
    expect(r.closureRequirements.every((x) => x.label.length > 10)).toBe(true);
  });

  it("a P4 needs only the resolution and the customer; a canceled incident lists nothing", async () => {
    const i = await openIncident(manager, { impact: "LOW", urgency: "LOW" });
    const d = await manager.ok<{ incident: { closureRequirements: { key: string }[] } }>(
      "query($id: ID!) { incident(id: $id) { closureRequirements { key } } }",
      { id: i.id },
    );
    expect(d.incident.closureRequirements.map((x) => x.key)).toEqual([
      "RESOLVED",
      "CUSTOMER_CONFIRMATION_OR_ATTEMPTS",
    ]);
    await act(manager, "cancelIncident", SIG.reason, { id: i.id, expectedVersion: 1, reason: "Mistake" });
    const c = await manager.ok<{ incident: { closureRequirements: unknown[] } }>(
      "query($id: ID!) { incident(id: $id) { closureRequirements { key } } }",
      { id: i.id },
    );
    expect(c.incident.closureRequirements).toEqual([]);
  });
});
