import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  NOTIFICATION_KIND_LABELS,
  type NotifyFacts,
  notificationAudiences,
  recipients,
  wantsEmail,
} from "../../../server/domain/notify";
import { Priority, RoomRole } from "../../../server/domain/vocabulary";

const facts = (over: Partial<NotifyFacts> = {}): NotifyFacts => ({
  queueId: null,
  priority: Priority.P3,
  roomRoles: {},
  ...over,
});
const kinds = (before: NotifyFacts | null, after: NotifyFacts) =>
  notificationAudiences(before, after).map((a) => a.kind);

const ALL = [Priority.P1, Priority.P2, Priority.P3, Priority.P4];

describe("notificationAudiences: incident managers (P1/P2)", () => {
  it.each([
    [Priority.P1, true],
    [Priority.P2, true],
    [Priority.P3, false],
    [Priority.P4, false],
  ])("opening a %s tells them: %s", (priority, told) => {
    const a = notificationAudiences(null, facts({ priority }));
    expect(a.some((x) => x.kind === "MAJOR_INCIDENT")).toBe(told);
    if (told)
      expect(a).toContainEqual({ kind: "MAJOR_INCIDENT", to: "incidentManagers", priority, raised: false });
  });

  // Every (before, after) pair: told exactly when it is P1/P2 now and was less urgent before.
  const rank = (p: Priority) => ALL.indexOf(p);
  const pairs = ALL.flatMap((from) => ALL.map((to) => [from, to] as const));
  it.each(pairs)("changing %s -> %s", (from, to) => {
    const told = rank(to) <= 1 && rank(to) < rank(from);
    const a = notificationAudiences(facts({ priority: from }), facts({ priority: to }));
    expect(a.filter((x) => x.kind === "MAJOR_INCIDENT")).toEqual(
      told ? [{ kind: "MAJOR_INCIDENT", to: "incidentManagers", priority: to, raised: true }] : [],
    );
  });

  it("covers all 16 priority pairs", () => {
    expect(pairs).toHaveLength(16);
  });
});

describe("notificationAudiences: queues", () => {
  it("assigning to a queue tells that queue", () => {
    expect(notificationAudiences(facts(), facts({ queueId: "q1" }))).toEqual([
      { kind: "QUEUE_ASSIGNED", to: { queueId: "q1" } },
    ]);
  });
  it("reassigning to another queue tells the new queue", () => {
    expect(notificationAudiences(facts({ queueId: "q1" }), facts({ queueId: "q2" }))).toEqual([
      { kind: "QUEUE_ASSIGNED", to: { queueId: "q2" } },
    ]);
  });
  it("staying in the same queue tells nobody (an acknowledgement, a new assignee, a note)", () => {
    expect(kinds(facts({ queueId: "q1" }), facts({ queueId: "q1" }))).toEqual([]);
  });
  it("leaving the queue (returned to the help desk) tells nobody", () => {
    expect(kinds(facts({ queueId: "q1" }), facts({ queueId: null }))).toEqual([]);
  });
  it("a new incident opened straight into a queue tells it", () => {
    expect(kinds(null, facts({ queueId: "q1" }))).toEqual(["QUEUE_ASSIGNED"]);
  });
});

describe("notificationAudiences: incident commander", () => {
  const ic = (userId: string | null) =>
    facts({ roomRoles: userId ? { [RoomRole.INCIDENT_COMMANDER]: userId } : {} });
  it("being made incident commander tells that person", () => {
    expect(notificationAudiences(ic(null), ic("u1"))).toEqual([
      { kind: "INCIDENT_COMMANDER", to: { userId: "u1" } },
    ]);
  });
  it("a handover tells the new commander", () => {
    expect(notificationAudiences(ic("u1"), ic("u2"))).toEqual([
      { kind: "INCIDENT_COMMANDER", to: { userId: "u2" } },
    ]);
  });
  it("freeing the role, or keeping the same commander, tells nobody", () => {
    expect(kinds(ic("u1"), ic(null))).toEqual([]);
    expect(kinds(ic("u1"), ic("u1"))).toEqual([]);
  });
  it.each([RoomRole.COMMUNICATIONS_LEAD, RoomRole.SCRIBE])("the other room role %s tells nobody", (role) => {
    expect(kinds(facts(), facts({ roomRoles: { [role]: "u1" } }))).toEqual([]);
  });
});

describe("notificationAudiences: combined and nothing", () => {
  it("one command can tell several audiences, in a stable order", () => {
    expect(
      kinds(
        facts(),
        facts({ queueId: "q", priority: Priority.P1, roomRoles: { [RoomRole.INCIDENT_COMMANDER]: "u" } }),
      ),
    ).toEqual(["QUEUE_ASSIGNED", "MAJOR_INCIDENT", "INCIDENT_COMMANDER"]);
  });
  it("a change that touches none of the three tells nobody", () => {
    const same = facts({ queueId: "q", priority: Priority.P2, roomRoles: { [RoomRole.SCRIBE]: "u" } });
    expect(kinds(same, { ...same })).toEqual([]);
  });
});

describe("recipients", () => {
  it("keeps each user once, in first-seen order", () => {
    expect(recipients(["a", "b", "a", "c", "b"])).toEqual(["a", "b", "c"]);
  });
  it("leaves out the one who caused it", () => {
    expect(recipients(["a", "b", "a"], "a")).toEqual(["b"]);
  });
  it("keeps everyone without an actor (the system), and handles nobody", () => {
    expect(recipients(["a"], null)).toEqual(["a"]);
    expect(recipients([], "a")).toEqual([]);
  });
});

describe("wantsEmail", () => {
  it("defaults to email for every kind (no preferences stored)", () => {
    expect(wantsEmail(null, "QUEUE_ASSIGNED")).toBe(true);
  });
  it("email off: no kind is mailed", () => {
    expect(wantsEmail({ email: false, mutedEmailKinds: [] }, "QUEUE_ASSIGNED")).toBe(false);
  });
  it("a muted kind is not mailed, the others are", () => {
    const p = { email: true, mutedEmailKinds: ["MAJOR_INCIDENT"] };
    expect(wantsEmail(p, "MAJOR_INCIDENT")).toBe(false);
    expect(wantsEmail(p, "QUEUE_ASSIGNED")).toBe(true);
  });
});

describe("NOTIFICATION_KIND_LABELS", () => {
  it("labels every kind Beacon raises, so each can be muted by email", () => {
    for (const kind of [
      "QUEUE_ASSIGNED",
      "MAJOR_INCIDENT",
      "INCIDENT_COMMANDER",
      "SLA_WARNING",
      "ESCALATION",
      "PUBLIC_UPDATE_DUE",
      "WEBHOOK_PAUSED",
    ]) {
      expect(NOTIFICATION_KIND_LABELS[kind], kind).toMatch(/\w/);
    }
  });
});

describe("every kind a feature raises has a label", () => {
  it('each notifyUsers(..., { kind: "X" }) in server/ names a labelled kind', () => {
    const files = fs
      .readdirSync("server", { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts"))
      .map((f) => fs.readFileSync(path.join("server", f), "utf8"));
    const kinds = new Set<string>();
    for (const text of files) {
      for (const m of text.matchAll(/notifyUsers\(\w+, \{[\s\S]{0,400}?kind: "([A-Z_]+)"/g)) kinds.add(m[1]!);
    }
    expect(kinds.size).toBeGreaterThan(0);
    const unlabelled = [...kinds].filter((k) => !(k in NOTIFICATION_KIND_LABELS));
    expect(unlabelled, "add these to NOTIFICATION_KIND_LABELS (server/domain/notify.ts)").toEqual([]);
  });
});
