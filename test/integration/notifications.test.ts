import { afterAll, assert, beforeAll, describe, expect, it } from "vitest";
import { NOTIFICATION_EMAIL_JOB, notifyUsers } from "../../server/notifications";
import { type Person, startTestBeacon, type TestBeacon } from "../support/harness";
import { act, createQueue, expectRefusal, openIncident, refused, SIG } from "../support/incidents";

// Responder notifications (docs/notifications.md): the service other features call inside their
// transaction, and the incident commands that use it.

let t: TestBeacon;
let manager: Person;
let manager2: Person;
let agent: Person;
let r1: Person;
let r2: Person;
let outsider: Person;
let queueId: string;

interface Row {
  id: string;
  user_id: string;
  kind: string;
  title: string;
  body: string | null;
  incident_id: string | null;
  seq: string;
}

const db = () => t.started.beacon.db;
const rowsFor = async (userId: string): Promise<Row[]> =>
  db().query(
    "SELECT id, user_id, kind, title, body, incident_id, seq::text AS seq FROM notification WHERE user_id = $1 ORDER BY created_at, id",
    [userId],
  );
const count = async (): Promise<number> =>
  (await db().query("SELECT count(*)::int AS n FROM notification"))[0].n;
/** New notifications for each of `people` since `before` (a count per user). */
async function countsFor(people: Person[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const p of people) out[p.name] = (await rowsFor(p.userId)).length;
  return out;
}

/** Mails for `to` in the local outbox, once the email jobs ran (polls; woken on each poll). */
async function mailsTo(
  to: string,
  atLeast: number,
): Promise<{ subject: string; text: string; html: string }[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const rows = await db().query(
      'SELECT subject, text, html FROM outgoing_mail WHERE "to" = $1 ORDER BY at',
      [to],
    );
    if (rows.length >= atLeast || Date.now() > deadline) return rows;
    t.started.beacon.jobs.wake(NOTIFICATION_EMAIL_JOB);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  t = await startTestBeacon({ env: { BEACON_JOB_POLL_SECONDS: "1" } });
  manager = await t.user("INCIDENT_MANAGER", "Mina Manager");
  manager2 = await t.user("INCIDENT_MANAGER", "Mo Manager");
  agent = await t.user("AGENT", "Ada Agent");
  r1 = await t.user("RESPONDER", "Rae Responder");
  r2 = await t.user("RESPONDER", "Rio Responder");
  outsider = await t.user("RESPONDER", "Oz Outsider");
  queueId = await createQueue(t.admin, "Network", [r1.userId, r2.userId]);
}, 60_000);
afterAll(async () => {
  await t?.stop();
});

describe("notifyUsers (the service other features call)", () => {
  it("writes one row per user, once each, not to the actor, nor to inactive users; one private event", async () => {
    const gone = await t.user("RESPONDER", "Gone Soon");
    await t.admin.ok("mutation($id: ID!) { updateUser(id: $id, input: { active: false }) { id } }", {
      id: gone.userId,
    });
    const seqBefore = (await db().query("SELECT value::text AS v FROM counter WHERE name = 'event'"))[0].v;
    await db().transaction((m) =>
      notifyUsers(m, {
        userIds: [r1.userId, r2.userId, r1.userId, gone.userId, agent.userId],
        exceptUserId: agent.userId,
        kind: "TEST_KIND",
        title: "Hello responders",
        body: "Some body",
      }),
    );
    const [a] = (await rowsFor(r1.userId)).filter((r) => r.kind === "TEST_KIND");
    const [b] = (await rowsFor(r2.userId)).filter((r) => r.kind === "TEST_KIND");
    expect(a).toMatchObject({ title: "Hello responders", body: "Some body", incident_id: null });
    expect(b).toBeDefined();
    expect((await rowsFor(r1.userId)).filter((r) => r.kind === "TEST_KIND")).toHaveLength(1);
    expect((await rowsFor(agent.userId)).filter((r) => r.kind === "TEST_KIND")).toHaveLength(0);
    expect((await rowsFor(gone.userId)).filter((r) => r.kind === "TEST_KIND")).toHaveLength(0);
    const events = await db().query(
      "SELECT seq::text AS seq, kind, is_public, incident_id, payload FROM event WHERE seq > $1 ORDER BY seq",
      [seqBefore],
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: "NOTIFICATION_ADDED", is_public: false, incident_id: null });
    expect(events[0].payload.notifications).toEqual(
      expect.arrayContaining([
        { id: a!.id, userId: r1.userId },
        { id: b!.id, userId: r2.userId },
      ]),
    );
    expect(events[0].payload.notifications).toHaveLength(2);
    expect(a!.seq).toBe(events[0].seq);
  });

  it("nobody left to tell: no row, no event", async () => {
    const before = (await db().query("SELECT value::text AS v FROM counter WHERE name = 'event'"))[0].v;
    const rows = await count();
    await db().transaction((m) =>
      notifyUsers(m, {
        userIds: [agent.userId, agent.userId],
        exceptUserId: agent.userId,
        kind: "X",
        title: "x",
      }),
    );
    expect(await count()).toBe(rows);
    expect((await db().query("SELECT value::text AS v FROM counter WHERE name = 'event'"))[0].v).toBe(before);
  });

  it("a rolled back transaction leaves no notification, no event and no email job", async () => {
    const before = await count();
    const jobsBefore = (
      await db().query("SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1", [NOTIFICATION_EMAIL_JOB])
    )[0].n;
    await expect(
      db().transaction(async (m) => {
        await notifyUsers(m, { userIds: [r1.userId], kind: "ROLLED_BACK", title: "never" });
        throw new Error("the command failed");
      }),
    ).rejects.toThrow("the command failed");
    expect(await count()).toBe(before);
    const jobsAfter = (
      await db().query("SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1", [NOTIFICATION_EMAIL_JOB])
    )[0].n;
    expect(jobsAfter).toBe(jobsBefore);
  });

  it("mails the copy (local outbox: text + HTML with the room link) to users who want email", async () => {
    const incident = await openIncident(agent, { title: "Mail me" });
    const reader = await t.user("RESPONDER", "Mail Reader");
    const muted = await t.user("RESPONDER", "Mute Kind");
    const off = await t.user("RESPONDER", "Email Off");
    await db().query(
      "INSERT INTO notification_preference (user_id, email, muted_email_kinds, updated_at) VALUES ($1, true, '{MAIL_TEST}', now()), ($2, false, '{}', now())",
      [muted.userId, off.userId],
    );
    await db().transaction((m) =>
      notifyUsers(m, {
        userIds: [reader.userId, muted.userId, off.userId],
        kind: "MAIL_TEST",
        title: "Look at this <incident>",
        body: "Line one",
        incidentId: incident.id,
      }),
    );
    const [mail] = await mailsTo(reader.email, 1);
    const link = `${t.started.beacon.config.publicUrl}/war-room/incidents/${incident.id}`;
    expect(mail!.subject).toBe("[Beacon] Look at this <incident>");
    expect(mail!.text).toContain("Look at this <incident>");
    expect(mail!.text).toContain("Line one");
    expect(mail!.text).toContain(`Open ${incident.number} in the war room: ${link}`);
    expect(mail!.html).toContain("Look at this &lt;incident&gt;");
    expect(mail!.html).toContain(`href="${link}"`);
    // The job is idempotent: running it again sends nothing more.
    const [n] = (await rowsFor(reader.userId)).filter((r) => r.kind === "MAIL_TEST");
    const { sendNotificationEmail } = await import("../../server/notifications/notification.service");
    await sendNotificationEmail(t.started.beacon, n!.id);
    expect(await mailsTo(reader.email, 1)).toHaveLength(1);
    // Muted kind and email off: in-app only.
    expect((await rowsFor(muted.userId)).filter((r) => r.kind === "MAIL_TEST")).toHaveLength(1);
    expect((await rowsFor(off.userId)).filter((r) => r.kind === "MAIL_TEST")).toHaveLength(1);
    const jobs = await db().query("SELECT data FROM pgboss.job WHERE name = $1", [NOTIFICATION_EMAIL_JOB]);
    const mutedIds = [...(await rowsFor(muted.userId)), ...(await rowsFor(off.userId))].map((r) => r.id);
    expect(
      jobs.filter((j: { data: { notificationId: string } }) => mutedIds.includes(j.data.notificationId)),
    ).toEqual([]);
    expect(
      await db().query('SELECT 1 FROM outgoing_mail WHERE "to" = ANY($1)', [[muted.email, off.email]]),
    ).toEqual([]);
  });
});

describe("incident commands notify the right people", () => {
  it("assigning to a queue tells its members, and nobody else", async () => {
    const i = await openIncident(agent, { title: "Router down" });
    const before = await countsFor([r1, r2, outsider, manager, agent]);
    await act(agent, "assignIncident", `${SIG.id}, $queueId: ID!`, { id: i.id, expectedVersion: 1, queueId });
    const after = await countsFor([r1, r2, outsider, manager, agent]);
    expect(after["Rae Responder"]! - before["Rae Responder"]!).toBe(1);
    expect(after["Rio Responder"]! - before["Rio Responder"]!).toBe(1);
    for (const name of ["Oz Outsider", "Mina Manager", "Ada Agent"]) expect(after[name]).toBe(before[name]);
    const last = (await rowsFor(r1.userId)).at(-1)!;
    expect(last).toMatchObject({
      kind: "QUEUE_ASSIGNED",
      incident_id: i.id,
      title: `${i.number} assigned to your queue "Network"`,
    });
    expect(last.body).toContain("Router down");
    expect(last.body).toContain("Ada Agent");
  });

  it("a queue member who assigns it to their own queue is not told about it", async () => {
    const i = await openIncident(manager, { title: "Self-assigned" });
    const q = await createQueue(t.admin, "Managers", [manager.userId, manager2.userId]);
    const before = await countsFor([manager, manager2]);
    await act(manager, "assignIncident", `${SIG.id}, $queueId: ID!`, {
      id: i.id,
      expectedVersion: 1,
      queueId: q,
    });
    const after = await countsFor([manager, manager2]);
    expect(after["Mina Manager"]).toBe(before["Mina Manager"]);
    expect(after["Mo Manager"]! - before["Mo Manager"]!).toBe(1);
  });

  it("opening a P1 or P2 tells the incident managers (and admins); a P3 tells nobody", async () => {
    const before = await countsFor([manager, manager2, r1, agent]);
    const p1 = await openIncident(agent, { title: "Everything is down", impact: "HIGH", urgency: "HIGH" });
    await openIncident(agent, { title: "Minor", impact: "LOW", urgency: "LOW" });
    const after = await countsFor([manager, manager2, r1, agent]);
    expect(after["Mina Manager"]! - before["Mina Manager"]!).toBe(1);
    expect(after["Mo Manager"]! - before["Mo Manager"]!).toBe(1);
    expect(after["Rae Responder"]).toBe(before["Rae Responder"]);
    expect(after["Ada Agent"]).toBe(before["Ada Agent"]);
    expect((await rowsFor(manager.userId)).at(-1)).toMatchObject({
      kind: "MAJOR_INCIDENT",
      incident_id: p1.id,
      title: `P1 opened: ${p1.number} Everything is down`,
    });
    const admins = await db().query(
      "SELECT count(*)::int AS n FROM notification n JOIN app_user u ON u.id = n.user_id WHERE u.role = 'ADMIN' AND n.incident_id = $1",
      [p1.id],
    );
    expect(admins[0].n).toBe(1);
  });

  it("raising an incident to P2 tells the incident managers; lowering it tells nobody", async () => {
    const i = await openIncident(agent, { title: "Getting worse", impact: "LOW", urgency: "LOW" });
    const before = await countsFor([manager, manager2]);
    const raised = await act(
      agent,
      "updateIncident",
      "$id: ID!, $expectedVersion: Int!, $input: UpdateIncidentInput!",
      {
        id: i.id,
        expectedVersion: 1,
        input: { impact: "HIGH", urgency: "MEDIUM" },
      },
    );
    expect(raised.priority).toBe("P2");
    const mid = await countsFor([manager, manager2]);
    expect(mid["Mina Manager"]! - before["Mina Manager"]!).toBe(1);
    expect((await rowsFor(manager.userId)).at(-1)!.title).toBe(`${i.number} raised to P2: Getting worse`);
    await act(agent, "updateIncident", "$id: ID!, $expectedVersion: Int!, $input: UpdateIncidentInput!", {
      id: i.id,
      expectedVersion: 2,
      input: { impact: "LOW", urgency: "LOW" },
    });
    expect(await countsFor([manager, manager2])).toEqual(mid);
  });

  it("being made incident commander tells that person only", async () => {
    const i = await openIncident(agent, { title: "Needs a lead" });
    const before = await countsFor([r1, r2, manager, agent]);
    await act(
      manager,
      "assignRoomRole",
      "$incidentId: ID!, $role: RoomRole!, $userId: ID, $expectedVersion: Int!",
      {
        incidentId: i.id,
        role: "INCIDENT_COMMANDER",
        userId: r1.userId,
        expectedVersion: 1,
      },
    );
    await act(
      manager,
      "assignRoomRole",
      "$incidentId: ID!, $role: RoomRole!, $userId: ID, $expectedVersion: Int!",
      {
        incidentId: i.id,
        role: "SCRIBE",
        userId: r2.userId,
        expectedVersion: 2,
      },
    );
    const after = await countsFor([r1, r2, manager, agent]);
    expect(after["Rae Responder"]! - before["Rae Responder"]!).toBe(1);
    expect(after["Rio Responder"]).toBe(before["Rio Responder"]);
    expect(after["Mina Manager"]).toBe(before["Mina Manager"]);
    expect((await rowsFor(r1.userId)).at(-1)).toMatchObject({
      kind: "INCIDENT_COMMANDER",
      incident_id: i.id,
      title: `You are incident commander of ${i.number}`,
    });
  });

  it("a refused command tells nobody", async () => {
    const i = await openIncident(agent, { title: "Refused" });
    const before = await count();
    await expectRefusal(t, i.id, "CONFLICT", () =>
      refused(agent, "assignIncident", `${SIG.id}, $queueId: ID!`, { id: i.id, expectedVersion: 7, queueId }),
    );
    await expectRefusal(t, i.id, "FORBIDDEN", () =>
      refused(
        r1,
        "assignRoomRole",
        "$incidentId: ID!, $role: RoomRole!, $userId: ID, $expectedVersion: Int!",
        {
          incidentId: i.id,
          role: "INCIDENT_COMMANDER",
          userId: r1.userId,
          expectedVersion: 1,
        },
      ),
    );
    expect(await count()).toBe(before);
  });
});

const NOTE = "id kind title body read at seq incident { id number }";
interface NoteView {
  id: string;
  kind: string;
  title: string;
  body: string | null;
  read: boolean;
  at: string;
  seq: string;
  incident: { id: string; number: string } | null;
}

async function assignToQueue(by: Person, title: string, q = queueId) {
  const i = await openIncident(by, { title });
  await act(by, "assignIncident", `${SIG.id}, $queueId: ID!`, { id: i.id, expectedVersion: 1, queueId: q });
  return i;
}

describe("GraphQL: the signed-in user's notifications", () => {
  it("lists only your own, newest first, with the incident; anonymous callers are refused", async () => {
    const i = await assignToQueue(agent, "Listed");
    const mine = await r1.ok<{ notifications: NoteView[] }>(`{ notifications(first: 5) { ${NOTE} } }`);
    expect(mine.notifications[0]).toMatchObject({
      kind: "QUEUE_ASSIGNED",
      read: false,
      incident: { id: i.id, number: i.number },
    });
    const ids = new Set((await rowsFor(r1.userId)).map((r) => r.id));
    for (const n of mine.notifications) expect(ids.has(n.id)).toBe(true);
    const theirs = await outsider.ok<{ notifications: NoteView[] }>(`{ notifications { ${NOTE} } }`);
    expect(theirs.notifications.filter((n) => ids.has(n.id))).toEqual([]);
    expect((await t.anon.fails("{ notifications { id } }")).code).toBe("UNAUTHENTICATED");
    expect((await t.anon.fails("mutation { markNotificationsRead }")).code).toBe("UNAUTHENTICATED");
    expect((await r1.fails("{ notifications(first: 0) { id } }")).code).toBe("BAD_USER_INPUT");
  });

  it("marks read: named ones, never someone else's, then all; unreadOnly and the inbox count follow", async () => {
    await assignToQueue(agent, "Read me 1");
    await assignToQueue(agent, "Read me 2");
    const inbox = async (p: Person) =>
      (
        await p.ok<{ notificationInbox: { seq: string; unreadCount: number; notifications: NoteView[] } }>(
          `{ notificationInbox(first: 50) { seq unreadCount notifications { ${NOTE} } } }`,
        )
      ).notificationInbox;
    const before = await inbox(r1);
    expect(before.unreadCount).toBeGreaterThanOrEqual(2);
    const [newest] = before.notifications;
    // r2's copy of the same assignment: r1 cannot mark it.
    const r2Unread = (await inbox(r2)).unreadCount;
    const r2Ids = (await rowsFor(r2.userId)).map((r) => r.id);
    expect(
      (
        await r1.ok<{ markNotificationsRead: number }>(
          "mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }",
          { ids: r2Ids },
        )
      ).markNotificationsRead,
    ).toBe(0);
    expect((await inbox(r2)).unreadCount).toBe(r2Unread);
    expect(
      (
        await r1.ok<{ markNotificationsRead: number }>(
          "mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }",
          { ids: [newest!.id] },
        )
      ).markNotificationsRead,
    ).toBe(1);
    const after = await inbox(r1);
    expect(after.unreadCount).toBe(before.unreadCount - 1);
    expect(after.notifications.find((n) => n.id === newest!.id)?.read).toBe(true);
    const unread = await r1.ok<{ notifications: NoteView[] }>(
      `{ notifications(unreadOnly: true, first: 200) { ${NOTE} } }`,
    );
    expect(unread.notifications.map((n) => n.id)).not.toContain(newest!.id);
    expect(unread.notifications).toHaveLength(after.unreadCount);
    expect(
      (await r1.ok<{ markNotificationsRead: number }>("mutation { markNotificationsRead }"))
        .markNotificationsRead,
    ).toBe(after.unreadCount);
    expect((await inbox(r1)).unreadCount).toBe(0);
    expect((await inbox(r2)).unreadCount).toBe(r2Unread);
    expect((await r1.fails('mutation { markNotificationsRead(ids: ["nope"]) }')).code).toBe("BAD_USER_INPUT");
  });

  it("notificationAdded delivers your own notifications live, and never anyone else's", async () => {
    // From the inbox's seq (as the war room does): nothing committed after it can be missed, however
    // long the sockets take to connect.
    const seqOf = async (p: Person) =>
      (await p.ok<{ notificationInbox: { seq: string } }>("{ notificationInbox { seq } }")).notificationInbox
        .seq;
    const SUB = `subscription($s: String) { notificationAdded(since: $s) { ${NOTE} } }`;
    const r1Sub = r1.subscribe<{ notificationAdded: NoteView }>(SUB, { s: await seqOf(r1) });
    const outsiderSub = outsider.subscribe<{ notificationAdded: NoteView }>(SUB, {
      s: await seqOf(outsider),
    });
    const i = await assignToQueue(agent, "Live one");
    const [got] = await r1Sub.waitFor(1);
    expect(got!.notificationAdded).toMatchObject({
      kind: "QUEUE_ASSIGNED",
      incident: { id: i.id },
      read: false,
    });
    expect((await rowsFor(r1.userId)).map((r) => r.id)).toContain(got!.notificationAdded.id);
    // Now one for the outsider: the first (and only) thing it receives is its own.
    await db().transaction((m) =>
      notifyUsers(m, { userIds: [outsider.userId], kind: "PRIVATE", title: "Only for Oz" }),
    );
    const [own] = await outsiderSub.waitFor(1);
    expect(own!.notificationAdded.title).toBe("Only for Oz");
    expect(outsiderSub.received).toHaveLength(1);
    expect(r1Sub.received.map((x) => x.notificationAdded.title)).not.toContain("Only for Oz");
    await r1Sub.close();
    await outsiderSub.close();
  });

  it("notificationAdded(since) replays what you missed, in order, only yours", async () => {
    const { seq } = (await r2.ok<{ notificationInbox: { seq: string } }>("{ notificationInbox { seq } }"))
      .notificationInbox;
    await assignToQueue(agent, "Missed 1");
    await db().transaction((m) =>
      notifyUsers(m, { userIds: [r1.userId], kind: "PRIVATE", title: "r1 only" }),
    );
    await assignToQueue(agent, "Missed 2");
    const sub = r2.subscribe<{ notificationAdded: NoteView }>(
      `subscription($s: String) { notificationAdded(since: $s) { ${NOTE} } }`,
      { s: seq },
    );
    const got = await sub.waitFor(2);
    expect(got.map((g) => g.notificationAdded.title)).toEqual([
      expect.stringContaining('assigned to your queue "Network"'),
      expect.stringContaining('assigned to your queue "Network"'),
    ]);
    expect(BigInt(got[0]!.notificationAdded.seq) < BigInt(got[1]!.notificationAdded.seq)).toBe(true);
    await sub.close();
  });

  it("notificationsRead tells the same user's other sessions which were read; nobody else; nothing when none changed", async () => {
    const SUB = "subscription { notificationsRead { seq ids } }";
    const otherTab = r1.subscribe<{ notificationsRead: { seq: string; ids: string[] } }>(SUB);
    const outsiderSub = outsider.subscribe<{ notificationsRead: { seq: string; ids: string[] } }>(SUB);
    await new Promise((r) => setTimeout(r, 300));
    await assignToQueue(agent, "Read in another tab 1");
    await assignToQueue(agent, "Read in another tab 2");
    const unreadOf = async (userId: string): Promise<string[]> =>
      (
        await db().query("SELECT id FROM notification WHERE user_id = $1 AND read_at IS NULL ORDER BY id", [
          userId,
        ])
      ).map((r: { id: string }) => r.id);
    const [a, b] = await unreadOf(r1.userId);
    assert.exists(a, "an unread notification");
    assert.exists(b, "another unread notification");
    const mark = (ids?: string[]) =>
      r1.ok<{ markNotificationsRead: number }>("mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }", {
        ids: ids ?? null,
      });
    expect((await mark([a])).markNotificationsRead).toBe(1);
    const [first] = await otherTab.waitFor(1);
    expect(first!.notificationsRead.ids).toEqual([a]);
    // Marking it again changes nothing, so nothing is published; then "all" names every one it read.
    expect((await mark([a])).markNotificationsRead).toBe(0);
    const rest = await unreadOf(r1.userId);
    expect(rest).toContain(b);
    expect((await mark()).markNotificationsRead).toBe(rest.length);
    const [, second] = await otherTab.waitFor(2);
    expect([...second!.notificationsRead.ids].sort()).toEqual([...rest].sort());
    expect(BigInt(second!.notificationsRead.seq) > BigInt(first!.notificationsRead.seq)).toBe(true);
    expect(await otherTab.settle(300)).toHaveLength(2);
    expect(await outsiderSub.settle(300)).toEqual([]);
    await otherTab.close();
    await outsiderSub.close();
    const anonymous = t.anon.subscribe(SUB);
    await expect(anonymous.waitFor(1)).rejects.toThrow(/UNAUTHENTICATED|Sign in/);
    await anonymous.close();
  });

  it("anonymous subscribers are refused", async () => {
    const sub = t.anon.subscribe("subscription { notificationAdded { id } }");
    await expect(sub.waitFor(1)).rejects.toThrow(/UNAUTHENTICATED|Sign in/);
    await sub.close();
  });
});

describe("GraphQL: notification preferences", () => {
  const PREFS = "inApp email mutedEmailKinds kinds { kind label email }";
  it("defaults to in-app + email for every kind; a user changes only their own", async () => {
    const p = await t.user("RESPONDER", "Pref Person");
    const d = await p.ok<{
      notificationPreferences: { inApp: boolean; email: boolean; kinds: { kind: string; email: boolean }[] };
    }>(`{ notificationPreferences { ${PREFS} } }`);
    expect(d.notificationPreferences.inApp).toBe(true);
    expect(d.notificationPreferences.email).toBe(true);
    expect(d.notificationPreferences.kinds.map((k) => k.kind)).toContain("QUEUE_ASSIGNED");
    expect(d.notificationPreferences.kinds.every((k) => k.email)).toBe(true);
    const set = await p.ok<{
      setNotificationPreferences: {
        email: boolean;
        mutedEmailKinds: string[];
        kinds: { kind: string; email: boolean }[];
      };
    }>(`mutation($i: NotificationPreferencesInput!) { setNotificationPreferences(input: $i) { ${PREFS} } }`, {
      i: { email: true, mutedEmailKinds: ["MAJOR_INCIDENT"] },
    });
    expect(set.setNotificationPreferences.mutedEmailKinds).toEqual(["MAJOR_INCIDENT"]);
    expect(set.setNotificationPreferences.kinds.find((k) => k.kind === "MAJOR_INCIDENT")?.email).toBe(false);
    expect(
      (
        await r1.ok<{ notificationPreferences: { mutedEmailKinds: string[] } }>(
          "{ notificationPreferences { mutedEmailKinds } }",
        )
      ).notificationPreferences.mutedEmailKinds,
    ).toEqual([]);
    const bad = await p.fails(
      "mutation($i: NotificationPreferencesInput!) { setNotificationPreferences(input: $i) { email } }",
      { i: { email: true, mutedEmailKinds: ["NOPE"] } },
    );
    expect(bad.code).toBe("BAD_USER_INPUT");
    expect(bad.extensions?.field).toBe("mutedEmailKinds");
    expect((await t.anon.fails("{ notificationPreferences { email } }")).code).toBe("UNAUTHENTICATED");
  });

  it("email off: the assignment still rings the bell, but no mail; email on: the mail names the room", async () => {
    const quiet = await t.user("RESPONDER", "Quiet Responder");
    const loud = await t.user("RESPONDER", "Loud Responder");
    const q = await createQueue(t.admin, "Mail queue", [quiet.userId, loud.userId]);
    await quiet.ok("mutation { setNotificationPreferences(input: { email: false }) { email } }");
    const i = await assignToQueue(agent, "Mail or not", q);
    const [mail] = await mailsTo(loud.email, 1);
    expect(mail!.subject).toBe(`[Beacon] ${i.number} assigned to your queue "Mail queue"`);
    expect(mail!.text).toContain("Mail or not");
    expect(mail!.text).toContain(`${t.started.beacon.config.publicUrl}/war-room/incidents/${i.id}`);
    expect(mail!.html).toContain(`/war-room/incidents/${i.id}`);
    expect((await rowsFor(quiet.userId)).filter((r) => r.incident_id === i.id)).toHaveLength(1);
    // The loud one's mail was sent by a job enqueued in the same transaction as the quiet one's row:
    // had the quiet one's been enqueued, it would be there too by now.
    const jobs = await db().query("SELECT data FROM pgboss.job WHERE name = $1", [NOTIFICATION_EMAIL_JOB]);
    const quietIds = (await rowsFor(quiet.userId)).map((r) => r.id);
    expect(
      jobs.filter((j: { data: { notificationId: string } }) => quietIds.includes(j.data.notificationId)),
    ).toEqual([]);
    expect(await db().query('SELECT 1 FROM outgoing_mail WHERE "to" = $1', [quiet.email])).toEqual([]);
  });
});
