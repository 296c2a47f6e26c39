import { randomUUID } from "node:crypto";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../server/kernel/clock";
import { signToken } from "../../server/subscriptions/tokens";
import { type Person, startTestBeacon, type TestBeacon, USER_PASSWORD } from "../support/harness";
import { createService } from "../support/incidents";
import { assertWebBuilt, launchBrowser, SHOTS, signInWith, WEB_DIR } from "./browser";

// The status page and the war room under the server's real Content-Security-Policy (docs/security.md):
// not one violation, and the session never reachable from the page's script.

const clock = new ManualClock(new Date());
let t: TestBeacon;
let browser: Browser;
let admin: Person;
let incidentId: string;

beforeAll(async () => {
  assertWebBuilt();
  t = await startTestBeacon({ clock, env: { BEACON_WEB_DIR: WEB_DIR } });
  admin = await t.user("ADMIN", "Sasha Secure");
  const serviceId = await createService(t.admin, "Checkout API", "Payments");
  const d = await t.admin.ok<{ openIncident: { id: string } }>(
    `mutation($s: ID!) { openIncident(input: { title: "Card payments fail", description: "Card payments fail at checkout.", impact: HIGH, urgency: MEDIUM, serviceIds: [$s], public: true }) { id } }`,
    { s: serviceId },
  );
  incidentId = d.openIncident.id;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

/** A page that records every CSP violation (the DOM event and Chromium's console report) and error. */
async function watchedPage(ctx: BrowserContext): Promise<{ page: Page; problems: string[] }> {
  const page = await ctx.newPage();
  const problems: string[] = [];
  page.on("console", (m) => {
    // The mail-link pages have no icon: the browser's own /favicon.ico probe is not a problem.
    if (m.location().url.endsWith("/favicon.ico")) return;
    if (m.type() === "error" || /Content Security Policy/i.test(m.text()))
      problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  await page.exposeFunction("__reportCsp", (v: string) => problems.push(`violation: ${v}`));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { __reportCsp(v: string): void }).__reportCsp(
        `${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`,
      );
    });
  });
  return { page, problems };
}

/** Everything the page's own script can read: storage and non-HttpOnly cookies. */
const readableBySript = (page: Page) =>
  page.evaluate(() => ({
    local: JSON.stringify({ ...localStorage }),
    session: JSON.stringify({ ...sessionStorage }),
    cookie: document.cookie,
  }));

describe("Content-Security-Policy in a real browser", () => {
  it("the status page, its history and an incident page load and go live with 0 violations", async () => {
    const ctx = await browser.newContext();
    const { page, problems } = await watchedPage(ctx);
    const response = await page.goto(t.url);
    expect(response?.headers()["content-security-policy"]).toMatch(/script-src 'self'/);
    await page.getByTestId("status-banner").waitFor();
    await page.getByTestId("live-indicator").and(page.locator('[data-state="live"]')).waitFor();
    // The uptime tooltip positions itself with an inline style (set through the CSSOM: allowed).
    await page.getByTestId("service-checkout-api").locator(".uptime-bar").last().hover();
    await page.getByRole("tooltip").waitFor();
    await page.goto(`${t.url}/history`);
    await page.getByText("Card payments fail").first().waitFor();
    await page.goto(`${t.url}/incidents/${incidentId}`);
    await page.getByText("Card payments fail").first().waitFor();
    await page.getByTestId("live-indicator").and(page.locator('[data-state="live"]')).waitFor();
    // A page behind a mail link (server-rendered, its own small stylesheet), styled as meant.
    // (A genuine link: the page checks it before offering the button.)
    const token = signToken(t.started.beacon.deliveries.signingKey, { s: randomUUID(), p: "confirm" });
    await page.goto(`${t.url}/subscriptions/confirm?token=${encodeURIComponent(token)}`);
    await page.getByRole("button", { name: "Confirm subscription" }).waitFor();
    expect(
      await page.evaluate(() => getComputedStyle(document.querySelector("main") as Element).maxWidth),
    ).toBe("640px");
    expect(problems).toEqual([]);
    await ctx.close();
  });

  it("the war room (sign-in, list, a room while typing, services, admin) runs with 0 violations and no readable token", async () => {
    const ctx = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    const { page, problems } = await watchedPage(ctx);
    await signInWith(page, t.url, admin);
    await page.getByTestId("incident-list").getByText("Card payments fail").waitFor();
    await page.getByTestId("incident-list").getByText("Card payments fail").click();
    await page.getByTestId("room-header").waitFor();
    await page.getByLabel("Add a note").fill("Looking at the payment gateway");
    await page.getByLabel("Add a note").press("Control+Enter");
    await page
      .getByTestId("timeline")
      .getByText("Looking at the payment gateway")
      .waitFor({ timeout: 10_000 });
    const nav = page.getByRole("navigation", { name: "War room" });
    await nav.getByRole("link", { name: "Services" }).click();
    await page.getByText("Checkout API").first().waitFor();
    await nav.getByRole("link", { name: "Admin" }).click();
    await page.getByTestId("people-table").waitFor();
    await page.screenshot({ path: `${SHOTS}/war-room-under-csp.png` });
    expect(problems).toEqual([]);

    // The session is an HttpOnly cookie: nothing the page's script (or an injected one) can read.
    const readable = await readableBySript(page);
    expect(readable.local).not.toMatch(/bt_/);
    expect(readable.session).not.toMatch(/bt_/);
    expect(readable.cookie).not.toMatch(/beacon_session|bt_/);
    const [cookie, ...others] = (await ctx.cookies()).filter((c) => c.name === "beacon_session");
    expect(others).toEqual([]);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/graphql", secure: false });
    expect(cookie?.value).toMatch(/^bt_/);

    // A reload keeps the person signed in (the cookie), and sign-out ends it for good.
    await page.reload();
    await page.getByTestId("current-user").getByText(admin.name).waitFor();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByTestId("login-form").waitFor();
    await expect.poll(async () => (await ctx.cookies()).some((c) => c.name === "beacon_session")).toBe(false);
    await page.reload();
    await page.getByTestId("login-form").waitFor();
    const revoked = await t.anon.as(cookie!.value).fails("{ users { id } }");
    expect(revoked.code).toBe("UNAUTHENTICATED");
    expect(problems).toEqual([]);
    await ctx.close();
  });

  it("the web build ships no source map, and none is served", async () => {
    const html = await (await fetch(`${t.url}/war-room`)).text();
    const script = /<script[^>]+src="([^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeTruthy();
    const js = await (await fetch(`${t.url}${script}`)).text();
    expect(js).not.toMatch(/sourceMappingURL/);
    expect((await fetch(`${t.url}${script}.map`)).status).toBe(404);
  });
});

// Last: moving the clock 8 hours makes every earlier session idle.
describe("idle timeout in the browser", () => {
  it("after 8 idle hours the next action shows the sign-in form, saying why", async () => {
    const ctx = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    const { page, problems } = await watchedPage(ctx);
    await signInWith(page, t.url, admin);
    await page.getByTestId("incident-list").waitFor();
    clock.advance(8 * 60 * 60_000);
    // The next private request (the people list) is refused: the sign-in form replaces the page. A
    // background request of the page (the live list, the bell) may be refused first and replace it
    // before the click: then the link is gone, and the form is already there.
    const adminLink = page.getByRole("navigation", { name: "War room" }).getByRole("link", { name: "Admin" });
    await adminLink.click({ timeout: 10_000 }).catch(async (e: unknown) => {
      if (!(await page.getByTestId("login-form").isVisible())) throw e;
    });
    await page.getByTestId("login-form").waitFor({ timeout: 10_000 });
    const notice = page.getByTestId("session-ended");
    expect(await notice.textContent()).toBe(
      "You were signed out after 8 hours without activity; sign in again.",
    );
    await page.screenshot({ path: `${SHOTS}/war-room-idle-signed-out.png` });
    // Signing in again works from there.
    await page.getByLabel("Email").fill(admin.email);
    await page.getByLabel("Password").fill(USER_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByTestId("current-user").getByText(admin.name).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId("session-ended").count()).toBe(0);
    expect(problems.filter((p) => !/401|UNAUTHENTICATED/.test(p))).toEqual([]);
    await ctx.close();
  });
});
