import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestBeacon, type TestBeacon } from "../support/harness";
import { createQueue, createService, openIncident, turnOffAutoClose } from "../support/incidents";
import { itemAt } from "../support/item-at";
import { assertWebBuilt, launchBrowser, SHOTS, signIn, WEB_DIR } from "./browser";

let t: TestBeacon;
let browser: Browser;
let serviceId: string;
let queueId: string;
const people: Record<string, Person> = {};

/** An incident on the checkout service (what every room here is about). */
const openCheckoutIncident = (by: Person, input: Record<string, unknown>) =>
  openIncident(by, { serviceIds: [serviceId], ...input });

beforeAll(async () => {
  assertWebBuilt();
  t = await startTestBeacon({ env: { BEACON_WEB_DIR: WEB_DIR } });
  serviceId = await createService(t.admin, "Checkout API", "Payments");
  people.agent = await t.user("AGENT", "Alice Agent");
  people.r1 = await t.user("RESPONDER", "Rui Responder");
  people.r2 = await t.user("RESPONDER", "Sara Responder");
  people.manager = await t.user("INCIDENT_MANAGER", "Max Manager");
  queueId = await createQueue(t.admin, "Payments on-call", [people.r1.userId, people.r2.userId]);
  // One test walks a P4 to a close by hand: the system's close by rule must not race it.
  await turnOffAutoClose(t.admin);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe("war room", () => {
  it("offers only the actions the lifecycle allows: a NEW incident has no Resolve", async () => {
    const inc = await openCheckoutIncident(people.agent!, {
      title: "Card payments failing",
      description: "Acquirer returns 502",
    });
    const { ctx, page } = await signIn(browser, t.url, people.agent!);
    await page.goto(`${t.url}/war-room/incidents/${inc.id}`);
    await page.getByTestId("incident-state").getByText(/new/i).waitFor();
    await page.getByTestId("action-assign").waitFor();
    expect(await page.getByTestId("action-resolve").count()).toBe(0);
    expect(await page.getByRole("button", { name: "Resolve" }).count()).toBe(0);
    await ctx.close();
  });

  it("shows two responders each other's presence and notes, live", async () => {
    const inc = await openCheckoutIncident(people.agent!, {
      title: "Checkout latency",
      description: "p99 above 4s",
    });
    await people.agent!.ok(
      "mutation($id: ID!, $v: Int!, $q: ID!) { assignIncident(id: $id, expectedVersion: $v, queueId: $q) { version } }",
      { id: inc.id, v: inc.version, q: queueId },
    );
    const a = await signIn(browser, t.url, people.r1!);
    const b = await signIn(browser, t.url, people.r2!);
    await a.page.goto(`${t.url}/war-room/incidents/${inc.id}`);
    await b.page.goto(`${t.url}/war-room/incidents/${inc.id}`);
    await a.page.getByTestId(`presence-${people.r2!.userId}`).waitFor({ timeout: 10_000 });
    await b.page.getByTestId(`presence-${people.r1!.userId}`).waitFor({ timeout: 10_000 });

    const note = a.page.getByLabel("Add a note");
    await note.fill("Rolling back deploy 2026.11.27-3");
    await b.page
      .getByTestId("typing-indicator")
      .getByText(/Rui Responder/)
      .waitFor({ timeout: 10_000 });
    await note.press("Control+Enter");
    await b.page
      .getByTestId("timeline")
      .getByText("Rolling back deploy 2026.11.27-3")
      .waitFor({ timeout: 10_000 });
    await expect(note.inputValue()).resolves.toBe("");

    // A lifecycle step by one is seen by the other.
    await a.page.getByTestId("action-acknowledge").click();
    await a.page.getByTestId("action-submit").click();
    await b.page
      .getByTestId("incident-state")
      .getByText(/in progress/i)
      .waitFor({ timeout: 10_000 });
    await b.page.getByTestId("incident-assignee").getByText("Rui Responder").waitFor({ timeout: 10_000 });
    await a.page.screenshot({ path: `${SHOTS}/war-room-room.png`, fullPage: true });
    await Promise.all([a.ctx.close(), b.ctx.close()]);
  });

  it("assigns, hands over and frees room roles, seen live in the other window and on the timeline", async () => {
    const inc = await openCheckoutIncident(people.agent!, {
      title: "Search results empty",
      description: "Index rebuild failed",
    });
    const m = await signIn(browser, t.url, people.manager!);
    const r = await signIn(browser, t.url, people.r1!);
    await m.page.goto(`${t.url}/war-room/incidents/${inc.id}`);
    await r.page.goto(`${t.url}/war-room/incidents/${inc.id}`);
    const commander = m.page.getByTestId("room-roles").getByLabel("Incident commander");
    await commander.selectOption({ label: "Max Manager" });
    await r.page
      .getByTestId("room-role-INCIDENT_COMMANDER")
      .getByText("Max Manager")
      .waitFor({ timeout: 10_000 });
    await r.page
      .getByTestId("timeline")
      .getByText("Max Manager is now Incident Commander")
      .waitFor({ timeout: 10_000 });
    // Handing over and freeing a held role are confirmed first.
    await commander.selectOption({ label: "Rui Responder" });
    const confirm = m.page.getByTestId("role-confirm");
    expect(await confirm.textContent()).toContain("from Max Manager to Rui Responder");
    await confirm.getByTestId("role-confirm-yes").click();
    await confirm.waitFor({ state: "detached", timeout: 10_000 });
    await r.page
      .getByTestId("timeline")
      .getByText("Incident Commander handed over from Max Manager to Rui Responder")
      .waitFor({ timeout: 10_000 });
    await commander.selectOption({ label: "Unassigned" });
    expect(await confirm.textContent()).toContain("Free the incident commander role");
    await confirm.getByTestId("role-confirm-yes").click();
    await r.page
      .getByTestId("timeline")
      .getByText("Rui Responder is no longer Incident Commander")
      .waitFor({ timeout: 10_000 });
    await r.page
      .getByTestId("room-role-INCIDENT_COMMANDER")
      .getByText("Unassigned")
      .waitFor({ timeout: 10_000 });
    // A responder may not assign roles: no pickers for them.
    expect(await r.page.getByTestId("room-roles").locator("select").count()).toBe(0);
    await Promise.all([m.ctx.close(), r.ctx.close()]);
  });

  it("closes by following the checklist: Close waits with the reason, each item has its button", async () => {
    const inc = await openCheckoutIncident(people.agent!, {
      title: "Refund emails delayed",
      description: "Queue backlog",
    });
    let v = inc.version;
    const step = async (m: string, extra = "") => {
      const d = await people.agent!.ok<Record<string, { version: number }>>(
        `mutation($id: ID!, $v: Int!) { ${m}(id: $id, expectedVersion: $v${extra}) { version } }`,
        { id: inc.id, v },
      );
      v = itemAt(Object.values(d), 0).version;
    };
    await step("startWork");
    await step("resolveIncident", ', code: WORKAROUND, notes: "Drained the queue by hand"');
    const { ctx, page } = await signIn(browser, t.url, people.agent!);
    await page.goto(`${t.url}/war-room/incidents/${inc.id}`);
    // Closing is a checklist, not a guess: Close waits, saying why in the room's words.
    const close = page.getByTestId("action-close");
    await close.waitFor();
    expect(await close.isDisabled()).toBe(true);
    expect(await page.getByTestId("action-reason-close").textContent()).toMatch(
      /^Close needs: the customer confirmed the fix, or could not be reached/,
    );
    const checklist = page.getByTestId("closure-checklist");
    expect(await checklist.getByTestId("closure-RESOLVED").getAttribute("data-met")).toBe("true");
    const contact = checklist.getByTestId("closure-CUSTOMER_CONFIRMATION_OR_ATTEMPTS");
    expect(await contact.getAttribute("data-met")).toBe("false");
    expect(await contact.textContent()).toMatch(/0 of 3 attempts, 0 of 2 methods, 0 of 5 business days/);
    await page.screenshot({ path: `${SHOTS}/war-room-closure-checklist.png` });

    // A contact attempt ticks the count live; the confirmation ticks the item and enables Close.
    await contact.getByTestId("closure-action-logContactAttempt").click();
    const attempt = page.getByTestId("action-dialog-logContactAttempt");
    await attempt.getByTestId("action-submit").click();
    await attempt.waitFor({ state: "detached" });
    await contact.getByText("1 of 3 attempts, 1 of 2 methods", { exact: false }).waitFor({ timeout: 10_000 });
    await contact.getByTestId("closure-action-confirmResolution").click();
    const confirm = page.getByTestId("action-dialog-confirmResolution");
    await confirm.getByTestId("action-submit").click();
    await confirm.waitFor({ state: "detached" });
    await page
      .locator('[data-testid="closure-CUSTOMER_CONFIRMATION_OR_ATTEMPTS"][data-met="true"]')
      .waitFor({ timeout: 10_000 });
    expect(await close.isDisabled()).toBe(false);
    expect(await page.getByTestId("action-reason-close").count()).toBe(0);
    await close.click();
    await page.getByTestId("action-submit").click();
    await page.getByTestId("actions-none").waitFor({ timeout: 10_000 });
    await ctx.close();
  });

  it("publishes a public update that appears on an open status page, with no internal text there", async () => {
    const secretDescription = "INTERNAL-ONLY: acquirer credentials rotated by Bob";
    const secretNote = "INTERNAL-ONLY: customer ACME-42 escalated";
    const inc = await openCheckoutIncident(people.manager!, {
      title: "Payments degraded",
      description: secretDescription,
      impact: "HIGH",
      urgency: "MEDIUM",
      public: true,
    });
    await people.manager!.ok(
      "mutation($id: ID!, $b: String!) { addNote(incidentId: $id, body: $b) { id } }",
      {
        id: inc.id,
        b: secretNote,
      },
    );
    const statusPage = await browser.newPage();
    await statusPage.goto(t.url);
    await statusPage.getByTestId(`public-incident-${inc.id}`).waitFor({ timeout: 10_000 });

    const { ctx, page } = await signIn(browser, t.url, people.manager!);
    await page.goto(`${t.url}/war-room/incidents/${inc.id}`);
    const composer = page.getByTestId("public-update-composer");
    await composer.getByLabel("Message for customers").fill("Some card payments fail; we are rolling back.");
    await composer
      .getByTestId("public-update-preview")
      .getByText("Some card payments fail; we are rolling back.")
      .waitFor();
    await composer.getByRole("button", { name: "Post public update" }).click();

    await statusPage
      .getByTestId(`public-incident-${inc.id}`)
      .getByText("Some card payments fail; we are rolling back.")
      .waitFor({ timeout: 10_000 });
    await statusPage.screenshot({ path: `${SHOTS}/status-page-incident.png`, fullPage: true });
    for (const path of ["/", `/incidents/${inc.id}`, "/history"]) {
      await statusPage.goto(`${t.url}${path}`);
      await statusPage.getByText("Payments degraded").first().waitFor({ timeout: 10_000 });
      const html = await statusPage.content();
      expect(html).not.toContain("INTERNAL-ONLY");
      expect(html).not.toContain("Max Manager");
    }
    await statusPage.close();
    await ctx.close();
  });
});
