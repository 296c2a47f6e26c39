import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../server/kernel/clock";
import { startTestBeacon, type TestBeacon } from "../support/harness";
import { act, openIncident, resolveIncident, SIG } from "../support/incidents";

// incidents(orderBy: DUE_SOONEST) (docs/service-levels.md): the stored next due time ascending,
// overdue first, incidents with no clock running last (newest first among them), paged with keyset
// cursors. An injected clock places the incidents in time; nothing waits.

const LONG_SESSIONS = { BEACON_SESSION_TTL_HOURS: "2160", BEACON_SESSION_IDLE_MINUTES: "129600" };
const MIN = 60_000;

const LIST = /* GraphQL */ `
  query($first: Int, $after: String, $orderBy: IncidentOrder, $f: IncidentFilter) {
    incidents(first: $first, after: $after, orderBy: $orderBy, filter: $f) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id title state sla { nextDueAt acknowledge { dueAt } resolve { dueAt } } } }
    }
  }`;

interface Node {
  id: string;
  title: string;
  state: string;
  sla: { nextDueAt: string | null; acknowledge: { dueAt: string | null }; resolve: { dueAt: string | null } };
}
interface Page {
  incidents: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: Node }[];
  };
}

let t: TestBeacon;
// A Monday 10:00 UTC a few weeks ahead of real time: the real timers stay far away.
const start = new Date();
start.setUTCDate(start.getUTCDate() + 28 + ((8 - start.getUTCDay()) % 7));
start.setUTCHours(10, 0, 0, 0);
const clock = new ManualClock(start);
const at = (minutes: number) => new Date(start.getTime() + minutes * MIN);

beforeAll(async () => {
  t = await startTestBeacon({
    clock,
    env: { ...LONG_SESSIONS, BEACON_TIME_ZONE: "UTC", BEACON_BUSINESS_HOURS: "09:00-17:00" },
  });
}, 60_000);
afterAll(async () => {
  await t?.stop();
});

const page = (variables: Record<string, unknown>) => t.admin.ok<Page>(LIST, variables);

/** Every page from the start, `first` at a time: the titles in order and the pages' sizes. */
async function walk(orderBy: string | undefined, first: number, f?: Record<string, unknown>) {
  const titles: string[] = [];
  const sizes: number[] = [];
  let after: string | null = null;
  for (;;) {
    const p: Page = await page({ first, after, orderBy, f });
    titles.push(...p.incidents.edges.map((e) => e.node.title));
    sizes.push(p.incidents.edges.length);
    if (!p.incidents.pageInfo.hasNextPage) return { titles, sizes, totalCount: p.incidents.totalCount };
    after = p.incidents.pageInfo.endCursor;
  }
}

const ids: Record<string, string> = {};
const versions: Record<string, number> = {};

async function open(title: string, minute: number, impact: string, urgency: string): Promise<string> {
  clock.set(at(minute));
  const i = await openIncident(t.admin, { title, impact, urgency });
  ids[title] = i.id;
  versions[title] = i.version;
  return i.id;
}
async function step(title: string, name: string, signature: string, args: Record<string, unknown> = {}) {
  const i = await act(t.admin, name, signature, {
    id: ids[title],
    expectedVersion: versions[title],
    ...args,
  });
  versions[title] = i.version;
}
const HOLD = `${SIG.id}, $reason: HoldReason!, $note: String!`;

describe("incidents(orderBy: DUE_SOONEST)", () => {
  beforeAll(async () => {
    // Monday, from 10:00 (P1 15 min / 4 h, P2 30 min / 8 h, 24x7; P3 4 / 24 and P4 8 / 40 business h).
    await open("a P1 new", 0, "HIGH", "HIGH"); // acknowledge due 10:15
    await open("b P2 new", 5, "HIGH", "MEDIUM"); // acknowledge due 10:35
    await open("c P3 new", 10, "MEDIUM", "MEDIUM"); // acknowledge due 14:10 (business)
    await open("d P4 new", 15, "LOW", "LOW"); // acknowledge due Tuesday 10:15 (business)
    await open("e P1 worked", 20, "HIGH", "HIGH");
    await step("e P1 worked", "startWork", SIG.id); // resolve due 14:20
    await open("f P2 on hold", 25, "HIGH", "MEDIUM");
    await step("f P2 on hold", "startWork", SIG.id);
    await step("f P2 on hold", "holdIncident", HOLD, { reason: "AWAITING_VENDOR", note: "Vendor ticket" });
    await open("g P3 resolved", 30, "MEDIUM", "MEDIUM");
    await step("g P3 resolved", "startWork", SIG.id);
    versions["g P3 resolved"] = (await resolveIncident(t.admin, ids["g P3 resolved"]!, 2)).version;
    await open("h P4 canceled", 35, "LOW", "LOW");
    await step("h P4 canceled", "cancelIncident", SIG.reason, { reason: "Opened twice" });
    // 11:00: a and b are overdue.
    clock.set(at(60));
  });

  it("orders overdue first, then by due time, those with no clock running last, newest first", async () => {
    const expected = [
      "a P1 new",
      "b P2 new",
      "c P3 new",
      "e P1 worked",
      "d P4 new",
      "h P4 canceled",
      "g P3 resolved",
      "f P2 on hold",
    ];
    // More incidents than one page: three pages of 3, the cursor carrying the order across the
    // running/none boundary (page 2) and within the incidents with none (page 3).
    const walked = await walk("DUE_SOONEST", 3);
    expect(walked).toEqual({ titles: expected, sizes: [3, 3, 2], totalCount: 8 });
    expect((await walk("DUE_SOONEST", 50)).titles).toEqual(expected);

    // The key is the earlier of the running clocks' due times, as the clocks themselves say.
    const all = await page({ orderBy: "DUE_SOONEST" });
    for (const { node } of all.incidents.edges) {
      const dues = [node.sla.acknowledge.dueAt, node.sla.resolve.dueAt].filter((d) => d !== null);
      const soonest = dues.length
        ? new Date(Math.min(...dues.map((d) => Date.parse(d)))).toISOString()
        : null;
      expect(node.sla.nextDueAt, node.title).toBe(soonest);
    }
    const due = Object.fromEntries(all.incidents.edges.map((e) => [e.node.title, e.node.sla.nextDueAt]));
    expect(due).toMatchObject({
      "a P1 new": at(15).toISOString(),
      "e P1 worked": at(20 + 240).toISOString(),
      "d P4 new": at(24 * 60 + 15).toISOString(),
      "f P2 on hold": null,
      "g P3 resolved": null,
      "h P4 canceled": null,
    });

    // With a filter: the open ones only, same order, same paging.
    const open = await walk("DUE_SOONEST", 2, { states: ["NEW", "ASSIGNED", "IN_PROGRESS", "ON_HOLD"] });
    expect(open).toEqual({
      titles: ["a P1 new", "b P2 new", "c P3 new", "e P1 worked", "d P4 new", "f P2 on hold"],
      sizes: [2, 2, 2],
      totalCount: 6,
    });
    // NEWEST is still the default, and unchanged.
    expect((await walk(undefined, 3)).titles).toEqual([...expected].sort().reverse());
    expect((await walk("NEWEST", 5)).titles).toEqual([...expected].sort().reverse());
  });

  it("a page after a cursor is stable: an incident added before it shifts nothing", async () => {
    const first = await page({ first: 3, orderBy: "DUE_SOONEST" });
    expect(first.incidents.edges.map((e) => e.node.title)).toEqual(["a P1 new", "b P2 new", "c P3 new"]);
    // 11:00 + 15 min: due before c, i.e. on the page already read.
    await open("i P1 late", 60, "HIGH", "HIGH");
    const second = await page({
      first: 3,
      orderBy: "DUE_SOONEST",
      after: first.incidents.pageInfo.endCursor,
    });
    expect(second.incidents.edges.map((e) => e.node.title)).toEqual([
      "e P1 worked",
      "d P4 new",
      "h P4 canceled",
    ]);
    expect(second.incidents.totalCount).toBe(9);
    const again = await page({ first: 3, orderBy: "DUE_SOONEST" });
    expect(again.incidents.edges.map((e) => e.node.title)).toEqual(["a P1 new", "b P2 new", "i P1 late"]);
  });

  it("a hold moves an incident to the end; the resume brings it back, due later by the hold", async () => {
    clock.set(at(70));
    await step("e P1 worked", "holdIncident", HOLD, { reason: "AWAITING_CALLER", note: "Need logs" });
    expect((await walk("DUE_SOONEST", 4)).titles).toEqual([
      "a P1 new",
      "b P2 new",
      "i P1 late",
      "c P3 new",
      "d P4 new",
      "h P4 canceled",
      "g P3 resolved",
      "f P2 on hold",
      "e P1 worked",
    ]);
    clock.set(at(100)); // 30 min on hold: resolve due 14:50, still before d
    await step("e P1 worked", "resumeIncident", SIG.id);
    const back = await page({ first: 50, orderBy: "DUE_SOONEST" });
    expect(back.incidents.edges.map((e) => e.node.title)).toEqual([
      "a P1 new",
      "b P2 new",
      "i P1 late",
      "c P3 new",
      "e P1 worked",
      "d P4 new",
      "h P4 canceled",
      "g P3 resolved",
      "f P2 on hold",
    ]);
    const e = back.incidents.edges.find((x) => x.node.title === "e P1 worked")!;
    expect(e.node.sla.nextDueAt).toBe(at(20 + 240 + 30).toISOString());
  });

  it("refuses bad input as before, and a cursor of the other order", async () => {
    for (const first of [0, -1, 101]) {
      const e = await t.admin.fails(LIST, { first, orderBy: "DUE_SOONEST" });
      expect(e.code, String(first)).toBe("BAD_USER_INPUT");
      expect(e.message).toContain("first must be between 1 and 100");
    }
    expect((await t.admin.fails(LIST, { after: "garbage", orderBy: "DUE_SOONEST" })).code).toBe(
      "BAD_USER_INPUT",
    );
    const newest = await page({ first: 1 });
    const due = await page({ first: 1, orderBy: "DUE_SOONEST" });
    const crossed = await t.admin.fails(LIST, {
      orderBy: "DUE_SOONEST",
      after: newest.incidents.pageInfo.endCursor,
    });
    expect(crossed.code).toBe("BAD_USER_INPUT");
    expect(crossed.message).toContain("orderBy: DUE_SOONEST");
    expect((await t.admin.fails(LIST, { after: due.incidents.pageInfo.endCursor })).code).toBe(
      "BAD_USER_INPUT",
    );
    expect((await t.admin.fails(LIST, { orderBy: "SOONEST" })).code).toBe("BAD_USER_INPUT");
    expect((await t.anon.fails(LIST, { orderBy: "DUE_SOONEST" })).code).toBe("UNAUTHENTICATED");
  });
});
