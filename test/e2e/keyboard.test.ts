// Keyboard use, in real Chromium: the status page's uptime bars and the war room's room, dialogs,
// tabs and note box, without a mouse.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestBeacon, type TestBeacon } from "../support/harness";
import { createService, setServiceStatus } from "../support/incidents";
import { assertWebBuilt, launchBrowser, roomState, SHOTS, signIn, WEB_DIR } from "./browser";

const LIVE = { timeout: 10_000 };
let t: TestBeacon;
let browser: Browser;
let serviceId: string;
let manager: Person;
let incidentId: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  assertWebBuilt();
  t = await startTestBeacon({ env: { BEACON_WEB_DIR: WEB_DIR } });
  serviceId = await createService(t.admin, "Checkout API", "Payments");
  manager = await t.user("INCIDENT_MANAGER", "Max Manager");
  await setServiceStatus(manager, serviceId, "MAJOR_OUTAGE");
  const d = await manager.ok<{ openIncident: { id: string } }>(
    "mutation($i: OpenIncidentInput!) { openIncident(input: $i) { id } }",
    {
      i: {
        title: "Card payments failing",
        description: "internal",
        impact: "HIGH",
        urgency: "MEDIUM",
        serviceIds: [serviceId],
        public: true,
      },
    },
  );
  incidentId = d.openIncident.id;
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const ctx of contexts) await ctx.close().catch(() => {});
  await browser?.close();
  await t?.stop();
});

/** What has focus: its test id, label and described-by text. */
function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const describedBy = el?.getAttribute("aria-describedby");
    return {
      testId: el?.getAttribute("data-testid") ?? null,
      label: el?.getAttribute("aria-label") ?? el?.textContent ?? "",
      tag: el?.tagName ?? "",
      description: describedBy ? (document.getElementById(describedBy)?.textContent ?? null) : null,
      inDialog: !!el?.closest('[role="dialog"]'),
    };
  });
}

async function tabUntil(page: Page, match: (f: Awaited<ReturnType<typeof focused>>) => boolean, max = 40) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    const f = await focused(page);
    if (match(f)) return f;
  }
  throw new Error(
    `Tab never reached the element (${max} presses); last: ${JSON.stringify(await focused(page))}`,
  );
}

function isoDay(offsetDays: number): string {
  const d = new Date(Date.now() + offsetDays * 86_400_000);
  return d.toISOString().slice(0, 10);
}

describe("keyboard", () => {
  it("status page: Tab reaches the uptime bars, arrows move between days, each described", async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(ctx);
    const page = await ctx.newPage();
    await page.goto(t.url);
    await page.getByTestId("service-checkout-api").getByText("Major outage").waitFor(LIVE);

    // One tab stop for the strip: today.
    const today = await tabUntil(page, (f) => f.testId?.startsWith("uptime-") ?? false);
    expect(today.testId).toBe(`uptime-${isoDay(0)}`);
    expect(today.label).toMatch(/major outage/i);
    expect(today.label).toMatch(/1 incident/);
    // The tooltip appears and describes the focused day, with the incident's title.
    const tooltip = page.getByRole("tooltip");
    await tooltip.waitFor(LIVE);
    expect(today.description).toMatch(/Major outage/);
    expect(today.description).toContain("Card payments failing");
    await page.screenshot({ path: `${SHOTS}/keyboard-uptime-tooltip.png` });

    // ArrowLeft: yesterday (before the service existed: described as such).
    await page.keyboard.press("ArrowLeft");
    const yesterday = await focused(page);
    expect(yesterday.testId).toBe(`uptime-${isoDay(-1)}`);
    expect(yesterday.label).toMatch(/no data/);
    expect(yesterday.description).not.toBeNull();
    expect(yesterday.description).not.toContain("Card payments failing");
    // ArrowRight back; Home to the oldest day; End to today.
    await page.keyboard.press("ArrowRight");
    expect((await focused(page)).testId).toBe(`uptime-${isoDay(0)}`);
    await page.keyboard.press("Home");
    expect((await focused(page)).testId).toBe(`uptime-${isoDay(-89)}`);
    await page.keyboard.press("End");
    expect((await focused(page)).testId).toBe(`uptime-${isoDay(0)}`);
    // Escape hides the tooltip; Tab leaves the strip in one press (not 90).
    await page.keyboard.press("Escape");
    await tooltip.waitFor({ state: "detached", ...LIVE });
    await page.keyboard.press("Tab");
    expect((await focused(page)).testId ?? "").not.toMatch(/^uptime-/);
    // Shift+Tab comes back to the day last visited.
    await page.keyboard.press("Shift+Tab");
    expect((await focused(page)).testId).toBe(`uptime-${isoDay(0)}`);
  });

  it("war room: dialogs, tabs and the note box work from the keyboard", async () => {
    const { ctx, page } = await signIn(browser, t.url, manager);
    contexts.push(ctx);
    await page.goto(`${t.url}/war-room/incidents/${encodeURIComponent(incidentId)}`);
    await roomState(page, "NEW").waitFor(LIVE);

    // An action opens a dialog with focus inside; Tab stays inside; Escape closes it and gives focus back.
    const cancel = page.getByTestId("action-cancel");
    await cancel.focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByTestId("action-dialog-cancel");
    await dialog.waitFor(LIVE);
    expect((await focused(page)).inDialog).toBe(true);
    expect((await focused(page)).tag).toBe("TEXTAREA");
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press("Tab");
      expect((await focused(page)).inDialog, `Tab ${i + 1} left the dialog`).toBe(true);
    }
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached", ...LIVE });
    expect((await focused(page)).testId).toBe("action-cancel");
    await roomState(page, "NEW").waitFor(LIVE);

    // Room tabs: arrow keys move between "Timeline", "Review" and "Change history", one tab stop.
    const timelineTab = page.getByRole("tab", { name: "Timeline" });
    await timelineTab.focus();
    await page.keyboard.press("ArrowRight");
    expect(await page.getByRole("tab", { name: "Review" }).getAttribute("aria-selected")).toBe("true");
    expect((await focused(page)).label).toBe("Review");
    await page.keyboard.press("End");
    expect(await page.getByRole("tab", { name: "Change history" }).getAttribute("aria-selected")).toBe(
      "true",
    );
    expect((await focused(page)).label).toBe("Change history");
    await page.getByTestId("history").waitFor(LIVE);
    await page.keyboard.press("ArrowRight");
    expect(await timelineTab.getAttribute("aria-selected")).toBe("true");
    expect(await page.getByRole("tab", { name: "Change history" }).getAttribute("tabindex")).toBe("-1");

    // The note box: Enter is a new line, Ctrl+Enter sends.
    const note = page.getByLabel("Add a note");
    await note.focus();
    await page.keyboard.type("First line");
    await page.keyboard.press("Enter");
    await page.keyboard.type("second line");
    expect(await note.inputValue()).toBe("First line\nsecond line");
    expect(await page.getByTestId("timeline").getByText("second line").count()).toBe(0);
    await page.keyboard.press("Control+Enter");
    await page.getByTestId("timeline").getByText("second line").waitFor(LIVE);
    expect(await note.inputValue()).toBe("");
    // Focus stays in the note box for the next note.
    expect((await focused(page)).tag).toBe("TEXTAREA");
  });
});
