import { describe, expect, it } from "vitest";
import {
  type AttentionIncident,
  type AttentionPerson,
  arrangeActions,
  DESTRUCTIVE,
  defaultListView,
  NEEDS_ME_WORDS,
  needsCommander,
  needsMe,
  STAGE_ACTIONS,
  titleWithCount,
  unacknowledgedMajor,
} from "../../../server/domain/attention";
import { availableCommands } from "../../../server/domain/lifecycle";
import { IncidentState, Priority, Role } from "../../../server/domain/vocabulary";

const ME = "me";
const OTHER = "other";
const Q = "queue-1";
const responder: AttentionPerson = { id: ME, role: Role.RESPONDER, queueIds: [Q] };
const manager: AttentionPerson = { id: ME, role: Role.INCIDENT_MANAGER, queueIds: [] };

const inc = (over: Partial<AttentionIncident> = {}): AttentionIncident => ({
  state: IncidentState.NEW,
  priority: Priority.P3,
  ownerId: OTHER,
  queueId: null,
  assigneeId: null,
  ...over,
});

describe("needsMe", () => {
  it.each([
    [
      "in my queue, nobody acknowledged",
      inc({ state: IncidentState.ASSIGNED, queueId: Q }),
      "AWAITING_ACKNOWLEDGEMENT",
    ],
    [
      "assigned to me, not acknowledged",
      inc({ state: IncidentState.ASSIGNED, queueId: "q2", assigneeId: ME }),
      "AWAITING_ACKNOWLEDGEMENT",
    ],
    [
      "in my queue but on a colleague",
      inc({ state: IncidentState.ASSIGNED, queueId: Q, assigneeId: OTHER }),
      null,
    ],
    ["in another queue", inc({ state: IncidentState.ASSIGNED, queueId: "q2" }), null],
    ["I work it", inc({ state: IncidentState.IN_PROGRESS, assigneeId: ME }), "ASSIGNED_TO_ME"],
    ["I hold it", inc({ state: IncidentState.ON_HOLD, assigneeId: ME }), "ASSIGNED_TO_ME"],
    ["a colleague works it", inc({ state: IncidentState.IN_PROGRESS, assigneeId: OTHER, queueId: Q }), null],
    ["I opened it, nobody has it", inc({ ownerId: ME }), "OPENED_BY_ME"],
    ["someone else's new one", inc(), null],
    ["I opened it, it is resolved", inc({ state: IncidentState.RESOLVED, ownerId: ME }), "TO_CLOSE"],
    ["resolved by me, opened by someone else", inc({ state: IncidentState.RESOLVED, assigneeId: ME }), null],
    ["closed", inc({ state: IncidentState.CLOSED, ownerId: ME, assigneeId: ME }), null],
    ["canceled", inc({ state: IncidentState.CANCELED, ownerId: ME }), null],
  ])("%s", (_name, incident, reason) => {
    expect(needsMe(incident, responder)).toBe(reason);
  });

  it("every reason has words", () => {
    for (const words of Object.values(NEEDS_ME_WORDS)) expect(words).toMatch(/^[A-Z][a-z]/);
  });
});

describe("unacknowledgedMajor", () => {
  const p1Mine = inc({ priority: Priority.P1, state: IncidentState.ASSIGNED, queueId: Q });
  const p2Mine = inc({ priority: Priority.P2, state: IncidentState.ASSIGNED, queueId: Q });
  const p1Elsewhere = inc({ priority: Priority.P1, state: IncidentState.ASSIGNED, queueId: "q2" });
  const p3Mine = inc({ priority: Priority.P3, state: IncidentState.ASSIGNED, queueId: Q });
  const p1Working = inc({ priority: Priority.P1, state: IncidentState.IN_PROGRESS, assigneeId: ME });
  const p1New = inc({ priority: Priority.P1 });

  it("a responder sees the P1/P2 waiting on their queues, P1 first", () => {
    expect(unacknowledgedMajor([p2Mine, p3Mine, p1Elsewhere, p1Working, p1Mine], responder)).toEqual([
      p1Mine,
      p2Mine,
    ]);
  });

  it("an incident manager sees every unacknowledged P1/P2, new ones included", () => {
    expect(unacknowledgedMajor([p2Mine, p3Mine, p1Elsewhere, p1Working, p1New], manager)).toEqual([
      p1Elsewhere,
      p1New,
      p2Mine,
    ]);
    expect(unacknowledgedMajor([p1Elsewhere], { ...manager, role: Role.ADMIN })).toEqual([p1Elsewhere]);
  });

  it("an agent sees only their own", () => {
    const agent: AttentionPerson = { id: ME, role: Role.AGENT, queueIds: [] };
    expect(
      unacknowledgedMajor([p1Elsewhere, inc({ priority: Priority.P1, ownerId: ME })], agent),
    ).toHaveLength(1);
  });
});

describe("titleWithCount", () => {
  it("prefixes the count only when there is something", () => {
    expect(titleWithCount(0, "Incidents")).toBe("Incidents");
    expect(titleWithCount(3, "Incidents")).toBe("(3) Incidents");
  });
});

describe("defaultListView", () => {
  it.each([
    [Role.RESPONDER, "NEEDS_ME"],
    [Role.AGENT, "ALL"],
    [Role.INCIDENT_MANAGER, "ALL"],
    [Role.ADMIN, "ALL"],
  ])("%s -> %s", (role, view) => {
    expect(defaultListView(role)).toBe(view);
  });
});

describe("needsCommander", () => {
  it.each([
    [Priority.P1, IncidentState.NEW, {}, true],
    [Priority.P2, IncidentState.IN_PROGRESS, {}, true],
    [Priority.P3, IncidentState.NEW, {}, false],
    [Priority.P1, IncidentState.IN_PROGRESS, { INCIDENT_COMMANDER: "u1" }, false],
    [Priority.P1, IncidentState.CLOSED, {}, false],
    [Priority.P1, IncidentState.CANCELED, {}, false],
  ])("%s %s %j -> %s", (priority, state, roles, expected) => {
    expect(needsCommander({ priority, state }, roles)).toBe(expected);
  });
});

describe("arrangeActions", () => {
  it("every state's stage actions are allowed in that state", () => {
    for (const state of Object.values(IncidentState)) {
      for (const c of STAGE_ACTIONS[state]) expect(availableCommands(state)).toContain(c);
    }
  });

  it("partitions exactly what is allowed: nothing dropped, nothing twice", () => {
    for (const state of Object.values(IncidentState)) {
      const allowed = availableCommands(state);
      const { primary, more, destructive } = arrangeActions(state, allowed);
      expect([...primary, ...more, ...destructive].sort()).toEqual([...allowed].sort());
      for (const c of destructive) expect(DESTRUCTIVE.has(c)).toBe(true);
      for (const c of [...primary, ...more]) expect(DESTRUCTIVE.has(c)).toBe(false);
    }
  });

  it("a new P1 shows two actions first and Cancel apart", () => {
    const { primary, destructive } = arrangeActions(IncidentState.NEW, availableCommands(IncidentState.NEW));
    expect(primary).toEqual(["startWork", "assign"]);
    expect(destructive).toEqual(["cancel"]);
  });

  it("only offers what the person may do", () => {
    const { primary, more, destructive } = arrangeActions(IncidentState.IN_PROGRESS, ["hold", "addNote"]);
    expect(primary).toEqual(["hold"]);
    expect(more).toEqual(["addNote"]);
    expect(destructive).toEqual([]);
  });

  it("a resolved incident leads with closing", () => {
    expect(arrangeActions(IncidentState.RESOLVED, availableCommands(IncidentState.RESOLVED)).primary[0]).toBe(
      "close",
    );
  });
});
