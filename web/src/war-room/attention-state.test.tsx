import { describe, expect, it } from "vitest";
import { IncidentState, Priority, Role } from "../../../server/domain/vocabulary";
import { applyAttentionEvent, mayNotify, newArrivals } from "./attention-state";
import {
  type AttentionPerson,
  applyIncidentEvent,
  DEFAULT_FILTER,
  defaultFilter,
  isMine,
  matchesFilter,
  toIncidentFilter,
} from "./incidents-state";
import type { IncidentSummary } from "./queries";
import { SETTLED_SLA } from "./sla-state";

const summary = (over: Partial<IncidentSummary> = {}): IncidentSummary => ({
  id: "i1",
  number: "INC-000001",
  title: "Checkout down",
  priority: Priority.P1,
  major: true,
  state: IncidentState.ASSIGNED,
  version: 2,
  public: false,
  services: [],
  owner: { id: "agent", name: "Ann Agent" },
  queue: { id: "q-net", name: "Network" },
  assignee: null,
  category: null,
  createdAt: "2026-12-01T10:00:00Z",
  updatedAt: "2026-12-01T10:00:00Z",
  sla: SETTLED_SLA,
  ...over,
});

const rita: AttentionPerson = { id: "rita", role: Role.RESPONDER, queueIds: ["q-net"] };
const outsider: AttentionPerson = { id: "otto", role: Role.RESPONDER, queueIds: ["q-db"] };

describe("needs-me view and 'mine' on the live list", () => {
  it("is the default for responders only", () => {
    expect(defaultFilter(Role.RESPONDER).needsMe).toBe(true);
    expect(defaultFilter(Role.AGENT).needsMe).toBe(false);
    expect(defaultFilter(Role.INCIDENT_MANAGER).needsMe).toBe(false);
    expect(toIncidentFilter(defaultFilter(Role.RESPONDER))).toMatchObject({ needsMe: true });
  });

  it("a P1 waiting in my queue is mine and needs me; not someone else's queue", () => {
    const p1 = summary();
    expect(isMine(p1, rita)).toBe(true);
    expect(isMine(p1, outsider)).toBe(false);
    const view = { ...DEFAULT_FILTER, needsMe: true };
    expect(matchesFilter(p1, view, rita)).toBe(true);
    expect(matchesFilter(p1, view, outsider)).toBe(false);
    expect(matchesFilter(p1, { ...DEFAULT_FILTER, mine: true }, rita)).toBe(true);
    // Someone else acknowledged it: it leaves my "needs me" view.
    const taken = summary({
      state: IncidentState.IN_PROGRESS,
      assignee: { id: "sam", name: "Sam" },
      version: 3,
    });
    expect(matchesFilter(taken, view, rita)).toBe(false);
  });

  it("live events: a P1 arriving in my queue joins 'Needs me'; acknowledged by another, it leaves", () => {
    const view = { ...DEFAULT_FILTER, needsMe: true };
    const empty = { items: [], totalCount: 0, hasNextPage: false, endCursor: null };
    const arrived = applyIncidentEvent(empty, { seq: "5", at: "", incident: summary() }, view, rita);
    expect(arrived.items.map((i) => i.id)).toEqual(["i1"]);
    const taken = summary({
      state: IncidentState.IN_PROGRESS,
      assignee: { id: "sam", name: "Sam" },
      version: 3,
    });
    const left = applyIncidentEvent(arrived, { seq: "6", at: "", incident: taken }, view, rita);
    expect(left.items).toEqual([]);
    // I acknowledged it myself: it stays, now assigned to me.
    const mine = summary({
      state: IncidentState.IN_PROGRESS,
      assignee: { id: "rita", name: "Rita" },
      version: 3,
    });
    expect(applyIncidentEvent(arrived, { seq: "6", at: "", incident: mine }, view, rita).items).toHaveLength(
      1,
    );
  });
});

describe("attention banner state", () => {
  it("keeps unacknowledged P1/P2 only, newest version wins", () => {
    const p1 = summary();
    let items = applyAttentionEvent([], p1);
    expect(items).toHaveLength(1);
    items = applyAttentionEvent(items, summary({ version: 1, state: IncidentState.IN_PROGRESS }));
    expect(items).toHaveLength(1);
    items = applyAttentionEvent(items, summary({ version: 3, state: IncidentState.IN_PROGRESS }));
    expect(items).toEqual([]);
    expect(applyAttentionEvent([], summary({ id: "p3", priority: Priority.P3 }))).toEqual([]);
  });

  it("notifies only for arrivals after the first look, and only when opted in and granted", () => {
    expect(newArrivals(null, [summary()])).toEqual([]);
    expect(newArrivals(new Set(["i1"]), [summary(), summary({ id: "i2" })]).map((i) => i.id)).toEqual(["i2"]);
    expect(mayNotify(false, "granted")).toBe(false);
    expect(mayNotify(true, "default")).toBe(false);
    expect(mayNotify(true, "denied")).toBe(false);
    expect(mayNotify(true, "granted")).toBe(true);
  });
});
