// A responder is told: the bell in the war room's header counts up live when an incident lands in
// their queue, the panel lists it, and a click takes them to its room (docs/notifications.md).
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestBeacon, type TestBeacon } from "../support/harness";
import { act, createQueue, openIncident, SIG } from "../support/incidents";
import { expectAccessible } from "./axe";
import { assertWebBuilt, launchBrowser, SHOTS, signIn, signInWith, WEB_DIR } from "./browser";

const LIVE = { timeout: 10_000 };
let t: TestBeacon;
let browser: Browser;
let agent: Person;
let rae: Person;
let queueId: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  assertWebBuilt();
  t = await startTestBeacon({ env: { BEACON_WEB_DIR: WEB_DIR } });
  agent = await t.user("AGENT", "Ada Agent");
  rae = await t.user("RESPONDER", "Rae Responder");
  queueId = await createQueue(t.admin, "Network on-call", [rae.userId]);
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const ctx of contexts) await ctx.close().catch(() => {});
  await browser?.close();
  await t?.stop();
});

describe("the notification bell", () => {
  it("counts up live when an incident is assigned to my queue; the panel links to its room", async () => {
    const { ctx, page } = await signIn(browser, t.url, rae);
    contexts.push(ctx);
    const bell = page.getByTestId("bell");
    await bell.waitFor(LIVE);
    await page.locator('[data-testid="live-indicator"][data-state="live"]').waitFor(LIVE);
    await page.getByTestId("bell-live").getByText("No unread notifications").waitFor(LIVE);
    expect(await page.getByTestId("bell-count").count()).toBe(0);

    const incident = await openIncident(agent, { title: "Core router flapping" });
    await act(agent, "assignIncident", `${SIG.id}, $queueId: ID!`, {
      id: incident.id,
      expectedVersion: 1,
      queueId,
    });

    // Live: no reload, the count and the polite announcement follow.
    await page.getByTestId("bell-count").getByText("1", { exact: true }).waitFor(LIVE);
    await page.getByTestId("bell-live").getByText("1 unread notification").waitFor(LIVE);
    expect(await bell.getAttribute("aria-label")).toBe("Notifications: 1 unread notification");

    // Keyboard: open the panel, Escape closes it and gives focus back to the bell.
    await bell.focus();
    await page.keyboard.press("Enter");
    const panel = page.getByTestId("bell-panel");
    await panel.waitFor(LIVE);
    expect(await bell.getAttribute("aria-expanded")).toBe("true");
    await page.keyboard.press("Escape");
    await panel.waitFor({ state: "detached", ...LIVE });
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("bell");

    await bell.click();
    const link = panel.getByRole("link", {
      name: `${incident.number} assigned to your queue "Network on-call"`,
    });
    await link.waitFor(LIVE);
    await page.screenshot({ path: `${SHOTS}/notification-bell.png` });
    await expectAccessible(page, "the bell's open panel");
    await link.click();
    await page.waitForURL(`**/war-room/incidents/${incident.id}`, LIVE);
    await page.getByTestId("room-header").getByText("Core router flapping").waitFor(LIVE);
    // Opening it marked it read: the badge is gone, and the server agrees.
    await page.getByTestId("bell-live").getByText("No unread notifications").waitFor(LIVE);
    const { notifications } = await rae.ok<{ notifications: { read: boolean }[] }>(
      "{ notifications(unreadOnly: true) { read } }",
    );
    expect(notifications).toEqual([]);
  });

  it("marks all read (another tab of mine follows live), and keeps my email choice", async () => {
    const { ctx, page } = await signIn(browser, t.url, rae);
    contexts.push(ctx);
    await page.locator('[data-testid="live-indicator"][data-state="live"]').waitFor(LIVE);
    for (const title of ["Disk full", "DNS slow"]) {
      const i = await openIncident(agent, { title });
      await act(agent, "assignIncident", `${SIG.id}, $queueId: ID!`, {
        id: i.id,
        expectedVersion: 1,
        queueId,
      });
    }
    await page.getByTestId("bell-count").getByText("2", { exact: true }).waitFor(LIVE);
    // The same person in a second tab: it follows the marks made in the first, live.
    const other = await ctx.newPage();
    await other.goto(`${t.url}/war-room`);
    await other.locator('[data-testid="live-indicator"][data-state="live"]').waitFor(LIVE);
    await other.getByTestId("bell-count").getByText("2", { exact: true }).waitFor(LIVE);
    await page.getByTestId("bell").click();
    await page.getByTestId("bell-mark-all").click();
    await page.getByTestId("bell-live").getByText("No unread notifications").waitFor(LIVE);
    await other.getByTestId("bell-live").getByText("No unread notifications").waitFor(LIVE);
    expect(await other.getByTestId("bell-count").count()).toBe(0);
    await other.close();

    await page.getByTestId("bell-settings").click();
    const dialog = page.getByTestId("notification-settings");
    await dialog.getByTestId("pref-email").waitFor(LIVE);
    await expectAccessible(page, "notification settings");
    await dialog.getByTestId("pref-email").uncheck();
    await dialog.getByRole("button", { name: "Save" }).click();
    await dialog.getByTestId("notification-settings-saved").waitFor(LIVE);
    const { notificationPreferences } = await rae.ok<{ notificationPreferences: { email: boolean } }>(
      "{ notificationPreferences { email } }",
    );
    expect(notificationPreferences.email).toBe(false);
  });

  it("on a phone, the open panel fits the screen", async () => {
    const ctx = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    contexts.push(ctx);
    const page = await ctx.newPage();
    await signInWith(page, t.url, rae);
    await page.getByTestId("bell").click();
    const panel = page.getByTestId("bell-panel");
    await panel.waitFor(LIVE);
    const box = await panel.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    // Under the bell, not over it.
    const bell = await page.getByTestId("bell").boundingBox();
    expect(box!.y).toBeGreaterThanOrEqual(bell!.y + bell!.height);
    await page.screenshot({ path: `${SHOTS}/phone-notification-bell.png` });
  });
});
