// The war room's Reports page in a real Chromium: an incident manager opens it from the nav, reads
// the totals, sees the charts drawn with data (SVG bars and lines) and the table, switches the
// grouping, downloads the CSV, and watches the "now" panel follow a new incident live.
import fs from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../server/kernel/clock";
import { type Person, startTestBeacon, type TestBeacon } from "../support/harness";
import { act, createService, openIncident, resolveIncident, SIG } from "../support/incidents";
import { expectAccessible } from "./axe";
import { assertWebBuilt, launchBrowser, SHOTS, signIn, WEB_DIR } from "./browser";

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const DOCS_SHOTS = path.resolve("docs/screenshots");

let t: TestBeacon;
let browser: Browser;
let manager: Person;
let clock: ManualClock;
const now = new Date();

beforeAll(async () => {
  assertWebBuilt();
  // Incidents opened over the last three weeks, with the clock set back for each; then now again.
  clock = new ManualClock(new Date(now.getTime() - 30 * DAY));
  t = await startTestBeacon({
    clock,
    env: { BEACON_WEB_DIR: WEB_DIR, BEACON_SESSION_TTL_HOURS: "2160", BEACON_SESSION_IDLE_MINUTES: "129600" },
  });
  manager = await t.user("INCIDENT_MANAGER", "Mia Manager");
  const services = [await createService(t.admin, "Checkout"), await createService(t.admin, "Search")];
  const category = (
    await t.admin.ok<{ createCategory: { id: string } }>(
      'mutation { createCategory(name: "Software") { id } }',
    )
  ).createCategory.id;
  const levels = [
    ["HIGH", "HIGH"],
    ["HIGH", "MEDIUM"],
    ["MEDIUM", "MEDIUM"],
    ["LOW", "LOW"],
  ] as const;
  for (let i = 0; i < 16; i++) {
    const opened = now.getTime() - (20 - i) * DAY + i * 37 * MIN;
    clock.set(new Date(opened));
    const [impact, urgency] = levels[i % 4] ?? levels[0];
    const incident = await openIncident(manager, {
      title: `Report fixture ${i + 1}`,
      impact,
      urgency,
      serviceIds: [services[i % 2]],
      categoryId: category,
    });
    clock.set(new Date(opened + (5 + 7 * (i % 5)) * MIN));
    await act(manager, "startWork", SIG.id, { id: incident.id, expectedVersion: 1 });
    if (i % 4 !== 3) {
      clock.set(new Date(opened + (60 + 45 * (i % 6)) * MIN));
      await resolveIncident(manager, incident.id, 2);
    }
  }
  clock.set(new Date());
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe("war room Reports page", () => {
  it("shows totals, charts with data and the table; groups by service; exports CSV; the now panel is live", async () => {
    const { ctx, page } = await signIn(browser, t.url, manager);
    await page.getByRole("navigation", { name: "War room" }).getByRole("link", { name: "Reports" }).click();
    await page.getByRole("heading", { level: 1, name: "Reports" }).waitFor();
    await page.getByTestId("report").waitFor();

    // Last 30 days (the default): 16 incidents; 4 of them are still being worked.
    await expect.poll(() => page.getByTestId("tile-count").textContent()).toContain("16");
    await expect.poll(() => page.getByTestId("now-P4").textContent()).toContain("4");

    // Four charts, each an SVG with drawn data: bars (MTTA, MTTR, attainment) and lines (per day).
    await expect.poll(() => page.getByTestId("report-chart").count()).toBe(4);
    await expect.poll(() => page.locator(".recharts-bar-rectangle path").count()).toBeGreaterThan(4);
    await expect.poll(() => page.locator(".recharts-line-curve").count()).toBeGreaterThan(0);
    const line = await page.locator(".recharts-line-curve").first().getAttribute("d");
    expect(line?.length ?? 0).toBeGreaterThan(20);

    // The table: P1..P4, four incidents each.
    const table = page.getByTestId("report-table");
    await expect.poll(() => table.locator("tbody tr").count()).toBe(4);
    expect(await table.locator("tbody th").allTextContents()).toEqual(["P1", "P2", "P3", "P4"]);
    expect(await table.locator("tbody tr").first().locator("td").first().textContent()).toBe("4");

    await page.screenshot({ path: path.join(SHOTS, "reports.png"), fullPage: true });
    fs.mkdirSync(DOCS_SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(DOCS_SHOTS, "reports.png"), fullPage: true });
    await expectAccessible(page, "Reports page");

    // By service: Checkout and Search, eight each.
    await page.getByTestId("report-group").selectOption("SERVICE");
    await expect.poll(() => table.locator("tbody th").allTextContents()).toEqual(["Checkout", "Search"]);

    // CSV download: header, two rows, the total.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("report-csv").click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^beacon-incidents-by-service-.*\.csv$/);
    const csv = fs
      .readFileSync((await download.path()) as string, "utf8")
      .trim()
      .split("\r\n");
    expect(csv[0]).toMatch(/^Service,Key,Incidents,MTTA mean \(s\)/);
    expect(csv.slice(1).map((l) => l.split(",")[0])).toEqual(["Checkout", "Search", "Total"]);
    expect(csv.at(-1)?.split(",")[2]).toBe("16");

    // Live: a new P1 shows in the now panel without a reload.
    await expect.poll(() => page.getByTestId("now-P1").textContent()).toContain("0");
    await openIncident(manager, { title: "Live one", impact: "HIGH", urgency: "HIGH" });
    await expect.poll(() => page.getByTestId("now-P1").textContent()).toContain("1");
    // ... and its acknowledge clock (15 minutes for a P1) is listed as due within the hour.
    await expect.poll(() => page.getByTestId("now-due").textContent()).toContain("Live one");

    // A custom range the server refuses (last day before the first) says why.
    await page.getByTestId("report-range").selectOption("custom");
    await page.getByTestId("report-from").fill("2026-03-10");
    await page.getByTestId("report-to").fill("2026-03-01");
    await expect.poll(() => page.getByTestId("report-error").textContent()).toContain('"to"');
    await ctx.close();
  });
});
