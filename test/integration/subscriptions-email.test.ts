import { afterAll, assert, beforeAll, describe, expect, it } from "vitest";
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
    const res = await fetch(`${t.url}/subscriptions/confirm?token=${encodeURIComponent(tampered)}`, {
      method: "POST",
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("invalid or has expired");
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
