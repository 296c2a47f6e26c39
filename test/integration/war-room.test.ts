import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestBeacon, type TestBeacon } from "../support/harness";
import { itemAt } from "../support/item-at";

let t: TestBeacon;
let incidentId: string;
let manager: Person;
let alice: Person;
let bob: Person;

const ROLES = `mutation($i: ID!, $r: RoomRole!, $u: ID, $v: Int!) {
  assignRoomRole(incidentId: $i, role: $r, userId: $u, expectedVersion: $v) {
    version roomRoles { role user { name } } timeline { kind body } history { version description changes }
  }
}`;
type RolesResult = {
  assignRoomRole: {
    version: number;
    roomRoles: { role: string; user: { name: string } }[];
    timeline: { kind: string; body: string }[];
    history: { version: number; description: string; changes: Record<string, unknown> }[];
  };
};
const PRESENCE = "subscription($i: ID!) { roomPresence(incidentId: $i) { userId name typing } }";
type PresenceResult = { roomPresence: { userId: string; name: string; typing: boolean }[] };

beforeAll(async () => {
  t = await startTestBeacon();
  manager = await t.user("INCIDENT_MANAGER", "Maya Manager");
  alice = await t.user("RESPONDER", "Alice Responder");
  bob = await t.user("AGENT", "Bob Agent");
  const d = await bob.ok<{ openIncident: { id: string } }>(
    'mutation { openIncident(input: { title: "Login outage", description: "SSO down", impact: HIGH, urgency: HIGH }) { id } }',
  );
  incidentId = d.openIncident.id;
});
afterAll(() => t?.stop());

describe("war-room roles", () => {
  it("assigns, hands over and frees roles, each documented on the timeline and in the history", async () => {
    const a = await manager.ok<RolesResult>(ROLES, {
      i: incidentId,
      r: "INCIDENT_COMMANDER",
      u: manager.userId,
      v: 1,
    });
    expect(a.assignRoomRole.roomRoles).toEqual([
      { role: "INCIDENT_COMMANDER", user: { name: "Maya Manager" } },
    ]);
    expect(a.assignRoomRole.timeline.at(-1)).toEqual({
      kind: "ASSIGNMENT",
      body: "Maya Manager is now Incident Commander",
    });

    const b = await manager.ok<RolesResult>(ROLES, {
      i: incidentId,
      r: "INCIDENT_COMMANDER",
      u: alice.userId,
      v: a.assignRoomRole.version,
    });
    expect(b.assignRoomRole.timeline.at(-1)?.body).toBe(
      "Incident Commander handed over from Maya Manager to Alice Responder",
    );
    const last = itemAt(b.assignRoomRole.history, -1);
    expect(last.version).toBe(b.assignRoomRole.version);
    expect(last.changes).toEqual({
      roomRoles: { from: { INCIDENT_COMMANDER: manager.userId }, to: { INCIDENT_COMMANDER: alice.userId } },
    });

    const s = await manager.ok<RolesResult>(ROLES, {
      i: incidentId,
      r: "SCRIBE",
      u: bob.userId,
      v: b.assignRoomRole.version,
    });
    const c = await manager.ok<RolesResult>(ROLES, {
      i: incidentId,
      r: "INCIDENT_COMMANDER",
      u: null,
      v: s.assignRoomRole.version,
    });
    expect(c.assignRoomRole.roomRoles).toEqual([{ role: "SCRIBE", user: { name: "Bob Agent" } }]);
    expect(c.assignRoomRole.timeline.at(-1)?.body).toBe("Alice Responder is no longer Incident Commander");
  });

  it("refuses stale versions, unknown users and people without the permission, changing nothing", async () => {
    const before = await manager.ok<{ incident: { version: number } }>(
      "query($i: ID!) { incident(id: $i) { version } }",
      {
        i: incidentId,
      },
    );
    expect((await manager.fails(ROLES, { i: incidentId, r: "SCRIBE", u: alice.userId, v: 1 })).code).toBe(
      "CONFLICT",
    );
    const v = before.incident.version;
    expect(
      (
        await manager.fails(ROLES, {
          i: incidentId,
          r: "SCRIBE",
          u: "00000000-0000-4000-8000-000000000000",
          v,
        })
      ).code,
    ).toBe("NOT_FOUND");
    expect((await alice.fails(ROLES, { i: incidentId, r: "SCRIBE", u: alice.userId, v })).code).toBe(
      "FORBIDDEN",
    );
    expect((await t.anon.fails(ROLES, { i: incidentId, r: "SCRIBE", u: alice.userId, v })).code).toBe(
      "UNAUTHENTICATED",
    );
    const after = await manager.ok<{ incident: { version: number } }>(
      "query($i: ID!) { incident(id: $i) { version } }",
      {
        i: incidentId,
      },
    );
    expect(after.incident.version).toBe(before.incident.version);
  });
});

describe("war-room presence", () => {
  it("shows who is in the room and who is typing, and drops people who leave", async () => {
    const watcher = manager.subscribe<PresenceResult>(PRESENCE, { i: incidentId });
    await watcher.waitFor(1);
    const names = () =>
      itemAt(watcher.received, -1).roomPresence.map((p) => `${p.name}${p.typing ? " (typing)" : ""}`);
    const until = async (expected: string[]) => {
      for (let i = 0; i < 40 && JSON.stringify(names()) !== JSON.stringify(expected); i++) {
        await watcher.waitFor(watcher.received.length + 1, 2000).catch(() => {});
      }
      expect(names()).toEqual(expected);
    };
    await until(["Maya Manager"]);

    const aliceInRoom = alice.subscribe<PresenceResult>(PRESENCE, { i: incidentId });
    await until(["Alice Responder", "Maya Manager"]);
    await alice.ok("mutation($i: ID!) { heartbeat(incidentId: $i, typing: true) }", { i: incidentId });
    await until(["Alice Responder (typing)", "Maya Manager"]);
    await alice.ok("mutation($i: ID!) { heartbeat(incidentId: $i) }", { i: incidentId });
    await until(["Alice Responder", "Maya Manager"]);
    await aliceInRoom.close();
    await until(["Maya Manager"]);
    await watcher.close();
  });

  it("refuses anonymous watchers and unknown incidents", async () => {
    const anon = t.anon.subscribe(PRESENCE, { i: incidentId });
    await anon.settle(400);
    expect(JSON.stringify(anon.errors)).toContain("UNAUTHENTICATED");
    await anon.close();
    const missing = await alice.fails("mutation($i: ID!) { heartbeat(incidentId: $i) }", {
      i: "00000000-0000-4000-8000-000000000000",
    });
    expect(missing.code).toBe("NOT_FOUND");
  });
});
