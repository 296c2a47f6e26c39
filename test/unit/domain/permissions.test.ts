import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  type Action,
  type Actor,
  authorize,
  type IncidentAccess,
  PERMISSION_OF,
  PERMISSION_TABLE,
  renderPermissionTable,
} from "../../../server/domain/permissions";
import { ErrorCode, Role } from "../../../server/domain/vocabulary";

const ACTORS = {
  admin: { id: "admin-1", role: Role.ADMIN, queueIds: [] },
  manager: { id: "im-1", role: Role.INCIDENT_MANAGER, queueIds: [] },
  ownerAgent: { id: "agent-1", role: Role.AGENT, queueIds: [] },
  otherAgent: { id: "agent-2", role: Role.AGENT, queueIds: ["q-db"] },
  assignee: { id: "resp-1", role: Role.RESPONDER, queueIds: ["q-net"] },
  queueMember: { id: "resp-2", role: Role.RESPONDER, queueIds: ["q-db", "q-net"] },
  outsider: { id: "resp-3", role: Role.RESPONDER, queueIds: ["q-db"] },
} satisfies Record<string, Actor>;
type Who = keyof typeof ACTORS;

// Owned by agent-1, in the network queue, acknowledged by resp-1.
const INCIDENT: IncidentAccess = {
  ownerId: "agent-1",
  queueId: "q-net",
  assigneeId: "resp-1",
  reference: "INC0007",
};

const EVERYONE: Who[] = [
  "admin",
  "manager",
  "ownerAgent",
  "otherAgent",
  "assignee",
  "queueMember",
  "outsider",
];
const MANAGERS: Who[] = ["admin", "manager"];
const OWNER: Who[] = [...MANAGERS, "ownerAgent"];

// Hand-written from DESIGN "Who may do what" and the brief; not derived from PERMISSION_TABLE.
const EXPECTED: Record<Action, Who[]> = {
  viewIncidents: EVERYONE,
  viewMetrics: EVERYONE,
  openIncident: [...MANAGERS, "ownerAgent", "otherAgent"],
  heartbeat: EVERYONE,
  openFollowUp: [...MANAGERS, "ownerAgent", "otherAgent"],
  update: OWNER,
  assign: OWNER,
  startWork: OWNER,
  acknowledge: [...MANAGERS, "assignee", "queueMember"],
  hold: [...MANAGERS, "assignee"],
  resume: [...MANAGERS, "assignee"],
  resolve: [...MANAGERS, "assignee"],
  returnToHelpDesk: [...MANAGERS, "assignee"],
  confirmResolution: OWNER,
  close: OWNER,
  reopen: OWNER,
  cancel: OWNER,
  linkProblem: OWNER,
  addNote: EVERYONE,
  logContactAttempt: [...OWNER, "assignee"],
  completeReview: MANAGERS,
  // Issue 9: publishing to the status page is one permission, whatever the path.
  publish: MANAGERS,
  postPublicUpdate: MANAGERS,
  assignRoomRole: MANAGERS,
  setServiceStatus: MANAGERS,
  createQueue: MANAGERS,
  createService: ["admin"],
  updateService: ["admin"],
  createUser: ["admin"],
  manageApiKeys: ["admin"],
  draftReview: MANAGERS,
  lowerSeverity: MANAGERS,
  createProblem: EVERYONE,
  updateProblem: EVERYONE,
  closeProblem: MANAGERS,
  setActionItemDone: MANAGERS,
  createCategory: ["admin"],
  manageSubscriptions: ["admin"],
  redactTimelineEntry: ["admin"],
  manageSlaPolicies: ["admin"],
  // Issue 13: only incident managers and admins schedule and change maintenance windows.
  scheduleMaintenance: MANAGERS,
  manageMaintenance: MANAGERS,
};

const cases = (Object.keys(EXPECTED) as Action[]).flatMap((action) =>
  EVERYONE.map((who) => [action, who, EXPECTED[action].includes(who)] as const),
);

describe("authorize: every action x every kind of actor", () => {
  it.each(cases)("%s by %s -> %s", (action, who, allowed) => {
    const d = authorize(ACTORS[who], action, INCIDENT);
    if (allowed) {
      expect(d).toEqual({ ok: true, value: true });
    } else {
      expect(d).toMatchObject({ ok: false, code: ErrorCode.FORBIDDEN });
    }
  });
});

describe("authorize: relations", () => {
  const agent = ACTORS.ownerAgent;

  it("lets the owning agent work an incident nobody else has taken", () => {
    const unassigned = { ...INCIDENT, queueId: null, assigneeId: null };
    for (const action of ["hold", "resume", "resolve"] as const) {
      expect(authorize(agent, action, unassigned).ok).toBe(true);
      expect(authorize(ACTORS.otherAgent, action, unassigned).ok).toBe(false);
    }
    // Returning to the help desk is the responder's move, not the help desk's.
    expect(authorize(agent, "returnToHelpDesk", unassigned).ok).toBe(false);
  });

  it("lets an agent who is the assignee work it", () => {
    const selfAssigned = { ...INCIDENT, assigneeId: "agent-1" };
    expect(authorize(agent, "resolve", selfAssigned).ok).toBe(true);
    expect(authorize(ACTORS.otherAgent, "resolve", { ...INCIDENT, assigneeId: "agent-2" }).ok).toBe(true);
  });

  it("does not let a responder acknowledge an incident with no queue", () => {
    expect(authorize(ACTORS.queueMember, "acknowledge", { ...INCIDENT, queueId: null }).ok).toBe(false);
  });

  it("follows reassignment: the old assignee loses the incident", () => {
    const reassigned = { ...INCIDENT, queueId: "q-db", assigneeId: "resp-3" };
    expect(authorize(ACTORS.assignee, "resolve", reassigned).ok).toBe(false);
    expect(authorize(ACTORS.outsider, "resolve", reassigned).ok).toBe(true);
    expect(authorize(ACTORS.outsider, "acknowledge", reassigned).ok).toBe(true);
    expect(authorize(ACTORS.assignee, "acknowledge", reassigned).ok).toBe(false);
  });

  it("without incident details only unconditional grants apply", () => {
    expect(authorize(agent, "update").ok).toBe(false);
    expect(authorize(ACTORS.manager, "update").ok).toBe(true);
    expect(authorize(ACTORS.outsider, "addNote").ok).toBe(true);
    expect(authorize(ACTORS.queueMember, "acknowledge").ok).toBe(false);
  });
});

describe("refusal messages", () => {
  it("say who may do it and whom to ask", () => {
    const d = authorize(ACTORS.otherAgent, "resolve", INCIDENT);
    expect(d).toEqual({
      ok: false,
      code: ErrorCode.FORBIDDEN,
      message:
        "Only an admin, an incident manager, its assignee or its owning agent while nobody is assigned may resolve INC0007; ask an incident manager if it needs doing.",
    });
  });

  it("fall back to 'this incident' without a reference", () => {
    const { reference: _, ...noRef } = INCIDENT;
    const d = authorize(ACTORS.outsider, "close", noRef);
    expect(d.ok ? "" : d.message).toBe(
      "Only an admin, an incident manager or its owning agent may close this incident; ask an incident manager if it needs doing.",
    );
  });

  it("send admin-only requests to an admin", () => {
    const d = authorize(ACTORS.manager, "createUser");
    expect(d.ok ? "" : d.message).toBe("Only an admin may create users; ask an admin if it needs doing.");
  });

  it("name the queue rule for acknowledge", () => {
    const d = authorize(ACTORS.outsider, "acknowledge", INCIDENT);
    expect(d.ok ? "" : d.message).toContain("a responder in its queue may acknowledge INC0007");
  });

  it("refuse an unknown action", () => {
    expect(authorize(ACTORS.admin, "selfDestruct" as Action).ok).toBe(false);
  });
});

describe("PERMISSION_TABLE", () => {
  it("has exactly one row per action", () => {
    const actions = PERMISSION_TABLE.map((row) => row.action);
    // An action that is another row under its own name (postPublicUpdate is publish) has no row.
    const own = Object.keys(EXPECTED).filter((a) => !(a in PERMISSION_OF));
    expect([...actions].sort()).toEqual(own.sort());
    for (const [alias, row] of Object.entries(PERMISSION_OF)) {
      expect(actions, `${alias} -> ${row}`).toContain(row);
    }
  });

  it("describes every row", () => {
    for (const row of PERMISSION_TABLE) {
      expect(row.description.trim()).not.toBe("");
      expect(row.who).toMatch(/^an admin/);
    }
  });

  it("is what docs/permissions.md shows", () => {
    const doc = readFileSync(new URL("../../../docs/permissions.md", import.meta.url), "utf8");
    const between = doc
      .split("<!-- permission-table:start -->\n")[1]
      ?.split("<!-- permission-table:end -->")[0];
    expect(between).toBe(renderPermissionTable());
  });

  it("renders a Markdown table with a row per action", () => {
    const lines = renderPermissionTable().trimEnd().split("\n");
    expect(lines).toHaveLength(PERMISSION_TABLE.length + 2);
    expect(lines[0]).toBe("| action | what | who may |");
    expect(lines).toContain("| `createUser` | Create users and set their roles | an admin |");
  });
});
