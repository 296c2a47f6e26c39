// The Admin page's Subscribers, Webhook endpoints and Mail outbox sections, in a real Chromium
// against a real Beacon without SMTP (mails kept in the local outbox) and a real webhook receiver on
// loopback (BEACON_WEBHOOK_ALLOW_PRIVATE=1): find and remove a subscriber, read a kept mail as text
// and as sandboxed HTML, register an endpoint (secret shown once), send a test event, see it in the
// delivery log, retry a failed delivery, resume a paused endpoint.
import http from "node:http";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UpdateSubscription } from "../../server/subscriptions/update-subscription.entity";
import { type Person, startTestBeacon, type TestBeacon } from "../support/harness";
import { createService } from "../support/incidents";
import { linkIn } from "../support/mail-sink";
import { expectAccessible } from "./axe";
import { assertWebBuilt, launchBrowser, SHOTS, signIn, WEB_DIR } from "./browser";

const DOCS_SHOTS = path.resolve("docs/screenshots");
let t: TestBeacon;
let browser: Browser;
let admin: Person;
const ids: Record<string, string> = {};

/** A webhook receiver on loopback: answers `status` (changeable), keeps what it got. */
const received: { id: string; body: string; headers: Record<string, string> }[] = [];
let answer = 200;
const receiver = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c) => {
    body += c;
  });
  req.on("end", () => {
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    received.push({ id: headers["webhook-id"] ?? "", body, headers });
    res.writeHead(answer).end();
  });
});
let receiverUrl = "";

const SUBSCRIBE = "mutation($i: SubscribeInput!) { subscribe(input: $i) { ok } }";

beforeAll(async () => {
  assertWebBuilt();
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", () => r()));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/beacon`;
  t = await startTestBeacon({
    env: {
      BEACON_WEB_DIR: WEB_DIR,
      BEACON_WEBHOOK_ALLOW_PRIVATE: "1",
      BEACON_WEBHOOK_RETRIES: "0",
      BEACON_JOB_POLL_SECONDS: "1",
    },
  });
  admin = await t.user("ADMIN", "Ada Admin");
  ids.api = await createService(t.admin, "Public API", "Platform");
  ids.web = await createService(t.admin, "Website", "Platform");
  // Two people subscribe on the status page (the API it uses); one confirms by the mailed link.
  await t.anon.ok(SUBSCRIBE, { i: { email: "grace@example.com" } });
  await t.anon.ok(SUBSCRIBE, { i: { email: "linus@example.org", serviceIds: [ids.api] } });
  const mail = await waitForMail("grace@example.com");
  const confirm = linkIn(mail.text, "/subscriptions/confirm?token=");
  expect((await fetch(`${t.url}${confirm}`, { method: "POST" })).status).toBe(200);
  await waitForMail("linus@example.org");
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
  await new Promise((r) => receiver.close(r));
});

/** The kept confirmation mail to `to` (the job writes it within a poll or two). */
async function waitForMail(to: string): Promise<{ text: string }> {
  for (let i = 0; i < 100; i++) {
    const d = await t.admin.ok<{ outgoingMail: { to: string; text: string }[] }>(
      "{ outgoingMail { to text } }",
    );
    const found = d.outgoingMail.find((m) => m.to === to);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no mail to ${to} in the outbox`);
}

async function openAdmin(page: Page) {
  await page.getByRole("navigation", { name: "War room" }).getByRole("link", { name: "Admin" }).click();
  await page.getByRole("heading", { level: 1, name: "Admin" }).waitFor();
}

describe("Admin: subscribers, webhook endpoints, mail outbox", () => {
  it("lists, searches, filters and removes subscribers", async () => {
    const { ctx, page } = await signIn(browser, t.url, admin);
    await openAdmin(page);
    const section = page.getByTestId("admin-subscribers");
    const grace = section.getByTestId("subscriber-grace@example.com");
    const linus = section.getByTestId("subscriber-linus@example.org");
    await grace.waitFor();
    expect(await grace.getByTestId("subscriber-state").textContent()).toBe("Confirmed");
    expect(await linus.getByTestId("subscriber-state").textContent()).toBe("Pending confirmation");
    expect(await grace.getByRole("cell").nth(1).textContent()).toBe("All services");
    expect(await linus.getByRole("cell").nth(1).textContent()).toBe("Public API");
    await section.scrollIntoViewIfNeeded();
    await section.screenshot({ path: `${DOCS_SHOTS}/admin-subscribers.png` });
    await expectAccessible(page, "Admin with the subscriber sections");

    // Search by address.
    await section.getByLabel("Search address").fill("example.org");
    await grace.waitFor({ state: "detached" });
    await linus.waitFor();
    await section.getByLabel("Search address").fill("");
    await grace.waitFor();
    // Service: the one who chose nothing gets every service's updates, so both match "Public API";
    // only Grace matches "Website".
    await section.getByLabel("Service").selectOption({ label: "Platform · Website" });
    await linus.waitFor({ state: "detached" });
    await grace.waitFor();
    await section.getByLabel("Service").selectOption({ label: "Any service" });
    // Channel: no webhook endpoints yet.
    await section.getByLabel("Channel").selectOption("WEBHOOK");
    await section
      .getByTestId("subscribers-empty")
      .getByText("No subscriber matches these filters.")
      .waitFor();
    await section.getByLabel("Channel").selectOption("EMAIL");

    // Remove, after confirming.
    await linus.getByRole("button", { name: "Remove linus@example.org" }).click();
    const dialog = page.getByTestId("remove-subscription-dialog");
    await dialog.getByText(/gets no more updates/).waitFor();
    await dialog.getByRole("button", { name: "Remove" }).click();
    await dialog.waitFor({ state: "detached" });
    await linus.waitFor({ state: "detached" });
    await section.getByTestId("subscribers-status").getByText("Removed linus@example.org").waitFor();
    const left = await t.admin.ok<{ updateSubscriptions: { target: string }[] }>(
      "{ updateSubscriptions { target } }",
    );
    expect(left.updateSubscriptions.map((s) => s.target)).toEqual(["grace@example.com"]);
    await ctx.close();
  });

  it("reads a kept mail as text and as sandboxed HTML (no SMTP_URL)", async () => {
    const { ctx, page } = await signIn(browser, t.url, admin);
    await openAdmin(page);
    const section = page.getByTestId("admin-mail-outbox");
    await section
      .getByTestId("mail-outbox-note")
      .getByText(/No SMTP_URL is set/)
      .waitFor();
    const rows = section.getByTestId("mail");
    await rows.first().waitFor();
    expect(await rows.count()).toBe(2);
    // Newest first: Linus subscribed after Grace.
    expect(await rows.first().getByRole("cell").first().textContent()).toBe("linus@example.org");
    await section.getByRole("button", { name: /^Read ".*" to grace@example\.com$/ }).click();
    const reader = page.getByTestId("mail-reader");
    await reader
      .getByTestId("mail-text")
      .getByText(/\/subscriptions\/confirm\?token=/)
      .waitFor();
    await reader.getByText("Kept in the local outbox (not sent)").waitFor();
    await reader.getByLabel("HTML").check();
    await reader
      .getByTestId("mail-html-note")
      .getByText(/no scripts run/)
      .waitFor();
    const frame = reader.getByTestId("mail-html");
    expect(await frame.getAttribute("sandbox")).toBe("");
    await page.frameLocator('[data-testid="mail-html"]').getByRole("link").first().waitFor();
    await page.screenshot({ path: `${SHOTS}/admin-mail-outbox.png` });
    await reader.getByRole("button", { name: "Close" }).click();
    await reader.waitFor({ state: "detached" });
    await ctx.close();
  });

  it("registers an endpoint, sends a test event into the delivery log, retries a failure, resumes a paused one", async () => {
    const { ctx, page } = await signIn(browser, t.url, admin);
    await openAdmin(page);
    const section = page.getByTestId("admin-webhooks");
    await section.getByTestId("webhooks-empty").waitFor();

    await section.getByRole("button", { name: "Register endpoint" }).click();
    const form = page.getByTestId("register-webhook-dialog");
    // A URL that is not one: the server's message, as it is.
    await form.getByLabel("URL").fill("ftp://partner.example.com/x");
    await form.getByRole("button", { name: "Register" }).click();
    await form.getByTestId("register-webhook-error").waitFor();
    await form.getByLabel("URL").fill(receiverUrl);
    await form.getByLabel("Public API").check();
    await form.getByRole("button", { name: "Register" }).click();
    const shown = page.getByTestId("webhook-secret-dialog");
    const secret = await shown.getByTestId("api-key-secret").inputValue();
    expect(secret).toMatch(/^whsec_/);
    await shown.getByText(/cannot show it again/).waitFor();
    await shown.getByRole("button", { name: "I have stored it" }).click();
    await shown.waitFor({ state: "detached" });

    const endpoint = section.getByTestId(`endpoint-${receiverUrl}`);
    await endpoint.getByText("Public API").waitFor();
    // The Subscribers section lists it too (reloaded by the change).
    await page.getByTestId("admin-subscribers").getByTestId(`subscriber-${receiverUrl}`).waitFor();

    // Send a test event: the log opens and follows it until it is delivered.
    await endpoint.getByRole("button", { name: "Send test event" }).click();
    const log = endpoint.getByTestId("delivery-log");
    const delivered = log.locator('[data-testid="delivery"][data-state="DELIVERED"]');
    await delivered.waitFor({ timeout: 15_000 });
    expect(await delivered.getByRole("rowheader").textContent()).toMatch(/^Test event/);
    expect(await delivered.getByTestId("attempt-status").textContent()).toBe("200");
    // The receiver got it, signed with the secret shown once.
    const got = received.at(-1);
    expect(got && JSON.parse(got.body)).toMatchObject({ type: "test" });
    expect(() => new Webhook(secret).verify(got!.body, got!.headers)).not.toThrow();
    await section.screenshot({ path: `${SHOTS}/admin-webhooks.png` });

    // A failing receiver: the delivery ends FAILED (no retries here); Retry sends it again, same id.
    answer = 500;
    await endpoint.getByRole("button", { name: "Send test event" }).click();
    const failed = log.locator('[data-testid="delivery"][data-state="FAILED"]');
    await failed.waitFor({ timeout: 15_000 });
    expect(await failed.getByTestId("attempt-status").textContent()).toBe("500");
    const failedId = received.at(-1)!.id;
    answer = 200;
    await failed.getByRole("button", { name: "Retry" }).click();
    await log.locator('[data-testid="delivery"][data-state="DELIVERED"]').nth(1).waitFor({ timeout: 15_000 });
    expect(received.at(-1)!.id).toBe(failedId);
    // Both attempts are in the log: the 500, then the 200.
    await log.getByTestId("delivery-attempt").getByText("200").waitFor();

    // Paused (as after repeated failures): the state, the reason, and Resume.
    const { id } = await t.started.beacon.db.manager.findOneByOrFail(UpdateSubscription, {
      target: receiverUrl,
    });
    await t.started.beacon.db.manager.update(UpdateSubscription, id, {
      paused: true,
      pausedReason: "Paused after 5 deliveries in a row failed (last: HTTP 500).",
    });
    await page.reload();
    await endpoint
      .getByTestId("endpoint-paused")
      .getByText(/Paused after 5 deliveries/)
      .waitFor();
    await endpoint.getByRole("button", { name: "Resume" }).click();
    await endpoint.getByTestId("endpoint-paused").waitFor({ state: "detached" });
    expect(await endpoint.getAttribute("data-paused")).toBe("false");
    await section.getByTestId("webhooks-status").getByText(`Resumed ${receiverUrl}`).waitFor();
    await ctx.close();
  });
});
