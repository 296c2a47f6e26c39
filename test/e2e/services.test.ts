// The war room's Services page, in a real Chromium against a real server: status changes that reach
// an open public status page live, the catalog for admins, read-only for everyone else.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestBeacon, type TestBeacon } from "../support/harness";
import { createService, setServiceStatus } from "../support/incidents";
import {
  assertWebBuilt,
  documentMarker,
  launchBrowser,
  liveState,
  markDocument,
  SHOTS,
  signIn,
  WEB_DIR,
} from "./browser";

let t: TestBeacon;
let browser: Browser;
const people: Record<string, Person> = {};

beforeAll(async () => {
  assertWebBuilt();
  t = await startTestBeacon({ env: { BEACON_WEB_DIR: WEB_DIR } });
  await createService(t.admin, "Website", "Customer-facing");
  await createService(t.admin, "Checkout API", "Customer-facing");
  await createService(t.admin, "Email delivery", "Back office");
  people.manager = await t.user("INCIDENT_MANAGER", "Max Manager");
  people.agent = await t.user("AGENT", "Alice Agent");
  people.admin = await t.user("ADMIN", "Ada Admin");
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

async function openServices(page: Page) {
  await page.getByRole("navigation", { name: "War room" }).getByRole("link", { name: "Services" }).click();
  await page.getByRole("heading", { level: 1, name: "Services" }).waitFor();
  await page.getByTestId("service-catalog").waitFor();
}

const row = (page: Page, slug: string) => page.getByTestId(`catalog-service-${slug}`);

describe("Services page", () => {
  it("an incident manager sets a status; an open status page and another operator see it live", async () => {
    // The public status page, already open in its own browser context (no sign-in).
    const publicCtx = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const statusPage = await publicCtx.newPage();
    await statusPage.goto(t.url);
    await statusPage.getByTestId("service-checkout-api").getByText("Operational").waitFor();
    await liveState(statusPage, "live");
    await markDocument(statusPage, "status-page-before");

    // A second operator (admin) has the Services page open too.
    const other = await signIn(browser, t.url, people.admin!);
    await openServices(other.page);
    await liveState(other.page, "live");
    await markDocument(other.page, "admin-before");

    const { ctx, page } = await signIn(browser, t.url, people.manager!);
    await openServices(page);
    // Grouped like the status page, statuses in words.
    await page
      .getByTestId("catalog-group-Customer-facing")
      .getByRole("heading", { name: "Customer-facing" })
      .waitFor();
    await page
      .getByTestId("catalog-group-Back office")
      .getByText("Email delivery", { exact: true })
      .waitFor();
    expect(await row(page, "checkout-api").getByTestId("service-status").textContent()).toBe("Operational");
    // An incident manager may set status but not edit the catalog.
    expect(await page.getByRole("button", { name: "Add service" }).count()).toBe(0);
    expect(await row(page, "checkout-api").getByRole("button", { name: "Edit Checkout API" }).count()).toBe(
      0,
    );

    const picker = page.getByLabel("Status of Checkout API");
    const setButton = row(page, "checkout-api").getByRole("button", { name: "Set status" });
    expect(await setButton.isDisabled()).toBe(true);
    await picker.selectOption("MAJOR_OUTAGE");
    await setButton.click();
    await page.locator('[data-testid="catalog-service-checkout-api"][data-status="MAJOR_OUTAGE"]').waitFor();
    expect(await row(page, "checkout-api").getByTestId("service-status").textContent()).toBe("Major outage");
    // The group heading shows the worst status of its services.
    await page
      .getByTestId("catalog-group-Customer-facing")
      .locator(".service-group-head")
      .getByText("Major outage")
      .waitFor();

    // The public page, without reload.
    await statusPage
      .locator('[data-testid="service-checkout-api"][data-status="MAJOR_OUTAGE"]')
      .waitFor({ timeout: 10_000 });
    await statusPage
      .getByTestId("status-banner")
      .getByText("Major System Outage")
      .waitFor({ timeout: 10_000 });
    expect(await documentMarker(statusPage)).toBe("status-page-before");

    // The other operator, without reload.
    await other.page
      .locator('[data-testid="catalog-service-checkout-api"][data-status="MAJOR_OUTAGE"]')
      .waitFor({ timeout: 10_000 });
    expect(await documentMarker(other.page)).toBe("admin-before");

    // And back the other way: the admin restores it, the manager's page follows.
    await other.page.getByLabel("Status of Checkout API").selectOption("OPERATIONAL");
    await row(other.page, "checkout-api").getByRole("button", { name: "Set status" }).click();
    await page
      .locator('[data-testid="catalog-service-checkout-api"][data-status="OPERATIONAL"]')
      .waitFor({ timeout: 10_000 });
    await statusPage
      .locator('[data-testid="service-checkout-api"][data-status="OPERATIONAL"]')
      .waitFor({ timeout: 10_000 });

    // Documented in the service's history, with a verifiable chain.
    await row(page, "checkout-api").getByRole("button", { name: "History of Checkout API" }).click();
    const history = page.getByTestId("service-history-dialog");
    await history.getByTestId("service-history-v2").getByText("Major outage").first().waitFor();
    expect(await history.getByTestId("service-history-v2").textContent()).toContain("Max Manager");
    await history.getByTestId("service-history-v3").waitFor();
    await history.getByRole("button", { name: "Verify history chain" }).click();
    await history.locator('[data-testid="history-verification"][data-ok="true"]').waitFor();
    await page.keyboard.press("Escape");
    await history.waitFor({ state: "detached" });

    // From the keyboard: pick, Tab to "Set status", Enter. Focus stays on the button afterwards.
    await page.getByLabel("Status of Website").focus();
    await page.getByLabel("Status of Website").selectOption("DEGRADED_PERFORMANCE");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Set status");
    await page.keyboard.press("Enter");
    await page
      .locator('[data-testid="catalog-service-website"][data-status="DEGRADED_PERFORMANCE"]')
      .waitFor();
    await page.screenshot({ path: `${SHOTS}/services-page-manager.png`, fullPage: true });

    await ctx.close();
    await other.ctx.close();
    await publicCtx.close();
  });

  it("an agent sees every service and status, read-only, and is told the admin page is for admins", async () => {
    const { ctx, page } = await signIn(browser, t.url, people.agent!);
    const nav = page.getByRole("navigation", { name: "War room" });
    expect(await nav.getByRole("link", { name: "Admin" }).count()).toBe(0);
    await openServices(page);
    await row(page, "email-delivery").getByText("Operational").waitFor();
    await page
      .getByTestId("services-permissions")
      .getByText(/Read-only/)
      .waitFor();
    expect(await page.getByTestId("status-select").count()).toBe(0);
    expect(await page.getByRole("button", { name: "Set status" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Add service" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: /^Edit / }).count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/services-page-agent.png`, fullPage: true });

    // Even a change made elsewhere arrives live on the read-only page.
    const id = await t.admin
      .ok<{ services: { id: string; slug: string }[] }>("{ services { id slug } }")
      .then((d) => d.services.find((s) => s.slug === "email-delivery")!.id);
    await setServiceStatus(t.admin, id, "UNDER_MAINTENANCE");
    await page
      .locator('[data-testid="catalog-service-email-delivery"][data-status="UNDER_MAINTENANCE"]')
      .getByText("Under maintenance")
      .waitFor({ timeout: 10_000 });

    await page.goto(`${t.url}/war-room/admin`);
    await page.getByTestId("only-admins").getByText("Only admins").waitFor();
    expect(await page.getByTestId("admin-people").count()).toBe(0);
    await ctx.close();
  });

  it("an admin adds and edits services; a refused change shows the server's message", async () => {
    const { ctx, page } = await signIn(browser, t.url, people.admin!);
    await openServices(page);

    await page.getByRole("button", { name: "Add service" }).click();
    const add = page.getByTestId("add-service-dialog");
    // Focus moves into the dialog, on its first field.
    expect(await add.getByLabel("Name").evaluate((el) => el === document.activeElement)).toBe(true);
    await add.getByLabel("Name").fill("Search");
    await add.getByLabel("Group").fill("Customer-facing");
    await add.getByLabel("Description (optional)").fill("Product search and filters");
    await add.getByRole("button", { name: "Add service" }).click();
    await add.waitFor({ state: "detached" });
    await row(page, "search").getByText("Product search and filters").waitFor();
    expect(
      await page.getByTestId("catalog-group-Customer-facing").getByTestId("catalog-service-search").count(),
    ).toBe(1);

    // A duplicate slug is refused by the server, and its message is shown as it is.
    await page.getByRole("button", { name: "Add service" }).click();
    const dup = page.getByTestId("add-service-dialog");
    await dup.getByLabel("Name").fill("Second website");
    await dup.getByLabel("Slug (optional)").fill("website");
    await dup.getByRole("button", { name: "Add service" }).click();
    const error = dup.getByTestId("service-form-error");
    await error.waitFor();
    expect(await error.textContent()).toBe(
      'The slug "website" is already used by "Website"; choose another.',
    );
    expect(await error.getAttribute("role")).toBe("alert");
    await page.keyboard.press("Escape");
    await dup.waitFor({ state: "detached" });

    // Edit: rename, move to another group, reorder.
    await row(page, "search").getByRole("button", { name: "Edit Search" }).click();
    const edit = page.getByTestId("edit-service-dialog");
    await edit.getByLabel("Name").fill("Product search");
    await edit.getByLabel("Group").fill("Back office");
    await edit.getByLabel("Position").fill("1");
    await edit.getByRole("button", { name: "Save changes" }).click();
    await edit.waitFor({ state: "detached" });
    const moved = page.getByTestId("catalog-group-Back office").getByTestId("catalog-service-search");
    await moved.getByText("Product search", { exact: true }).waitFor();
    expect(
      await page.getByTestId("catalog-group-Customer-facing").getByTestId("catalog-service-search").count(),
    ).toBe(0);

    // A stale edit (someone set the status meanwhile) is a conflict, explained, and can be retried.
    await row(page, "search").getByRole("button", { name: "Edit Product search" }).click();
    const stale = page.getByTestId("edit-service-dialog");
    await stale.getByLabel("Description (optional)").fill("Search, filters and suggestions");
    const search = await t.admin
      .ok<{ services: { id: string; slug: string }[] }>("{ services { id slug } }")
      .then((d) => d.services.find((s) => s.slug === "search")!.id);
    await setServiceStatus(people.manager!, search, "PARTIAL_OUTAGE");
    await stale.getByRole("button", { name: "Save changes" }).click();
    await stale
      .getByTestId("service-conflict")
      .getByText(/was changed meanwhile/)
      .waitFor();
    await stale.getByRole("button", { name: "Save changes" }).click();
    await stale.waitFor({ state: "detached" });
    await row(page, "search").getByText("Search, filters and suggestions").waitFor();
    expect(await row(page, "search").getAttribute("data-status")).toBe("PARTIAL_OUTAGE");

    // The history names every change in words.
    await row(page, "search").getByRole("button", { name: "History of Product search" }).click();
    const history = page.getByTestId("service-history-dialog");
    await history.getByTestId("service-history-v1").getByText('Created service "Search"').waitFor();
    await history.getByTestId("service-history-v2").getByText("Product search").first().waitFor();
    await history.getByTestId("service-history-v4").getByText("Search, filters and suggestions").waitFor();
    await history.getByRole("button", { name: "Verify history chain" }).click();
    await history.locator('[data-testid="history-verification"][data-ok="true"]').waitFor();
    await page.screenshot({ path: `${SHOTS}/services-history.png`, fullPage: true });
    await page.getByRole("button", { name: "Dismiss" }).click();

    // The public page got the new service too.
    const pub = await browser.newPage();
    await pub.goto(t.url);
    await pub.getByTestId("service-search").getByText("Product search").waitFor();
    await pub.close();

    await page.screenshot({ path: `${SHOTS}/services-page-admin.png`, fullPage: true });
    await ctx.close();
  });
});
