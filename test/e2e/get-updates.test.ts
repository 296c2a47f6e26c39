// "Get updates" on the status page, end to end in a real Chromium against a real Beacon that mails
// through a real SMTP server (smtp-server, mails parsed with mailparser): subscribe in the page,
// confirm with the link the mail carries, a status change mails an update with its unsubscribe link
// and RFC 8058 one-click headers, and the one-click unsubscribe works.
import net from "node:net";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, assert, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestBeacon, type TestBeacon } from "../support/harness";
import { createService, setServiceStatus } from "../support/incidents";
import { linkIn, MailSink } from "../support/mail-sink";
import { expectAccessible } from "./axe";
import { assertWebBuilt, launchBrowser, SHOTS, WEB_DIR } from "./browser";

/** PUBLIC_URL is this server itself, so the links in the mails open in the browser as they are. */
let PUBLIC = "";
const DOCS_SHOTS = path.resolve("docs/screenshots");

let t: TestBeacon;
let browser: Browser;
let manager: Person;
const sink = new MailSink();
const ids: Record<string, string> = {};

/** A port nothing listens on now, for the server to take (its links need it before it starts). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  assertWebBuilt();
  const smtpUrl = await sink.start();
  const port = await freePort();
  PUBLIC = `http://127.0.0.1:${port}`;
  t = await startTestBeacon({
    env: {
      BEACON_WEB_DIR: WEB_DIR,
      SMTP_URL: smtpUrl,
      MAIL_FROM: "Beacon Status <status@example.com>",
      PORT: String(port),
      PUBLIC_URL: PUBLIC,
      BEACON_JOB_POLL_SECONDS: "1",
    },
  });
  expect(t.url).toBe(PUBLIC);
  manager = await t.user("INCIDENT_MANAGER", "Max Manager");
  ids.api = await createService(t.admin, "Public API", "Platform");
  ids.web = await createService(t.admin, "Website", "Platform");
  ids.mail = await createService(t.admin, "Email delivery", "Messaging");
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
  await sink.stop();
});

describe("Get updates (status page, real SMTP)", () => {
  it("subscribe in the page, confirm by the mailed link, get the update mail, unsubscribe in one click", async () => {
    // Server-rendered: the button is in the first HTML, before any script runs.
    const html = await (await fetch(`${t.url}/`)).text();
    expect(html).toContain('data-testid="get-updates"');
    expect(html).toMatch(/<a href="\/history\.atom">Atom feed<\/a>/);

    const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await ctx.newPage();
    await page.goto(`${t.url}/`);
    await page.getByTestId("service-group-Platform").waitFor();
    const opener = page.getByRole("button", { name: "Get updates" });
    await opener.click();
    const dialog = page.getByRole("dialog", { name: "Get updates" });
    await dialog.waitFor();
    // Focus moves into the dialog, on the address.
    const address = dialog.getByLabel("Email address");
    expect(await address.evaluate((el) => el === document.activeElement)).toBe(true);

    // Nothing typed: said here, focus stays on the field.
    await dialog.getByRole("button", { name: "Subscribe" }).click();
    await dialog.getByTestId("get-updates-email-error").getByText("Enter your email address.").waitFor();
    // Not an address: the server's BAD_USER_INPUT names the field, shown under it, which gets focus.
    await address.fill("ada-at-example");
    await dialog.getByRole("button", { name: "Subscribe" }).click();
    const emailError = dialog.getByTestId("get-updates-email-error");
    await emailError.getByText(/"ada-at-example" is not an email address/).waitFor();
    expect(await address.getAttribute("aria-invalid")).toBe("true");
    await page.waitForFunction(() => document.activeElement?.getAttribute("type") === "email");
    expect(await address.getAttribute("aria-describedby")).toBe(await emailError.getAttribute("id"));

    // A chosen subset, grouped as on the page; choosing none is refused here.
    await address.fill("ada@example.com");
    await dialog.getByLabel("Only the services I choose").check();
    await dialog.getByRole("group", { name: "Platform" }).waitFor();
    await dialog.getByRole("group", { name: "Messaging" }).waitFor();
    await dialog.getByRole("button", { name: "Subscribe" }).click();
    await dialog
      .getByTestId("get-updates-services-error")
      .getByText(/Choose at least one service/)
      .waitFor();
    await dialog.getByRole("group", { name: "Platform" }).getByLabel("Public API").check();
    await dialog.getByRole("group", { name: "Messaging" }).getByLabel("Email delivery").check();
    // Choosing a service takes the complaint away.
    await dialog.getByTestId("get-updates-services-error").waitFor({ state: "detached" });
    await page.screenshot({ path: `${DOCS_SHOTS}/get-updates.png` });
    await expectAccessible(page, "Get updates dialog");
    await dialog.getByRole("button", { name: "Subscribe" }).click();
    const done = dialog.getByTestId("get-updates-done");
    await done.getByText("Check your inbox to confirm.").waitFor();
    expect(await done.evaluate((el) => el === document.activeElement)).toBe(true);
    await dialog.getByTestId("feed-links").getByRole("link", { name: "RSS feed" }).waitFor();
    await dialog.getByRole("button", { name: "Done" }).click();
    await dialog.waitFor({ state: "detached" });
    // Focus goes back to the button that opened it.
    expect(await opener.evaluate((el) => el === document.activeElement)).toBe(true);

    // The confirmation mail; nothing else before the link is opened.
    const [confirmation] = await sink.waitFor("ada@example.com", 1);
    assert.exists(confirmation);
    expect(confirmation.subject).toMatch(/Confirm your subscription/);
    const confirmUrl = linkIn(confirmation.text ?? "", `${PUBLIC}/subscriptions/confirm?token=`);
    await page.goto(confirmUrl);
    await page.getByRole("heading", { name: "Confirm your subscription" }).waitFor();
    await page.getByRole("button", { name: "Confirm subscription" }).click();
    await page.getByRole("heading", { name: "Subscription confirmed" }).waitFor();
    await page.getByText("ada@example.com").waitFor();

    // The manage page (from the confirmation page) shows the choice, grouped.
    await page.getByRole("link", { name: "Choose services" }).click();
    await page.getByRole("heading", { name: "Your subscription" }).waitFor();
    const platform = page.getByRole("group", { name: "Platform" });
    expect(await platform.getByLabel("Public API").isChecked()).toBe(true);
    expect(await platform.getByLabel("Website").isChecked()).toBe(false);
    await page.screenshot({ path: `${SHOTS}/subscription-manage.png` });
    await expectAccessible(page, "manage-preferences page");

    // A status change by an incident manager (API) mails the update.
    await setServiceStatus(manager, ids.api!, "MAJOR_OUTAGE");
    const mails = await sink.waitFor("ada@example.com", 2);
    const update = mails[1]!;
    expect(update.text).toContain("Public API");
    expect(update.text).toMatch(/major outage/i);
    const unsubscribeUrl = linkIn(update.text ?? "", `${PUBLIC}/subscriptions/unsubscribe?token=`);
    // The raw header lines as the SMTP server received them (folded lines joined).
    const header = (key: string) =>
      (update.headerLines.find((h) => h.key === key)?.line ?? "").replace(/\r?\n\s+/g, "");
    expect(header("list-unsubscribe-post")).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    const oneClick = header("list-unsubscribe").match(/<([^>]+)>/)?.[1];
    expect(oneClick).toBe(unsubscribeUrl);

    // RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" to that URL, no page involved.
    const res = await fetch(oneClick!, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(res.status).toBe(200);
    const left = await t.admin.ok<{ updateSubscriptions: unknown[] }>(
      '{ updateSubscriptions(search: "ada@example.com") { id } }',
    );
    expect(left.updateSubscriptions).toEqual([]);
    // The link in the mail still opens a clear page, in the browser.
    await page.goto(unsubscribeUrl);
    await page.getByRole("button", { name: "Unsubscribe" }).click();
    await page.getByRole("heading", { name: "Unsubscribed" }).waitFor();

    // Later changes mail nothing more.
    await setServiceStatus(manager, ids.api!, "OPERATIONAL");
    await t.started.beacon.deliveries.consumer.drain();
    expect(sink.to("ada@example.com")).toHaveLength(2);
    await ctx.close();
  });

  it("says when to try again (RATE_LIMITED) and works at phone width with the keyboard", async () => {
    const email = "linus@example.com";
    // Three subscribes per address per hour: two here, the third in the page, the fourth refused.
    for (let i = 0; i < 2; i++)
      await t.anon.ok("mutation($e: String!) { subscribe(input: { email: $e }) { ok } }", { e: email });
    const ctx = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await ctx.newPage();
    await page.goto(`${t.url}/`);
    await page.getByTestId("service-group-Platform").waitFor();
    const opener = page.getByRole("button", { name: "Get updates" });
    // On a phone the button is in the header's first screen, not pushed off the side.
    const box = await opener.boundingBox();
    assert.exists(box);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect(box.y).toBeLessThan(140);
    await opener.focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Get updates" });
    await dialog.waitFor();
    await page.keyboard.type(email);
    await page.keyboard.press("Enter");
    await dialog.getByText("Check your inbox to confirm.").waitFor();
    await page.screenshot({ path: `${SHOTS}/phone-get-updates-done.png` });
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });

    await opener.click();
    await dialog.getByLabel("Email address").fill(email);
    await dialog.getByRole("button", { name: "Subscribe" }).click();
    const alert = dialog.getByRole("alert");
    await alert.getByText(/Too many requests for this email address\. Try again in/).waitFor();
    // Focus moves to the message (it is announced, and the next Tab continues from there).
    await page.waitForFunction(() => document.activeElement?.getAttribute("role") === "alert");
    await page.screenshot({ path: `${SHOTS}/phone-get-updates-rate-limited.png` });
    await ctx.close();
  });
});
