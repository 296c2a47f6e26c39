import { afterAll, assert, beforeAll, describe, expect, it } from "vitest";
import { sendReminder } from "../../server/maintenance/maintenance.timers";
import { signToken } from "../../server/subscriptions/tokens";
import { startTestBeacon, type TestBeacon } from "../support/harness";
import { createService, openIncident, setServiceStatus } from "../support/incidents";
import { linkIn, MailSink } from "../support/mail-sink";

const SUBSCRIBE =
  "mutation($i: SubscribeInput!) { subscribe(input: $i) { ok webhookSecret subscriptionId } }";

describe("email subscriptions (real SMTP server, real mails)", () => {
  let t: TestBeacon;
  const sink = new MailSink();
  let apiId: string;
  let webId: string;
  const settle = async () => {
    await t.started.beacon.deliveries.consumer.drain();
    await new Promise((r) => setTimeout(r, 1500));
  };
  const subscribeAndConfirm = async (email: string, serviceIds?: string[]) => {
    expect(
      (await t.anon.ok<{ subscribe: { ok: boolean } }>(SUBSCRIBE, { i: { email, serviceIds } })).subscribe.ok,
    ).toBe(true);
    const [confirmation] = await sink.waitFor(email, 1);
    assert.exists(confirmation, `a confirmation mail to ${email}`);
    const url = linkIn(confirmation.text ?? "", "http://status.test/subscriptions/confirm?token=");
    const local = url.replace("http://status.test", t.url);
    const res = await fetch(local, { method: "POST" });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Subscription confirmed");
  };

  beforeAll(async () => {
    const smtpUrl = await sink.start();
    t = await startTestBeacon({
      env: {
        SMTP_URL: smtpUrl,
        MAIL_FROM: "Status <status@example.com>",
        PUBLIC_URL: "http://status.test",
        BEACON_JOB_POLL_SECONDS: "1",
      },
    });
    apiId = await createService(t.admin, "API");
    webId = await createService(t.admin, "Website");
  });
  afterAll(async () => {
    await t?.stop();
    await sink.stop();
  });

  it("double opt-in: a confirmation mail with a working link, and nothing before it is confirmed", async () => {
    const email = "ada@example.com";
    expect(
      (await t.anon.ok<{ subscribe: { ok: boolean } }>(SUBSCRIBE, { i: { email: "Ada@Example.com" } }))
        .subscribe,
    ).toEqual({
      ok: true,
      webhookSecret: null,
      subscriptionId: null,
    });
    const [confirmation] = await sink.waitFor(email, 1);
    assert.exists(confirmation, "the confirmation mail");
    expect(confirmation.subject).toMatch(/Confirm your subscription/);
    expect(confirmation.from?.text).toContain("status@example.com");
    await setServiceStatus(t.admin, apiId, "DEGRADED_PERFORMANCE");
    await settle();
    expect(sink.to(email)).toHaveLength(1);

    const url = linkIn(confirmation.text ?? "", "http://status.test/subscriptions/confirm?token=");
    const local = url.replace("http://status.test", t.url);
    // GET shows a button and changes nothing (link scanners); POST confirms.
    const shown = await fetch(local);
    expect(await shown.text()).toContain("Confirm subscription");
    const [before] = await t.started.beacon.db.query(
      "SELECT confirmed FROM update_subscription WHERE target = $1",
      [email],
    );
    expect(before.confirmed).toBe(false);
    expect((await fetch(local, { method: "POST" })).status).toBe(200);

    await setServiceStatus(t.admin, apiId, "MAJOR_OUTAGE");
    const mails = await sink.waitFor(email, 2);
    const update = mails[1];
    assert.exists(update, "the status mail after confirming");
    expect(update.subject).toBe("[Beacon] API: Major Outage");
    expect(update.text).toContain("API is now: Major Outage.");
    expect(update.html).toContain("Major Outage");
    const unsubscribe = linkIn(update.text ?? "", "http://status.test/subscriptions/unsubscribe?token=");
    const header = (key: string) => update.headerLines.find((h) => h.key === key)?.line ?? "";
    expect(header("list-unsubscribe-post")).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    expect(header("list-unsubscribe").replace(/\r?\n\s+/g, "")).toContain(`<${unsubscribe}>`);
    // The earlier change (before confirmation) was never sent.
    await settle();
    expect(sink.to(email)).toHaveLength(2);
  });

  it("an incident mail says the status in words, the message, the services and links to the incident", async () => {
    const email = "grace@example.com";
    await subscribeAndConfirm(email);
    const inc = await openIncident(t.admin, { title: "Checkout errors", public: true, serviceIds: [webId] });
    await t.admin.ok(
      'mutation($i: ID!) { postPublicUpdate(incidentId: $i, message: "A fix is rolling out.", status: IDENTIFIED) { id } }',
      { i: inc.id },
    );
    const mails = await sink.waitFor(email, 3);
    expect(mails[1]?.subject).toBe("[Beacon] Investigating: Checkout errors");
    const identified = mails[2];
    assert.exists(identified, "the mail for the public update");
    expect(identified.subject).toBe("[Beacon] Identified: Checkout errors");
    expect(identified.text).toContain("A fix is rolling out.");
    expect(identified.text).toContain("Affected services: Website");
    expect(identified.text).toContain(`http://status.test/incidents/${inc.id}`);
  });

  it("service filters hold: a subscriber of one service hears nothing about another", async () => {
    const email = "linus@example.com";
    await subscribeAndConfirm(email, [webId]);
    await setServiceStatus(t.admin, apiId, "OPERATIONAL");
    await settle();
    expect(sink.to(email)).toHaveLength(1);
    await setServiceStatus(t.admin, webId, "PARTIAL_OUTAGE");
    const mails = await sink.waitFor(email, 2);
    expect(mails[1]?.subject).toBe("[Beacon] Website: Partial Outage");
  });

  it("one-click unsubscribe (RFC 8058 POST) stops the mails", async () => {
    const email = "ken@example.com";
    await subscribeAndConfirm(email);
    await setServiceStatus(t.admin, webId, "OPERATIONAL");
    const [, update] = await sink.waitFor(email, 2);
    assert.exists(update, "the status mail");
    const url = linkIn(update.text ?? "", "http://status.test/subscriptions/unsubscribe?token=").replace(
      "http://status.test",
      t.url,
    );
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(res.status).toBe(200);
    await setServiceStatus(t.admin, webId, "MAJOR_OUTAGE");
    await settle();
    expect(sink.to(email)).toHaveLength(2);
    // Idempotent: the same link again is fine.
    expect((await fetch(url, { method: "POST" })).status).toBe(200);
  });

  it("a known address gets the same answer and at most one pending confirmation", async () => {
    const email = "barbara@example.com";
    const first = await t.anon.gql(SUBSCRIBE, { i: { email } });
    const second = await t.anon.gql(SUBSCRIBE, { i: { email } });
    expect(second).toEqual(first);
    await sink.waitFor(email, 1);
    await settle();
    expect(sink.to(email)).toHaveLength(1);
    // A confirmed address answers the same, and gets no mail.
    const known = await t.anon.gql(SUBSCRIBE, { i: { email: "ada@example.com" } });
    expect(known).toEqual(first);
  });

  it("refuses bad input, naming the field; tampered and expired tokens change nothing", async () => {
    const bad = await t.anon.fails(SUBSCRIBE, { i: { email: "not-an-address" } });
    expect(bad.code).toBe("BAD_USER_INPUT");
    expect(bad.extensions?.field).toBe("email");
    const both = await t.anon.fails(SUBSCRIBE, { i: {} });
    expect(both.code).toBe("BAD_USER_INPUT");
    const svc = await t.anon.fails(SUBSCRIBE, { i: { email: "x@example.com", serviceIds: ["nope"] } });
    expect(svc.extensions?.field).toBe("serviceIds");

    const [confirmation] = await sink.waitFor("barbara@example.com", 1);
    assert.exists(confirmation, "the confirmation mail");
    const [, encoded] = linkIn(
      confirmation.text ?? "",
      "http://status.test/subscriptions/confirm?token=",
    ).split("token=");
    assert.exists(encoded, "a token in the confirmation link");
    const token = decodeURIComponent(encoded);
    const tampered = `${token.slice(0, -2)}${token.endsWith("AA") ? "BB" : "AA"}`;
    const confirmUrl = `${t.url}/subscriptions/confirm?token=${encodeURIComponent(tampered)}`;
    // The page says so before offering a button that cannot work, and the POST refuses too.
    const shown = await fetch(confirmUrl);
    expect(shown.status).toBe(400);
    const shownPage = await shown.text();
    expect(shownPage).toContain("invalid or has expired");
    expect(shownPage).not.toContain("<form");
    const res = await fetch(confirmUrl, { method: "POST" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("invalid or has expired");
    // The genuine link's page offers the button.
    const genuine = await fetch(`${t.url}/subscriptions/confirm?token=${encodeURIComponent(token)}`);
    expect(genuine.status).toBe(200);
    expect(await genuine.text()).toContain("<form");
    const gql = await t.anon.fails("mutation($t: String!) { confirmSubscription(token: $t) }", {
      t: tampered,
    });
    expect(gql.code).toBe("BAD_USER_INPUT");
    // A confirm token is not an unsubscribe token.
    expect((await t.anon.fails("mutation($t: String!) { unsubscribe(token: $t) }", { t: token })).code).toBe(
      "BAD_USER_INPUT",
    );
    const [row] = await t.started.beacon.db.query(
      "SELECT confirmed FROM update_subscription WHERE target = $1",
      ["barbara@example.com"],
    );
    expect(row.confirmed).toBe(false);
  });

  it("rate-limits the public subscribe per address", async () => {
    const email = "spam-target@example.com";
    for (let i = 0; i < 3; i++) await t.anon.ok(SUBSCRIBE, { i: { email } });
    const e = await t.anon.fails(SUBSCRIBE, { i: { email } });
    expect(e.code).toBe("RATE_LIMITED");
    expect(e.message).toMatch(/Try again in/);
  });

  it("maintenance is mailed: scheduled, the reminder before it, started, updates, completed, canceled", async () => {
    const email = "margaret@example.com";
    await subscribeAndConfirm(email, [apiId]);
    const other = "dennis@example.com";
    await subscribeAndConfirm(other, [webId]);
    const start = Date.now() + 3 * 3_600_000;
    const scheduled = await t.admin.ok<{ scheduleMaintenance: { id: string; version: number } }>(
      "mutation($i: ScheduleMaintenanceInput!) { scheduleMaintenance(input: $i) { id version } }",
      {
        i: {
          title: "Database upgrade",
          description: "Moving to a bigger machine.",
          serviceIds: [apiId],
          scheduledStart: new Date(start).toISOString(),
          scheduledEnd: new Date(start + 3_600_000).toISOString(),
        },
      },
    );
    const { id } = scheduled.scheduleMaintenance;
    // The reminder job's handler, as BEACON_MAINTENANCE_REMINDERS would run it an hour before.
    expect(await sendReminder(t.started.beacon, id, 60, new Date(Math.floor(start / 1000) * 1000))).toBe(
      false,
    );
    const [{ scheduled_start }] = await t.started.beacon.db.query(
      "SELECT scheduled_start FROM maintenance WHERE id = $1",
      [id],
    );
    expect(await sendReminder(t.started.beacon, id, 60, scheduled_start)).toBe(true);
    const started = await t.admin.ok<{ startMaintenance: { version: number } }>(
      "mutation($id: ID!, $v: Int!) { startMaintenance(id: $id, expectedVersion: $v) { version } }",
      { id, v: scheduled.scheduleMaintenance.version },
    );
    const posted = await t.admin.ok<{ postMaintenanceUpdate: { version: number } }>(
      'mutation($id: ID!, $v: Int!) { postMaintenanceUpdate(id: $id, expectedVersion: $v, message: "Halfway there.") { version } }',
      { id, v: started.startMaintenance.version },
    );
    await t.admin.ok(
      "mutation($id: ID!, $v: Int!) { completeMaintenance(id: $id, expectedVersion: $v) { version } }",
      { id, v: posted.postMaintenanceUpdate.version },
    );
    // 1 confirmation + scheduled, reminder, started (+ the service going under maintenance),
    // update, completed (+ the service back to operational).
    const mails = await sink.waitFor(email, 8);
    // Mails of one page of events go out concurrently: their order of arrival is not theirs.
    const subjects = mails.slice(1).map((m) => m.subject);
    expect(subjects.sort()).toEqual(
      [
        "[Beacon] Scheduled maintenance: Database upgrade",
        "[Beacon] Maintenance starts in 1 hour: Database upgrade",
        "[Beacon] API: Under Maintenance",
        "[Beacon] Maintenance in progress: Database upgrade",
        "[Beacon] Maintenance update: Database upgrade",
        "[Beacon] API: Operational",
        "[Beacon] Maintenance completed: Database upgrade",
      ].sort(),
    );
    const update = mails.find((m) => m.subject?.startsWith("[Beacon] Maintenance update"));
    expect(update?.text).toContain("Halfway there.");
    expect(update?.text).toContain("Affected services: API");
    expect(update?.text).toContain("Moving to a bigger machine.");
    expect(update?.headerLines.some((h) => h.key === "list-unsubscribe-post")).toBe(true);

    const later = Date.now() + 5 * 3_600_000;
    const second = await t.admin.ok<{ scheduleMaintenance: { id: string; version: number } }>(
      "mutation($i: ScheduleMaintenanceInput!) { scheduleMaintenance(input: $i) { id version } }",
      {
        i: {
          title: "Network change",
          serviceIds: [apiId],
          scheduledStart: new Date(later).toISOString(),
          scheduledEnd: new Date(later + 3_600_000).toISOString(),
        },
      },
    );
    await t.admin.ok(
      'mutation($id: ID!, $v: Int!) { cancelMaintenance(id: $id, expectedVersion: $v, reason: "Not needed after all.") { version } }',
      { id: second.scheduleMaintenance.id, v: second.scheduleMaintenance.version },
    );
    const all = await sink.waitFor(email, 10);
    expect(all.at(-1)?.subject).toBe("[Beacon] Maintenance canceled: Network change");
    expect(all.at(-1)?.text).toContain("Not needed after all.");
    // The subscriber of another service heard nothing of it.
    await settle();
    expect(sink.to(other)).toHaveLength(1);
    expect(sink.to(email)).toHaveLength(10);
  });

  it("an expired confirmation link gets the clear page and changes nothing", async () => {
    const email = "expired@example.com";
    await t.anon.ok(SUBSCRIBE, { i: { email } });
    await sink.waitFor(email, 1);
    const [row] = await t.started.beacon.db.query("SELECT id FROM update_subscription WHERE target = $1", [
      email,
    ]);
    // Signed with Beacon's own key, valid in every way but its expiry (one second ago).
    const expired = signToken(t.started.beacon.deliveries.signingKey, {
      s: row.id,
      p: "confirm",
      e: Math.floor(Date.now() / 1000) - 1,
    });
    const res = await fetch(`${t.url}/subscriptions/confirm?token=${encodeURIComponent(expired)}`, {
      method: "POST",
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("invalid or has expired");
    const gql = await t.anon.fails("mutation($t: String!) { confirmSubscription(token: $t) }", {
      t: expired,
    });
    expect(gql).toMatchObject({
      code: "BAD_USER_INPUT",
      extensions: expect.objectContaining({ field: "token" }),
    });
    const manage = signToken(t.started.beacon.deliveries.signingKey, { s: row.id, p: "manage" });
    const tampered = `${manage.slice(0, -3)}${manage.endsWith("xyz") ? "abc" : "xyz"}`;
    const unsubscribeUrl = `${t.url}/subscriptions/unsubscribe?token=${encodeURIComponent(tampered)}`;
    const shown = await fetch(unsubscribeUrl);
    expect(shown.status).toBe(400);
    expect(await shown.text()).toContain("invalid or has expired");
    const page = await fetch(unsubscribeUrl, { method: "POST" });
    expect(page.status).toBe(400);
    expect(await page.text()).toContain("invalid or has expired");
    const [after] = await t.started.beacon.db.query(
      "SELECT confirmed FROM update_subscription WHERE target = $1",
      [email],
    );
    expect(after).toEqual({ confirmed: false });
  });

  it("admins list subscribers (filter by channel, service, search) and remove them; others may not", async () => {
    const list = await t.admin.ok<{
      updateSubscriptions: { target: string; confirmed: boolean; services: { name: string }[] }[];
    }>(
      `query($s: ID) { updateSubscriptions(channel: EMAIL, serviceId: $s) { target confirmed services { name } } }`,
      { s: apiId },
    );
    expect(list.updateSubscriptions.map((s) => s.target)).not.toContain("linus@example.com");
    expect(list.updateSubscriptions.map((s) => s.target)).toContain("ada@example.com");
    const found = await t.admin.ok<{ updateSubscriptions: { id: string; target: string }[] }>(
      '{ updateSubscriptions(search: "linus") { id target } }',
    );
    expect(found.updateSubscriptions.map((s) => s.target)).toEqual(["linus@example.com"]);
    expect((await t.anon.fails("{ updateSubscriptions { id } }")).code).toBe("UNAUTHENTICATED");
    const agent = await t.user("AGENT");
    expect((await agent.fails("{ updateSubscriptions { id } }")).code).toBe("FORBIDDEN");
    await t.admin.ok("mutation($id: ID!) { removeUpdateSubscription(id: $id) }", {
      id: found.updateSubscriptions[0]?.id,
    });
    await settle();
    const before = sink.to("linus@example.com").length;
    await setServiceStatus(t.admin, webId, "DEGRADED_PERFORMANCE");
    await settle();
    expect(sink.to("linus@example.com")).toHaveLength(before);
    expect(sink.to("ada@example.com").at(-1)?.subject).toBe("[Beacon] Website: Degraded Performance");
  });
});

describe("the public subscribe is rate-limited per caller IP", () => {
  let t: TestBeacon;
  beforeAll(async () => {
    t = await startTestBeacon({ env: { BEACON_JOB_POLL_SECONDS: "1" } });
  });
  afterAll(() => t?.stop());

  it("20 addresses an hour from one IP, then RATE_LIMITED whatever the address", async () => {
    for (let i = 0; i < 20; i++) await t.anon.ok(SUBSCRIBE, { i: { email: `visitor${i}@example.com` } });
    const e = await t.anon.fails(SUBSCRIBE, { i: { email: "visitor20@example.com" } });
    expect(e.code).toBe("RATE_LIMITED");
    expect(e.message).toMatch(/Try again in/);
    // Refused before anything is written: no row, no confirmation queued.
    const [{ n }] = await t.started.beacon.db.query(
      "SELECT count(*)::int AS n FROM update_subscription WHERE target = 'visitor20@example.com'",
    );
    expect(n).toBe(0);
  });
});

describe("without SMTP_URL: the local outbox", () => {
  let t: TestBeacon;
  beforeAll(async () => {
    t = await startTestBeacon({ env: { PUBLIC_URL: "http://status.test", BEACON_JOB_POLL_SECONDS: "1" } });
  });
  afterAll(() => t?.stop());

  it("keeps every mail for admins to read (outgoingMail), exactly what would have been sent", async () => {
    await t.anon.ok(SUBSCRIBE, { i: { email: "newcomer@example.com" } });
    const read = () =>
      t.admin.ok<{ outgoingMail: { to: string; subject: string; text: string; sent: boolean }[] }>(
        "{ outgoingMail { to subject text sent } }",
      );
    const deadline = Date.now() + 10_000;
    while ((await read()).outgoingMail.length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    const [mail] = (await read()).outgoingMail;
    assert.exists(mail, "a mail in the local outbox");
    expect(mail).toMatchObject({ to: "newcomer@example.com", sent: false });
    expect(mail.text).toContain("http://status.test/subscriptions/confirm?token=");
    expect((await t.anon.fails("{ outgoingMail { to } }")).code).toBe("UNAUTHENTICATED");
  });
});
