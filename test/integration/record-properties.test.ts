import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestBeacon, type TestBeacon } from "../support/harness";
import { createQueue, footprint, turnOffAutoClose } from "../support/incidents";

// Property: whatever sequence of commands, by whichever role, reaches the server, the record stays
// honest. After every step:
// - an accepted command that changed the incident left exactly one change record and one timeline
//   entry (an append — a note, a contact attempt — exactly one timeline entry and no change record);
//   an accepted command with nothing to change, and every refused one, left nothing at all;
// - a closed incident never changes again;
// - a close was only accepted when the requirements of the incident's PEAK priority were met;
// - both hash chains (history; timeline and public updates) verify.
// Seeded, so a failure replays; BEACON_PROPERTY_RUNS / BEACON_PROPERTY_SEED widen or vary it.

const RUNS = Number(process.env.BEACON_PROPERTY_RUNS ?? 40);
const SEED = Number(process.env.BEACON_PROPERTY_SEED ?? 20261201);
const STEPS = 40;

type Role = "owner" | "responder" | "manager" | "admin";

type Command =
  | { kind: "update"; impact: string; urgency: string; reason: boolean }
  | { kind: "assign" }
  | { kind: "acknowledge" }
  | { kind: "startWork" }
  | { kind: "hold" }
  | { kind: "resume" }
  | { kind: "resolve" }
  | { kind: "reopen" }
  | { kind: "confirm" }
  | { kind: "close" }
  | { kind: "cancel" }
  | { kind: "linkProblem" }
  | { kind: "completeReview"; noActionItems: boolean }
  | { kind: "note" }
  | { kind: "contact" };

const LEVEL = fc.constantFrom("HIGH", "MEDIUM", "LOW");
// Weighted towards the commands that move an incident on, so sequences often get as far as a close
// (uniform choices mostly collect refusals, which prove less).
const simple = (kind: Exclude<Command["kind"], "update" | "completeReview">, weight: number) => ({
  arbitrary: fc.constant({ kind } as Command),
  weight,
});
const command: fc.Arbitrary<Command> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant("update" as const),
      impact: LEVEL,
      urgency: LEVEL,
      reason: fc.boolean(),
    }),
    weight: 2,
  },
  simple("assign", 1),
  simple("acknowledge", 1),
  simple("startWork", 4),
  simple("hold", 1),
  simple("resume", 1),
  simple("resolve", 4),
  simple("reopen", 1),
  simple("confirm", 3),
  simple("close", 4),
  simple("cancel", 1),
  simple("linkProblem", 2),
  {
    arbitrary: fc.record({ kind: fc.constant("completeReview" as const), noActionItems: fc.boolean() }),
    weight: 3,
  },
  simple("note", 1),
  simple("contact", 1),
);
const step = fc.record({
  role: fc.oneof(
    { arbitrary: fc.constant<Role>("manager"), weight: 4 },
    { arbitrary: fc.constant<Role>("owner"), weight: 2 },
    { arbitrary: fc.constant<Role>("responder"), weight: 2 },
    { arbitrary: fc.constant<Role>("admin"), weight: 1 },
  ),
  command,
  // Now and then a stale expectedVersion: must be a CONFLICT that changes nothing.
  stale: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
});

const STATE =
  "id state version peakPriority major customerConfirmed problemReference problem { id } review { summary }";

/** The mutation, its variables and whether it is an append (timeline only, no change record). */
function callOf(
  c: Command,
  id: string,
  v: number,
  queueId: string,
): { gql: string; vars: Record<string, unknown>; append: boolean } {
  const m = (sig: string, call: string, vars: Record<string, unknown>, append = false) => ({
    gql: `mutation(${sig}) { ${call} { id } }`,
    vars,
    append,
  });
  const base = { id, v };
  switch (c.kind) {
    case "update":
      return m(
        "$id: ID!, $v: Int!, $input: UpdateIncidentInput!",
        "updateIncident(id: $id, expectedVersion: $v, input: $input)",
        {
          ...base,
          input: { impact: c.impact, urgency: c.urgency, ...(c.reason ? { reason: "Re-assessed" } : {}) },
        },
      );
    case "assign":
      return m("$id: ID!, $v: Int!, $q: ID!", "assignIncident(id: $id, expectedVersion: $v, queueId: $q)", {
        ...base,
        q: queueId,
      });
    case "acknowledge":
      return m("$id: ID!, $v: Int!", "acknowledgeIncident(id: $id, expectedVersion: $v)", base);
    case "startWork":
      return m("$id: ID!, $v: Int!", "startWork(id: $id, expectedVersion: $v)", base);
    case "hold":
      return m(
        "$id: ID!, $v: Int!",
        'holdIncident(id: $id, expectedVersion: $v, reason: AWAITING_VENDOR, note: "Vendor ticket")',
        base,
      );
    case "resume":
      return m("$id: ID!, $v: Int!", "resumeIncident(id: $id, expectedVersion: $v)", base);
    case "resolve":
      return m(
        "$id: ID!, $v: Int!",
        'resolveIncident(id: $id, expectedVersion: $v, code: WORKAROUND, notes: "Restarted")',
        base,
      );
    case "reopen":
      return m(
        "$id: ID!, $v: Int!",
        'reopenResolvedIncident(id: $id, expectedVersion: $v, reason: "Back")',
        base,
      );
    case "confirm":
      return m("$id: ID!, $v: Int!", "confirmResolution(id: $id, expectedVersion: $v)", base);
    case "close":
      return m("$id: ID!, $v: Int!", "closeIncident(id: $id, expectedVersion: $v)", base);
    case "cancel":
      return m(
        "$id: ID!, $v: Int!",
        'cancelIncident(id: $id, expectedVersion: $v, reason: "Duplicate")',
        base,
      );
    case "linkProblem":
      return m("$id: ID!, $v: Int!", 'linkProblem(id: $id, expectedVersion: $v, reference: "EXT-1")', base);
    case "completeReview":
      return m(
        "$id: ID!, $v: Int!, $none: Boolean",
        'completeReview(id: $id, expectedVersion: $v, summary: "S", rootCause: "R", lessons: "L", noActionItems: $none)',
        { ...base, none: c.noActionItems },
      );
    case "note":
      return m(
        "$id: ID!, $v: Int",
        'addNote(incidentId: $id, body: "Looking", expectedVersion: $v)',
        base,
        true,
      );
    case "contact":
      return m(
        "$id: ID!, $v: Int",
        "logContactAttempt(incidentId: $id, method: PHONE, reached: false, expectedVersion: $v)",
        base,
        true,
      );
  }
}

interface State {
  id: string;
  state: string;
  version: number;
  peakPriority: string;
  major: boolean;
  customerConfirmed: boolean;
  problemReference: string | null;
  problem: { id: string } | null;
  review: { summary: string } | null;
}

let t: TestBeacon;
// The built-in admin has no email or name of its own here; the actions only need a signed-in client.
let people: Record<Role, Omit<Person, "email" | "name">>;
let queueId: string;

beforeAll(async () => {
  t = await startTestBeacon();
  people = {
    owner: await t.user("AGENT", "Owen Owner"),
    responder: await t.user("RESPONDER", "Rae Responder"),
    manager: await t.user("INCIDENT_MANAGER", "Mia Manager"),
    admin: Object.assign(t.admin, { userId: "" }),
  };
  queueId = await createQueue(t.admin, "Property queue", [people.responder.userId]);
  // The property is about people's commands, one at a time. Closing by rule is Beacon's own command,
  // run by a job moments after a confirmation: under load it lands inside a step, which then appears
  // to have written twice. It is proven on its own in sla-clocks.
  await turnOffAutoClose(t.admin);
}, 120_000);

afterAll(() => t?.stop());

async function stateOf(id: string): Promise<State> {
  const d = await people.manager.ok<{ incident: State }>(
    `query($id: ID!) { incident(id: $id) { ${STATE} } }`,
    {
      id,
    },
  );
  return d.incident;
}

describe("the record under random command sequences by random roles (fast-check)", () => {
  it(`keeps every invariant over ${RUNS} sequences of up to ${STEPS} commands`, async () => {
    let accepted = 0;
    let refused = 0;
    let closes = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({ impact: LEVEL, urgency: LEVEL }),
        fc.array(step, { minLength: 15, maxLength: STEPS }),
        async (start, steps) => {
          const opened = await people.owner.ok<{ openIncident: { id: string } }>(
            "mutation($i: OpenIncidentInput!) { openIncident(input: $i) { id } }",
            { i: { title: "Property", description: "Generated", ...start } },
          );
          const id = opened.openIncident.id;
          for (const s of steps) {
            const foot = await footprint(t, id);
            const call = callOf(s.command, id, s.stale ? foot.version + 1 : foot.version, queueId);
            const r = await people[s.role].gql<Record<string, unknown>>(call.gql, call.vars);
            const after = await footprint(t, id);
            const { events: _e, updatedAt: _u, ...changed } = after;
            const { events: _e0, updatedAt: _u0, ...was } = foot;
            if (r.errors?.length) {
              refused++;
              const code = r.errors[0]?.extensions?.code;
              expect(code, `${s.command.kind} by ${s.role}: ${r.errors[0]?.message}`).not.toBe(
                "INTERNAL_SERVER_ERROR",
              );
              if (s.stale) expect(code).toBe("CONFLICT");
              expect(changed, `refused ${s.command.kind} by ${s.role} changed something`).toEqual(was);
              continue;
            }
            accepted++;
            expect(s.stale, `${s.command.kind} by ${s.role} accepted a stale expectedVersion`).toBe(false);
            expect(foot.state, `${s.command.kind} changed a closed incident`).not.toBe("CLOSED");
            const timelineAdded = after.timeline - foot.timeline;
            const historyAdded = after.history - foot.history;
            if (call.append) {
              expect({ timelineAdded, historyAdded, version: after.version }).toEqual({
                timelineAdded: 1,
                historyAdded: 0,
                version: foot.version,
              });
            } else if (after.version === foot.version) {
              // Accepted with nothing to change (e.g. an update to the same values): nothing written.
              expect(changed, `no-op ${s.command.kind} wrote something`).toEqual(was);
            } else {
              expect({ timelineAdded, historyAdded, version: after.version }).toEqual({
                timelineAdded: 1,
                historyAdded: 1,
                version: foot.version + 1,
              });
            }
            if (s.command.kind === "close") {
              closes++;
              const closed = await stateOf(id);
              expect(closed.state).toBe("CLOSED");
              // Customer confirmation is the only basis reachable here: contact attempts need days.
              expect(closed.customerConfirmed).toBe(true);
              if (closed.peakPriority === "P1" || closed.major) {
                expect(closed.review, "a major incident closed without a review").not.toBeNull();
                expect(
                  closed.problemReference ?? closed.problem,
                  "a major incident closed without a problem",
                ).not.toBeNull();
              }
            }
          }
          const chains = await people.manager.ok<{
            verifyIncidentHistory: { ok: boolean; message: string };
            verifyIncidentTimeline: { ok: boolean; message: string };
          }>(
            "query($id: ID!) { verifyIncidentHistory(id: $id) { ok message } verifyIncidentTimeline(id: $id) { ok message } }",
            { id },
          );
          expect(chains.verifyIncidentHistory.ok, chains.verifyIncidentHistory.message).toBe(true);
          expect(chains.verifyIncidentTimeline.ok, chains.verifyIncidentTimeline.message).toBe(true);
        },
      ),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    // The generator must actually reach the interesting paths, or the property proves little.
    // (Most random commands are refused by the lifecycle or the permission table; both kinds of
    // step must be well represented.)
    expect(accepted).toBeGreaterThan(RUNS);
    expect(refused).toBeGreaterThan(RUNS * 3);
    console.log(`property: ${accepted} accepted, ${refused} refused, ${closes} closes`);
    expect(closes).toBeGreaterThan(0);
  }, 600_000);
});
