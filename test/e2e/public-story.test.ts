// Issue 15: during a P1 the status page, its services and its uptime agree; a composer left open
// cannot take a resolved incident's public status back; the closing message goes public and shows
// in the room; resolved incidents stay on `/` after a reload.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestBeacon, type TestBeacon } from "../support/harness";
import { createService } from "../support/incidents";
import { assertWebBuilt, launchBrowser, roomState, SHOTS, signIn, WEB_DIR } from "./browser";

const LIVE = { timeout: 10_000 };
let t: TestBeacon;
let browser: Browser;
let manager: Person;
let colleague: Person;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  assertWebBuilt();
  t = await startTestBeacon({ env: { BEACON_WEB_DIR: WEB_DIR } });
  await createService(t.admin, "Checkout", "Payments");
  await createService(t.admin, "Search", "Storefront");
  manager = await t.user("INCIDENT_MANAGER", "Mia Manager");
  colleague = await t.user("INCIDENT_MANAGER", "Carl Colleague");
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const ctx of contexts) await ctx.close().catch(() => {});
  await browser?.close();
  await t?.stop();
});

async function statusPage(): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  contexts.push(ctx);
  const page = await ctx.newPage();
  await page.goto(t.url);
  await page.locator('[data-testid="live-indicator"][data-state="live"]').waitFor(LIVE);
  return page;
}

const today = () => new Date().toISOString().slice(0, 10);

describe("a P1 on a service: banner, service row and uptime tell one story", () => {
  it("opening, resolving and reloading keep the banner, the row, the bars and the card in agreement", async () => {
    const status = await statusPage();
    await status.getByTestId("status-banner").getByText("All Systems Operational").waitFor(LIVE);

    const { ctx, page } = await signIn(browser, t.url, manager);
    contexts.push(ctx);
    await page.getByRole("button", { name: "Open incident" }).click();
    const form = page.getByTestId("open-incident-dialog");
    await form.getByLabel("Title").fill("db-7 split brain after failover");
    await form.getByLabel("Description").fill("INTERNAL: primary and replica both accept writes");
    await form.getByLabel("Impact").selectOption("HIGH");
    await form.getByLabel("Urgency").selectOption("HIGH");
    await form.getByRole("checkbox", { name: "Checkout" }).check();
    await form.getByRole("checkbox", { name: "Show on the public status page" }).check();
    await form.getByLabel("Public title (what customers see)").fill("Checkout is failing");
    await form.getByLabel("Checkout on the status page").selectOption("MAJOR_OUTAGE");
    await form.getByRole("button", { name: "Open incident" }).click();
    await page.waitForURL(/\/war-room\/incidents\/[^/]+$/, LIVE);
    const id = decodeURIComponent(page.url().split("/").pop() as string);

    // Live on the status page: the banner, the row, today's bar and the card agree.
    const row = status.getByTestId("service-checkout");
    await status.locator('[data-testid="service-checkout"][data-status="MAJOR_OUTAGE"]').waitFor(LIVE);
    await row.getByText("Major Outage").waitFor(LIVE);
    await status.getByTestId("status-banner").getByText("Major System Outage").waitFor(LIVE);
    const card = status.getByTestId(`public-incident-${id}`);
    await card.getByText("Checkout is failing").waitFor(LIVE);
    expect(await card.textContent()).toContain("Critical");
    expect(await row.getByTestId(`uptime-${today()}`).getAttribute("aria-label")).toMatch(/major outage/);
    // ... and without a reload the bars are fetched again: the outage counts in today's uptime.
    await status.waitForFunction(
      (date) =>
        !/: 100% uptime/.test(
          document
            .querySelector(`[data-testid="service-checkout"] [data-testid="uptime-${date}"]`)
            ?.getAttribute("aria-label") ?? ": 100% uptime",
        ),
      today(),
      LIVE,
    );
    expect(await status.content()).not.toContain("split brain");
    await status.screenshot({ path: `${SHOTS}/public-story-p1.png`, fullPage: true });

    // After a reload (server-computed): the bar counts the outage and names the incident.
    await status.reload();
    await status.locator('[data-testid="service-checkout"][data-status="MAJOR_OUTAGE"]').waitFor(LIVE);
    const bar = await row.getByTestId(`uptime-${today()}`).getAttribute("aria-label");
    expect(bar).toMatch(/major outage, 1 incident/);
    expect(bar).not.toMatch(/: 100% uptime/);
    await status.getByTestId("status-banner").getByText("Major System Outage").waitFor(LIVE);

    // Resolve from the room: the dialog asks for the closing message and says it goes public.
    await page.getByTestId("action-startWork").click();
    await page.getByTestId("action-dialog-startWork").getByTestId("action-submit").click();
    await roomState(page, "IN_PROGRESS").waitFor(LIVE);
    await page.getByTestId("action-resolve").click();
    const dialog = page.getByTestId("action-dialog-resolve");
    await dialog.getByLabel("Resolution code").selectOption("WORKAROUND");
    await dialog.getByLabel("Resolution notes").fill("Fenced the old primary");
    const closing = dialog.getByLabel("Closing message on the status page");
    expect(await closing.inputValue()).toMatch(/Checkout is working normally again/);
    await closing.fill("Checkout works again. Orders placed during the outage were processed.");
    expect(await dialog.getByLabel("Set the affected services back to Operational").isChecked()).toBe(true);
    await dialog.getByTestId("action-submit").click();
    await dialog.waitFor({ state: "detached", ...LIVE });
    await roomState(page, "RESOLVED").waitFor(LIVE);
    // The post is on the room's timeline.
    await page
      .getByTestId("timeline-public-post")
      .getByText("Checkout works again. Orders placed during the outage were processed.", { exact: false })
      .waitFor(LIVE);

    await status.locator('[data-testid="service-checkout"][data-status="OPERATIONAL"]').waitFor(LIVE);
    await status.getByTestId("status-banner").getByText("All Systems Operational").waitFor(LIVE);
    const resolved = status.getByRole("region", { name: "Recently resolved" });
    await resolved
      .getByText("Orders placed during the outage were processed", { exact: false })
      .waitFor(LIVE);

    // The same after a reload: still under "Recently resolved", the day's bar still shows the outage.
    await status.reload();
    await status
      .getByRole("region", { name: "Recently resolved" })
      .getByText("Checkout is failing")
      .waitFor(LIVE);
    expect(await status.getByRole("region", { name: "Active incidents" }).count()).toBe(0);
    expect(await row.getByTestId(`uptime-${today()}`).getAttribute("aria-label")).toMatch(
      /major outage, 1 incident/,
    );
    await status.screenshot({ path: `${SHOTS}/public-story-resolved.png`, fullPage: true });
  }, 120_000);
});

describe("a composer left open cannot take a resolved incident back", () => {
  it("follows the live public status, offers only Resolved, and the card stays Resolved", async () => {
    const opened = await manager.ok<{ openIncident: { id: string } }>(
      'mutation { openIncident(input: { title: "Search slow", description: "d", impact: MEDIUM, urgency: MEDIUM, public: true }) { id } }',
    );
    const id = opened.openIncident.id;
    await manager.ok(`mutation { startWork(id: "${id}", expectedVersion: 1) { id } }`);
    const status = await statusPage();

    const { ctx, page } = await signIn(browser, t.url, manager);
    contexts.push(ctx);
    await page.goto(`${t.url}/war-room/incidents/${encodeURIComponent(id)}`);
    await roomState(page, "IN_PROGRESS").waitFor(LIVE);
    const composer = page.getByTestId("public-update-composer");
    await composer.getByLabel("Public status").selectOption("MONITORING");
    await composer.getByLabel("Message for customers").fill("A fix is rolling out; we are watching it.");

    // Meanwhile a colleague resolves it.
    await colleague.ok(
      `mutation { resolveIncident(id: "${id}", expectedVersion: 2, code: PERMANENT_FIX, notes: "Index rebuilt") { id } }`,
    );
    await roomState(page, "RESOLVED").waitFor(LIVE);
    await composer.locator('[data-testid="current-public-status"][data-status="RESOLVED"]').waitFor(LIVE);
    const select = composer.getByLabel("Public status");
    expect(await select.inputValue()).toBe("RESOLVED");
    const enabled = await select
      .locator("option:not([disabled])")
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(enabled).toEqual(["RESOLVED"]);
    await composer.getByTestId("public-status-locked").waitFor(LIVE);
    // The message the responder typed survives; it goes out as a Resolved wrap-up.
    expect(await composer.getByLabel("Message for customers").inputValue()).toBe(
      "A fix is rolling out; we are watching it.",
    );
    await composer.getByLabel("Message for customers").fill("Wrap-up: the search index was rebuilt.");
    await composer.getByRole("button", { name: "Post public update" }).click();
    await composer.getByText("Posted to the status page.").waitFor(LIVE);

    const card = status.getByTestId(`public-incident-${id}`);
    await card.getByText("Wrap-up: the search index was rebuilt.").waitFor(LIVE);
    expect(await card.getAttribute("data-status")).toBe("RESOLVED");
    expect(await card.textContent()).not.toContain("Monitoring");
  }, 90_000);
});

describe("after a change underneath, the dialog re-plans", () => {
  it("says what happened and offers no retry that cannot work", async () => {
    const opened = await manager.ok<{ openIncident: { id: string } }>(
      'mutation { openIncident(input: { title: "Mail queue stuck", description: "d", impact: LOW, urgency: LOW }) { id } }',
    );
    const id = opened.openIncident.id;
    await manager.ok(`mutation { startWork(id: "${id}", expectedVersion: 1) { id } }`);
    const { ctx, page } = await signIn(browser, t.url, manager);
    contexts.push(ctx);
    await page.goto(`${t.url}/war-room/incidents/${encodeURIComponent(id)}`);
    await roomState(page, "IN_PROGRESS").waitFor(LIVE);
    await page.getByTestId("action-hold").click();
    const dialog = page.getByTestId("action-dialog-hold");
    await dialog.getByLabel("Note").fill("Waiting for the mail vendor");

    await colleague.ok(
      `mutation { resolveIncident(id: "${id}", expectedVersion: 2, code: WORKAROUND, notes: "Restarted the relay") { id } }`,
    );
    const notice = dialog.getByTestId("action-no-longer-applies");
    await notice.getByText("Carl Colleague: Resolved with WORKAROUND", { exact: false }).waitFor(LIVE);
    expect(await notice.textContent()).toMatch(/“Put on hold” no longer applies\..*It is resolved now/);
    expect(await dialog.getByTestId("action-submit").count()).toBe(0);
    await dialog.getByRole("button", { name: "Close" }).click();
    await dialog.waitFor({ state: "detached", ...LIVE });
    await roomState(page, "RESOLVED").waitFor(LIVE);
  }, 60_000);
});
