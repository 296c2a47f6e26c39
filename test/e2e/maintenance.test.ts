// Scheduled maintenance as a customer sees it, in a real Chromium against a real server with the
// real job runner: a window scheduled a few seconds ahead shows up as upcoming on an open status
// page, starts by itself (the service goes under maintenance), then completes by itself (the
// service is back, the window leaves the page) — all live, without a reload.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestBeacon, type TestBeacon } from "../support/harness";
import { expectAccessible } from "./axe";
import { assertWebBuilt, launchBrowser, SHOTS, WEB_DIR } from "./browser";

let t: TestBeacon;
let browser: Browser;
let apiId: string;

beforeAll(async () => {
  assertWebBuilt();
  t = await startTestBeacon({
    env: { BEACON_WEB_DIR: WEB_DIR, BEACON_JOB_POLL_SECONDS: "1", BEACON_JOB_MAINTENANCE_SECONDS: "1" },
  });
  apiId = (
    await t.admin.ok<{ createService: { id: string } }>(
      'mutation { createService(input: { name: "Checkout API" }) { id } }',
    )
  ).createService.id;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe("scheduled maintenance on the status page", () => {
  it("shows a window upcoming, then in progress with the service under maintenance, then completed — live", async () => {
    const page = await browser.newPage();
    await page.goto(t.url);
    await page.getByTestId("live-indicator").and(page.locator('[data-state="live"]')).waitFor();
    await page.evaluate(() => {
      (window as unknown as { marker: number }).marker = 42;
    });

    const now = Date.now();
    const scheduled = await t.admin.ok<{ scheduleMaintenance: { id: string } }>(
      "mutation($i: ScheduleMaintenanceInput!) { scheduleMaintenance(input: $i) { id } }",
      {
        i: {
          title: "Payment gateway upgrade",
          description: "Card payments pause briefly.",
          serviceIds: [apiId],
          scheduledStart: new Date(now + 8_000).toISOString(),
          scheduledEnd: new Date(now + 18_000).toISOString(),
        },
      },
    );
    const card = page.getByTestId(`maintenance-${scheduled.scheduleMaintenance.id}`);

    // Upcoming: announced before it starts.
    await card.and(page.locator('[data-state="SCHEDULED"]')).waitFor({ timeout: 10_000 });
    expect(await card.textContent()).toContain("Payment gateway upgrade");
    expect(await card.textContent()).toContain("Checkout API");
    await page.screenshot({ path: `${SHOTS}/maintenance-upcoming.png`, fullPage: true });
    await expectAccessible(page, "status page with scheduled maintenance");

    // It starts by itself: the window is in progress and the service under maintenance.
    await card.and(page.locator('[data-state="IN_PROGRESS"]')).waitFor({ timeout: 30_000 });
    await page
      .getByTestId("service-checkout-api")
      .getByText("Under maintenance")
      .waitFor({ timeout: 10_000 });
    await page.screenshot({ path: `${SHOTS}/maintenance-in-progress.png`, fullPage: true });

    // It completes by itself: the window leaves the page and the service is back.
    await page.getByTestId("maintenance-section").waitFor({ state: "detached", timeout: 30_000 });
    await page.getByTestId("service-checkout-api").getByText("Operational").waitFor({ timeout: 10_000 });

    // Same document all along: nothing was reloaded.
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    const after = await t.anon.ok<{ maintenance: { state: string } }>(
      "query($id: ID!) { maintenance(id: $id) { state } }",
      { id: scheduled.scheduleMaintenance.id },
    );
    expect(after.maintenance.state).toBe("COMPLETED");
    // The history page lists it under past maintenance.
    await page.goto(`${t.url}/history`);
    await page
      .getByTestId("past-maintenance")
      .getByTestId(`maintenance-${scheduled.scheduleMaintenance.id}`)
      .and(page.locator('[data-state="COMPLETED"]'))
      .waitFor();
    await page.close();
  });
});
