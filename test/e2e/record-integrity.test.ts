// Issue 11 in the browser: a redaction in the war room, a problem page with three linked incidents,
// and a review with action items completed whose postmortem appears on the status page.
// Set-up goes through the API; what is under test goes through the UI.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestBeacon, type TestBeacon, type TestClient } from "../support/harness";
import { createService } from "../support/incidents";
import { itemAt } from "../support/item-at";
import { assertWebBuilt, clickAction, launchBrowser, roomState, SHOTS, signIn, WEB_DIR } from "./browser";

const LIVE = { timeout: 10_000 };
let t: TestBeacon;
let browser: Browser;
let serviceId: string;
let admin: Person;
let agent: Person;
let manager: Person;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  assertWebBuilt();
  t = await startTestBeacon({ env: { BEACON_WEB_DIR: WEB_DIR } });
  serviceId = await createService(t.admin, "Checkout API", "Payments");
  admin = await t.user("ADMIN", "Ada Admin");
  agent = await t.user("AGENT", "Alice Agent");
  manager = await t.user("INCIDENT_MANAGER", "Max Manager");
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const ctx of contexts) await ctx.close().catch(() => {});
  await browser?.close();
  await t?.stop();
});

async function window(p: Person): Promise<Page> {
  const { ctx, page } = await signIn(browser, t.url, p);
  contexts.push(ctx);
  return page;
}

interface Opened {
  id: string;
  number: string;
  version: number;
}

async function openIncident(by: TestClient, input: Record<string, unknown> = {}): Promise<Opened> {
  const d = await by.ok<{ openIncident: Opened }>(
    "mutation($i: OpenIncidentInput!) { openIncident(input: $i) { id number version } }",
    {
      i: {
        title: "Checkout fails",
        description: "Card payments time out",
        impact: "MEDIUM",
        urgency: "MEDIUM",
        serviceIds: [serviceId],
        ...input,
      },
    },
  );
  return d.openIncident;
}

const room = (page: Page, id: string) => page.goto(`${t.url}/war-room/incidents/${encodeURIComponent(id)}`);

describe("record integrity in the war room and on the status page", () => {
  it("an admin redacts a pasted secret: the text goes everywhere, live, and a tombstone says why", async () => {
    const i = await openIncident(agent, { title: "Login errors" });
    const secret = "DB password is hunter2-please-rotate";
    const note = await agent.ok<{ addNote: { id: string } }>(
      "mutation($id: ID!, $b: String!) { addNote(incidentId: $id, body: $b) { id } }",
      { id: i.id, b: secret },
    );
    const agentPage = await window(agent);
    await room(agentPage, i.id);
    const agentEntry = agentPage.getByTestId(`timeline-entry-${note.addNote.id}`);
    await agentEntry.getByText(secret).waitFor(LIVE);
    // Only admins are offered redaction.
    expect(await agentPage.getByTestId("timeline-redact").count()).toBe(0);

    const adminPage = await window(admin);
    await room(adminPage, i.id);
    const entry = adminPage.getByTestId(`timeline-entry-${note.addNote.id}`);
    await entry.getByText(secret).waitFor(LIVE);
    await entry.getByRole("button", { name: /^Redact entry/ }).click();
    const dialog = adminPage.getByTestId("redact-dialog");
    await dialog.getByLabel("Reason").fill("A database password was pasted by mistake");
    await dialog.getByRole("button", { name: "Remove the text" }).click();
    await dialog.waitFor({ state: "detached", ...LIVE });

    await entry
      .getByTestId("timeline-redacted")
      .getByText(/Text removed by Ada Admin/)
      .waitFor(LIVE);
    expect(await entry.textContent()).not.toContain(secret);
    const tomb = adminPage.locator('[data-kind="REDACTION"]');
    await tomb.getByText("Reason: A database password was pasted by mistake").waitFor(LIVE);
    // The other room sees the same without a reload.
    await agentEntry.getByTestId("timeline-redacted").waitFor(LIVE);
    expect(await agentPage.getByTestId("timeline").textContent()).not.toContain(secret);
    await adminPage.screenshot({ path: `${SHOTS}/redaction.png` });
  });

  it("a problem record links three incidents, becomes a known error and shows its incidents", async () => {
    const page = await window(manager);
    await page.goto(`${t.url}/war-room/problems`);
    await page.getByRole("button", { name: "New problem" }).click();
    const create = page.getByTestId("create-problem-dialog");
    await create.getByLabel("Title").fill("Payment gateway connection pool exhaustion");
    await create.getByLabel("Description").fill("Checkout times out under load; three incidents so far.");
    await create.getByRole("button", { name: "Create problem" }).click();
    await page.waitForURL(/\/war-room\/problems\/[^/]+$/, LIVE);
    const problemId = decodeURIComponent(page.url().split("/").pop() as string);
    const number = (await page.getByTestId("problem-number").textContent()) ?? "";
    expect(number).toMatch(/^PRB-\d{6}$/);

    // One incident is linked from its room, by picking the PRB; two more through the API.
    const incidents = [
      await openIncident(manager, { title: "Checkout slow at noon" }),
      await openIncident(manager, { title: "Checkout timeouts in EU" }),
      await openIncident(manager, { title: "Card payments fail" }),
    ];
    await room(page, itemAt(incidents, 0).id);
    await clickAction(page, "linkProblem");
    const link = page.getByTestId("action-dialog-linkProblem");
    await link
      .getByLabel("Problem record")
      .selectOption({ label: `${number} Payment gateway connection pool exhaustion (Open)` });
    await link.getByTestId("action-submit").click();
    await link.waitFor({ state: "detached", ...LIVE });
    await page.getByTestId("incident-problem").getByRole("link", { name: number }).waitFor(LIVE);
    for (const i of incidents.slice(1)) {
      await manager.ok(
        "mutation($i: ID!, $v: Int!, $p: ID!) { linkIncidentToProblem(incidentId: $i, expectedVersion: $v, problemId: $p) { id } }",
        { i: i.id, v: i.version, p: number },
      );
    }

    // The problem page lists the three, each a link to its room.
    await page.getByTestId("incident-problem").getByRole("link", { name: number }).click();
    await page.getByTestId("problem-page").waitFor(LIVE);
    const list = page.getByTestId("problem-incidents");
    for (const i of incidents) await list.getByTestId(`problem-incident-${i.number}`).waitFor(LIVE);
    expect(await page.getByTestId("problem-incident-count").textContent()).toBe("3");

    // A known error needs root cause and workaround: refused without, then done with both.
    await page.getByTestId("problem-to-KNOWN_ERROR").click();
    await page
      .getByTestId("problem-error")
      .getByText(/needs its root cause and a workaround/)
      .waitFor(LIVE);
    await page
      .getByLabel("Root cause", { exact: true })
      .fill("The gateway client never returns connections on timeout.");
    await page.getByLabel("Workaround", { exact: true }).fill("Restart the checkout pods to free the pool.");
    await page.getByTestId("problem-to-KNOWN_ERROR").click();
    await page.locator('[data-testid="problem-state"][data-state="KNOWN_ERROR"]').waitFor(LIVE);
    await page
      .getByTestId("problem-history")
      .getByText(/KNOWN_ERROR|Known error/)
      .first()
      .waitFor(LIVE);
    await page.screenshot({ path: `${SHOTS}/problem.png` });

    // Whoever works a new incident on the same service sees the known error and its workaround.
    const fourth = await openIncident(agent, { title: "Checkout down again" });
    await room(page, fourth.id);
    await page
      .getByTestId(`known-error-${number}`)
      .getByText(/workaround Restart the checkout pods/)
      .waitFor(LIVE);
    // And the list filter finds it among known errors.
    await page.goto(`${t.url}/war-room/problems`);
    await page.getByTestId("problem-filter-state").selectOption("KNOWN_ERROR");
    await page.getByTestId(`problem-row-${number}`).waitFor(LIVE);
    expect(problemId).toBeTruthy();
  });

  it("a review with action items is completed and its postmortem appears on the status page", async () => {
    const i = await openIncident(manager, { title: "Checkout outage", public: true });
    await manager.ok("mutation($id: ID!) { startWork(id: $id, expectedVersion: 1) { id } }", { id: i.id });
    await manager.ok(
      'mutation($id: ID!) { resolveIncident(id: $id, expectedVersion: 2, code: PERMANENT_FIX, notes: "Rolled back the gateway client") { id } }',
      { id: i.id },
    );

    // The public incident page is open before the review is completed.
    const statusCtx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(statusCtx);
    const status = await statusCtx.newPage();
    await status.goto(`${t.url}/incidents/${encodeURIComponent(i.id)}`);
    await status.getByTestId(`public-incident-${i.id}`).waitFor(LIVE);
    await status.locator('[data-testid="live-indicator"][data-state="live"]').waitFor(LIVE);
    expect(await status.getByTestId("public-postmortem").count()).toBe(0);

    const page = await window(manager);
    await room(page, i.id);
    await roomState(page, "RESOLVED").waitFor(LIVE);
    // "Complete review" in the action bar leads to the review document.
    await page.getByTestId("action-completeReview").click();
    const editor = page.getByTestId("review-editor");
    await editor.waitFor(LIVE);
    // The excerpt starts from the incident's own timeline.
    await expect
      .poll(() => editor.getByLabel("Timeline").inputValue(), LIVE)
      .toContain("Rolled back the gateway client");
    await editor.getByLabel("Summary").fill("Checkout failed for 40 minutes after a gateway client upgrade.");
    await editor.getByLabel("Root cause").fill("The new client leaked connections on timeouts.");
    await editor.getByLabel("What went well").fill("Rollback took five minutes.");
    await editor.getByLabel("Lessons learned").fill("Load-test client upgrades before release.");
    const postmortem =
      "On Tuesday checkout failed for 40 minutes. A software upgrade exhausted connections to our payment provider; we rolled it back.";
    await editor.getByLabel("Public postmortem").fill(postmortem);
    await editor.getByTestId("review-save").click();
    await editor.getByTestId("review-saved").getByText("Draft saved.").waitFor(LIVE);

    // Completing without action items and without "No action items" is refused with the rule.
    await editor.getByTestId("review-complete").click();
    await editor
      .getByTestId("review-error")
      .getByText(/at least one action item/)
      .waitFor(LIVE);

    const items = page.getByTestId("action-items");
    const add = async (title: string, due: string) => {
      await items.getByLabel("New action item").fill(title);
      await items.getByLabel("Owner").selectOption({ label: "Max Manager" });
      await items.getByLabel("Due").fill(due);
      await items.getByTestId("action-item-submit").click();
      await items.getByTestId(`action-item-${title}`).waitFor(LIVE);
    };
    await add("Load-test gateway client upgrades", "2027-01-15");
    await add("Alert on connection pool usage", "2027-01-08");
    await items.getByTestId("action-item-Alert on connection pool usage").getByRole("checkbox").check();
    await items
      .locator('[data-testid="action-item-Alert on connection pool usage"][data-done="true"]')
      .waitFor(LIVE);
    expect(await items.getByTestId("action-item-Load-test gateway client upgrades").textContent()).toContain(
      "Max Manager · due 2027-01-15",
    );

    await editor.getByTestId("review-complete").click();
    const done = page.getByTestId("review-completed");
    await done.getByText(/Review completed/).waitFor(LIVE);
    await done
      .getByTestId("review-rootCause")
      .getByText("The new client leaked connections on timeouts.")
      .waitFor(LIVE);
    await page.screenshot({ path: `${SHOTS}/review.png` });

    // The status page's incident page shows the postmortem, live.
    await status.getByTestId("public-postmortem").getByText(postmortem).waitFor(LIVE);
    expect(await status.getByTestId("public-postmortem").textContent()).not.toContain("leaked connections");
    await status.screenshot({ path: `${SHOTS}/public-postmortem.png` });
  });
});
