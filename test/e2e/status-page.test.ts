import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestBeacon, type TestBeacon } from "../support/harness";
import { createService, setServiceStatus } from "../support/incidents";
import { assertWebBuilt, launchBrowser, SHOTS, WEB_DIR } from "./browser";

let t: TestBeacon;
let browser: Browser;
let checkoutId: string;

beforeAll(async () => {
  assertWebBuilt();
  t = await startTestBeacon({ env: { BEACON_WEB_DIR: WEB_DIR } });
  await createService(t.admin, "Website", "Customer-facing");
  checkoutId = await createService(t.admin, "Checkout API", "Customer-facing");
  await createService(t.admin, "Email delivery", "Back office");
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe("public status page", () => {
  it("reads through cacheable GETs with automatic persisted queries, never POST", async () => {
    const page = await browser.newPage();
    const reads: { method: string; url: string; status: number; seq: string | null }[] = [];
    page.on("response", (r) => {
      const u = new URL(r.url());
      if (u.pathname !== "/graphql") return;
      reads.push({
        method: r.request().method(),
        url: r.url(),
        status: r.status(),
        seq: r.headers()["x-beacon-snapshot-seq"] ?? null,
      });
    });
    await page.goto(`${t.url}/history`);
    await page
      .getByRole("heading", { name: /history/i })
      .first()
      .waitFor();
    await expect
      .poll(() => reads.filter((r) => r.seq !== null).length, { timeout: 10_000 })
      .toBeGreaterThan(0);
    // The first visitor teaches the server the document (hash, then hash + text, as APQ does)...
    expect(reads.filter((r) => r.method !== "GET")).toEqual([]);
    expect(
      reads.every((r) => new URL(r.url).searchParams.get("extensions")?.includes("persistedQuery")),
    ).toBe(true);
    // ...after which every read is the hash alone: one short URL a CDN or the browser can cache,
    // answered from the public snapshot (X-Beacon-Snapshot-Seq), not by executing GraphQL.
    // Every read of the first visit answered (the page makes more than one) before counting anew.
    await page.waitForLoadState("networkidle");
    reads.length = 0;
    await page.reload();
    await page
      .getByRole("heading", { name: /history/i })
      .first()
      .waitFor();
    await expect.poll(() => reads.length, { timeout: 10_000 }).toBeGreaterThan(0);
    for (const r of reads) {
      expect(r.method).toBe("GET");
      expect(new URL(r.url).searchParams.has("query"), decodeURIComponent(r.url)).toBe(false);
      expect(r.status).toBe(200);
      expect(r.seq).not.toBeNull();
    }
    await page.close();
  });

  it("shows the overall banner and services by group, in words not only colour", async () => {
    const page = await browser.newPage();
    await page.goto(t.url);
    const banner = page.getByTestId("status-banner");
    await banner.getByText("All Systems Operational").waitFor();
    const row = page.getByTestId("service-checkout-api");
    await row.getByText("Operational").waitFor();
    expect(await page.getByTestId("service-group-Customer-facing").count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/status-page-operational.png`, fullPage: true });
    await page.close();
  });

  it("updates live, without reload, when a service's status changes", async () => {
    const page = await browser.newPage();
    await page.goto(t.url);
    await page.getByTestId("live-indicator").and(page.locator('[data-state="live"]')).waitFor();
    await page.evaluate(() => {
      (window as unknown as { marker: number }).marker = 42;
    });
    await setServiceStatus(t.admin, checkoutId, "MAJOR_OUTAGE");
    await page.getByTestId("service-checkout-api").getByText("Major Outage").waitFor({ timeout: 10_000 });
    await page.getByTestId("status-banner").getByText("Major System Outage").waitFor({ timeout: 10_000 });
    // Same document: the page was not reloaded.
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    await page.screenshot({ path: `${SHOTS}/status-page-outage.png`, fullPage: true });
    await setServiceStatus(t.admin, checkoutId, "OPERATIONAL");
    await page.getByTestId("service-checkout-api").getByText("Operational").waitFor({ timeout: 10_000 });
    await page.close();
  });

  it("arrives server-rendered with its data: readable before any script runs", async () => {
    const html = await (await fetch(t.url)).text();
    expect(html).toContain("Checkout API");
    expect(html).toMatch(/data-testid="status-banner"/);
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto(t.url);
    await page.getByTestId("status-banner").getByText("All Systems Operational").waitFor();
    await page.getByTestId("service-email-delivery").getByText("Operational").waitFor();
    await ctx.close();
  });

  it("hydrates the server's HTML without errors or layout shift, then goes live", async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || /hydrat/i.test(m.text())) problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(e.message));
    await page.addInitScript(() => {
      const w = window as unknown as { shift: number };
      w.shift = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) {
          if (!entry.hadRecentInput) w.shift += entry.value;
        }
      }).observe({ type: "layout-shift", buffered: true });
    });
    await page.goto(t.url);
    await page.getByTestId("live-indicator").and(page.locator('[data-state="live"]')).waitFor();
    await page.waitForTimeout(500);
    const shift = await page.evaluate(() => (window as unknown as { shift: number }).shift);
    expect(problems).toEqual([]);
    expect(shift).toBeLessThan(0.01);
    await page.close();
  });

  it("works on a phone-sized screen", async () => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    const page = await ctx.newPage();
    await page.goto(t.url);
    await page.getByTestId("status-banner").waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(overflow).toBe(false);
    await page.screenshot({ path: `${SHOTS}/status-page-phone.png`, fullPage: true });
    await ctx.close();
  });
});
