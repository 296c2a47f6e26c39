// Issue 15: the room offers the actions that fit the stage first (the rest in an accessible "More"
// menu, Cancel apart and confirmed), asks for a commander on a P1, confirms role hand-overs,
// exports the timeline and the review, and fits a phone (sticky action bar, compact header).
import fs from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestBeacon, type TestBeacon, USER_PASSWORD } from "../support/harness";
import { createService } from "../support/incidents";
import { expectAccessible } from "./axe";
import { assertWebBuilt, clickAction, launchBrowser, roomState, SHOTS, signIn, WEB_DIR } from "./browser";

const LIVE = { timeout: 10_000 };
const PHONE = { width: 390, height: 844 };
const DOCS_SHOTS = path.resolve("docs/screenshots");
let t: TestBeacon;
let browser: Browser;
let manager: Person;
let colleague: Person;
let serviceId: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  assertWebBuilt();
  t = await startTestBeacon({ env: { BEACON_WEB_DIR: WEB_DIR } });
  serviceId = await createService(t.admin, "Checkout", "Payments");
  manager = await t.user("INCIDENT_MANAGER", "Mia Manager");
  colleague = await t.user("INCIDENT_MANAGER", "Carl Colleague");
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const ctx of contexts) await ctx.close().catch(() => {});
  await browser?.close();
  await t?.stop();
});

async function openP1(title: string): Promise<string> {
  const d = await manager.ok<{ openIncident: { id: string; priority: string } }>(
    "mutation($i: OpenIncidentInput!) { openIncident(input: $i) { id priority } }",
    {
      i: {
        title,
        description: "Seen by customers",
        impact: "HIGH",
        urgency: "HIGH",
        serviceIds: [serviceId],
      },
    },
  );
  expect(d.openIncident.priority).toBe("P1");
  return d.openIncident.id;
}

async function commander(id: string): Promise<string | null> {
  const d = await manager.ok<{ incident: { roomRoles: { role: string; user: { name: string } }[] } }>(
    "query($id: ID!) { incident(id: $id) { roomRoles { role user { name } } } }",
    { id },
  );
  return d.incident.roomRoles.find((r) => r.role === "INCIDENT_COMMANDER")?.user.name ?? null;
}

const testIds = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.testid));

describe("the room by stage", () => {
  it("puts the next steps first, the rest in a keyboard-operable More menu, and confirms Cancel", async () => {
    const id = await openP1("Checkout returns 502");
    const { ctx, page } = await signIn(browser, t.url, manager);
    contexts.push(ctx);
    await page.goto(`${t.url}/war-room/incidents/${encodeURIComponent(id)}`);
    await roomState(page, "NEW").waitFor(LIVE);

    // NEW: Assign and Start work as buttons; Edit in the menu; Cancel apart; no Resolve; no version.
    const bar = page.getByTestId("actions");
    expect(await testIds(page, '[data-testid="actions"] > button')).toEqual([
      "action-assign",
      "action-startWork",
    ]);
    expect(await bar.locator(".action-bar-apart [data-testid=action-cancel]").count()).toBe(1);
    expect(await page.getByTestId("action-update").getAttribute("role")).toBe("menuitem");
    expect(await page.getByTestId("action-update").isVisible()).toBe(false);
    expect(await page.getByTestId("action-resolve").count()).toBe(0);
    expect(await page.getByTestId("incident-version").count()).toBe(0);
    expect(await page.getByTestId("room-header").textContent()).not.toMatch(/Version/);

    // The menu from the keyboard: Enter opens it on its first item, arrows move, Escape closes it
    // and gives focus back to the button.
    const more = page.getByTestId("actions-more");
    await more.focus();
    await page.keyboard.press("Enter");
    expect(await more.getAttribute("aria-expanded")).toBe("true");
    await page.getByTestId("actions-more-menu").waitFor({ state: "visible", ...LIVE });
    await page.screenshot({ path: path.join(SHOTS, "room-stages-more-menu.png") });
    // The open menu and the commander prompt (a P1 with nobody in charge) pass axe too.
    await page.getByTestId("commander-prompt").waitFor(LIVE);
    await expectAccessible(page, "room with the More menu open and the commander prompt");
    const focusedRole = () => page.evaluate(() => document.activeElement?.getAttribute("role"));
    await expect.poll(focusedRole, LIVE).toBe("menuitem");
    const first = await page.evaluate(() => (document.activeElement as HTMLElement).dataset.testid);
    await page.keyboard.press("ArrowDown");
    const second = await page.evaluate(() => (document.activeElement as HTMLElement).dataset.testid);
    expect(second).not.toBe(first);
    expect(await focusedRole()).toBe("menuitem");
    await page.keyboard.press("Escape");
    expect(await more.getAttribute("aria-expanded")).toBe("false");
    await page.getByTestId("actions-more-menu").waitFor({ state: "hidden", ...LIVE });
    expect(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.testid)).toBe(
      "actions-more",
    );
    // Choosing an item runs it: Edit opens its dialog.
    await clickAction(page, "update");
    await page.getByTestId("action-dialog-update").waitFor(LIVE);
    await page.getByTestId("action-dialog-update").getByRole("button", { name: "Back" }).click();

    // Cancel is confirmed: its dialog says it is final, and backing out changes nothing.
    await page.getByTestId("action-cancel").click();
    const cancel = page.getByTestId("action-dialog-cancel");
    await cancel.waitFor(LIVE);
    expect(await cancel.textContent()).toMatch(/never be reopened/);
    await cancel.getByRole("button", { name: "Back" }).click();
    await cancel.waitFor({ state: "detached", ...LIVE });
    await roomState(page, "NEW").waitFor(LIVE);

    // IN_PROGRESS: Resolve, Post public update, Put on hold; Cancel is gone, Assign moved to More.
    await page.getByTestId("action-startWork").click();
    await page.getByTestId("action-dialog-startWork").getByTestId("action-submit").click();
    await roomState(page, "IN_PROGRESS").waitFor(LIVE);
    await expect
      .poll(() => testIds(page, '[data-testid="actions"] > button'), LIVE)
      .toEqual(["action-resolve", "action-postPublicUpdate", "action-hold"]);
    expect(await page.getByTestId("action-cancel").count()).toBe(0);
    expect(await page.getByTestId("action-assign").getAttribute("role")).toBe("menuitem");

    // The change history reads as words: no enum codes, no squashed headers.
    const { incident } = await manager.ok<{ incident: { version: number } }>(
      "query($id: ID!) { incident(id: $id) { version } }",
      { id },
    );
    await manager.ok(
      'mutation($id: ID!, $v: Int!) { holdIncident(id: $id, expectedVersion: $v, reason: AWAITING_VENDOR, note: "Vendor ticket 991") { id } }',
      { id, v: incident.version },
    );
    await roomState(page, "ON_HOLD").waitFor(LIVE);
    await page.getByRole("tab", { name: "Change history" }).click();
    const history = page.getByTestId("history");
    await history.getByText("Put on hold (awaiting vendor)").waitFor(LIVE);
    expect(await history.textContent()).not.toMatch(/AWAITING_VENDOR|ON_HOLD|IN_PROGRESS|\{"/);
    // "Field" on one line: its header cell is no taller than one line of its text.
    const squashed = await history
      .locator(".changes thead th")
      .first()
      .evaluate((th) => {
        const lineHeight = Number.parseFloat(getComputedStyle(th).lineHeight) || 20;
        return { text: th.textContent, lines: Math.round((th as HTMLElement).clientHeight / lineHeight) };
      });
    expect(squashed.text).toBe("Field");
    expect(squashed.lines).toBeLessThanOrEqual(1);
  });

  it("asks for a commander on a P1, takes it in one click, and confirms a hand-over", async () => {
    const id = await openP1("Payments double-charge");
    const { ctx, page } = await signIn(browser, t.url, manager);
    contexts.push(ctx);
    await page.goto(`${t.url}/war-room/incidents/${encodeURIComponent(id)}`);
    const prompt = page.getByTestId("commander-prompt");
    await prompt.waitFor(LIVE);
    expect(await prompt.textContent()).toMatch(/No incident commander/);
    await prompt.getByTestId("commander-take").click();
    await prompt.waitFor({ state: "detached", ...LIVE });
    expect(await commander(id)).toBe(manager.name);

    // Handing over asks first; "Keep" changes nothing.
    const select = page.getByTestId("room-role-INCIDENT_COMMANDER").getByRole("combobox");
    await select.selectOption({ label: colleague.name });
    const confirm = page.getByTestId("role-confirm");
    await confirm.waitFor(LIVE);
    expect(await confirm.textContent()).toContain(`from ${manager.name} to ${colleague.name}`);
    await confirm.getByRole("button", { name: `Keep ${manager.name}` }).click();
    await confirm.waitFor({ state: "detached", ...LIVE });
    expect(await commander(id)).toBe(manager.name);
    expect(await select.inputValue()).toBe(manager.userId);

    await select.selectOption({ label: colleague.name });
    await expectAccessible(page, "room with a role hand-over to confirm");
    await page.getByTestId("role-confirm-yes").click();
    await confirm.waitFor({ state: "detached", ...LIVE });
    expect(await commander(id)).toBe(colleague.name);
  });

  it("downloads the timeline as CSV (formula-safe) and Markdown, and the review", async () => {
    const id = await openP1("Exports of a noisy night");
    const { ctx, page } = await signIn(browser, t.url, manager);
    contexts.push(ctx);
    await page.goto(`${t.url}/war-room/incidents/${encodeURIComponent(id)}`);
    await roomState(page, "NEW").waitFor(LIVE);
    const note = page.getByLabel("Add a note");
    await note.fill('=HYPERLINK("http://evil.example","click"), then "quotes"');
    await page.getByRole("button", { name: "Add note" }).click();
    await page.locator('[data-kind="NOTE"]').waitFor(LIVE);

    const read = async (testId: string) => {
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId(testId).click()]);
      const file = await download.path();
      return { name: download.suggestedFilename(), text: fs.readFileSync(file as string, "utf8") };
    };
    const csv = await read("export-timeline-csv");
    expect(csv.name).toMatch(/^INC-\d+-timeline\.csv$/);
    expect(csv.text.split("\r\n")[0]).toBe("#,Time (UTC),Kind,Author,Entry");
    expect(csv.text).toContain(`"'=HYPERLINK(""http://evil.example"",""click""), then ""quotes"""`);
    const md = await read("export-timeline-md");
    expect(md.name).toMatch(/-timeline\.md$/);
    expect(md.text).toMatch(/^# INC-\d+ Exports of a noisy night — timeline/);
    expect(md.text).toContain(`Note · ${manager.name}: =HYPERLINK`);
    const review = await read("export-review-md");
    expect(review.text).toContain("post-incident review");
    expect(review.text).toContain("_Draft._");
  });

  it("on a phone: a compact header and the actions within reach at the bottom (screenshots)", async () => {
    const id = await openP1("Checkout is down on mobile");
    await manager.ok(
      'mutation($id: ID!, $s: ID!) { updateIncident(id: $id, expectedVersion: 1, input: { public: true, publicTitle: "Checkout is failing", serviceImpacts: [{ serviceId: $s, status: MAJOR_OUTAGE }] }) { id } }',
      { id, s: serviceId },
    );
    fs.mkdirSync(DOCS_SHOTS, { recursive: true });

    const ctx = await browser.newContext({
      viewport: PHONE,
      deviceScaleFactor: 1,
      isMobile: true,
      hasTouch: true,
    });
    contexts.push(ctx);
    const page = await ctx.newPage();
    await page.goto(t.url);
    await page.locator('[data-testid="live-indicator"][data-state="live"]').waitFor(LIVE);
    await page.getByText("Checkout is failing").waitFor(LIVE);
    await page.getByText("Major outage").first().waitFor(LIVE);
    await page.screenshot({ path: path.join(DOCS_SHOTS, "phone-status-page.png") });

    await page.goto(`${t.url}/war-room`);
    await page.getByLabel("Email").fill(manager.email);
    await page.getByLabel("Password").fill(USER_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByTestId("current-user").waitFor(LIVE);
    await page.goto(`${t.url}/war-room/incidents/${encodeURIComponent(id)}`);
    await roomState(page, "NEW").waitFor(LIVE);

    // The primary action is on screen without scrolling, and stays there after scrolling down.
    const inView = async () => {
      const box = await page.getByTestId("action-startWork").boundingBox();
      return box !== null && box.y >= 0 && box.y + box.height <= PHONE.height;
    };
    expect(await inView()).toBe(true);
    await page.screenshot({ path: path.join(DOCS_SHOTS, "phone-war-room.png") });
    // The issue measured ~190 px of header before any action, and the header was made compact
    // (about 183 px). The service-level clocks (issue 14) add three short lines of small text on
    // a phone (acknowledge, resolve, next public update), about 80 px; nothing else may grow.
    const header = await page.getByTestId("room-header").boundingBox();
    expect(header?.height).toBeLessThan(270);
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    expect(await inView()).toBe(true);
  });
});
