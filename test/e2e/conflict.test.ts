// Two incident managers act on the same incident: a stale `expectedVersion` shows what changed
// meanwhile and lets the user retry, without undoing the other person's change.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestBeacon, type TestBeacon } from "../support/harness";
import { createService } from "../support/incidents";
import { assertWebBuilt, clickAction, launchBrowser, roomState, SHOTS, signIn, WEB_DIR } from "./browser";

const LIVE = { timeout: 10_000 };
let t: TestBeacon;
let browser: Browser;
let serviceId: string;
let maya: Person;
let noah: Person;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  assertWebBuilt();
  t = await startTestBeacon({ env: { BEACON_WEB_DIR: WEB_DIR } });
  serviceId = await createService(t.admin, "Checkout API", "Payments");
  maya = await t.user("INCIDENT_MANAGER", "Maya Manager");
  noah = await t.user("INCIDENT_MANAGER", "Noah Manager");
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const ctx of contexts) await ctx.close().catch(() => {});
  await browser?.close();
  await t?.stop();
});

/** Set-up through the API: an incident in progress. */
async function incidentInProgress(title: string): Promise<string> {
  const d = await maya.ok<{ openIncident: { id: string; version: number } }>(
    "mutation($i: OpenIncidentInput!) { openIncident(input: $i) { id version } }",
    {
      i: {
        title,
        description: "Acquirer 502s",
        impact: "MEDIUM",
        urgency: "MEDIUM",
        serviceIds: [serviceId],
      },
    },
  );
  const { id, version } = d.openIncident;
  await maya.ok("mutation($id: ID!, $v: Int!) { startWork(id: $id, expectedVersion: $v) { version } }", {
    id,
    v: version,
  });
  return id;
}

async function room(p: Person, id: string, setup?: (ctx: BrowserContext) => Promise<void>): Promise<Page> {
  const { ctx, page } = await signIn(browser, t.url, p);
  contexts.push(ctx);
  await setup?.(ctx);
  await page.goto(`${t.url}/war-room/incidents/${encodeURIComponent(id)}`);
  await roomState(page, "IN_PROGRESS").waitFor(LIVE);
  await page.locator('[data-testid="live-indicator"][data-state="live"]').waitFor(LIVE);
  return page;
}

async function editTitle(page: Page, title: string) {
  await clickAction(page, "update");
  const dialog = page.getByTestId("action-dialog-update");
  await dialog.getByLabel("Title").fill(title);
  await dialog.getByTestId("action-submit").click();
  await dialog.waitFor({ state: "detached", ...LIVE });
}

describe("conflicting edits in the war room", () => {
  it("a form left open while someone else saves gets a conflict, shows what changed, and retries", async () => {
    const id = await incidentInProgress("Checkout slow");
    const mayaPage = await room(maya, id);
    const noahPage = await room(noah, id);

    // Noah opens "Edit" and starts changing the urgency...
    await clickAction(noahPage, "update");
    const noahDialog = noahPage.getByTestId("action-dialog-update");
    await noahDialog.getByLabel(/^Urgency/).selectOption("HIGH");

    // ...while Maya renames the incident. Noah's header follows live, under his open dialog.
    await editTitle(mayaPage, "Checkout slow in the EU");
    await noahPage.getByTestId("incident-title").getByText("Checkout slow in the EU").waitFor(LIVE);

    // Noah saves what he saw: the server refuses the stale version; the dialog says what changed.
    await noahDialog.getByTestId("action-submit").click();
    const notice = noahDialog.getByTestId("conflict-notice");
    await notice.waitFor(LIVE);
    const changes = noahDialog.getByTestId("conflict-changes");
    await changes.getByText("Maya Manager", { exact: false }).waitFor(LIVE);
    await changes.getByText("Checkout slow in the EU", { exact: false }).waitFor(LIVE);
    expect(await changes.textContent()).toMatch(/Title: Checkout slow → Checkout slow in the EU/);
    // His own change is kept; the field he did not touch now holds Maya's title.
    expect(await noahDialog.getByLabel(/^Urgency/).inputValue()).toBe("HIGH");
    await expect
      .poll(() => noahDialog.getByLabel("Title").inputValue(), LIVE)
      .toBe("Checkout slow in the EU");
    await noahPage.screenshot({ path: `${SHOTS}/conflict-notice.png` });

    // Retry succeeds, and Maya sees Noah's change live; her title survived.
    const retry = noahDialog.getByTestId("action-submit");
    expect(await retry.textContent()).toMatch(/^Retry/);
    await retry.click();
    await noahDialog.waitFor({ state: "detached", ...LIVE });
    await mayaPage.getByTestId("room-header").getByText("Medium × High").waitFor(LIVE);
    expect(await mayaPage.getByTestId("incident-title").textContent()).toBe("Checkout slow in the EU");
    expect(await noahPage.getByTestId("incident-title").textContent()).toBe("Checkout slow in the EU");
    await mayaPage
      .getByTestId("room-header")
      .locator('[data-testid="incident-priority"]')
      .getByText("P2")
      .waitFor(LIVE);
  });

  it("a page that missed live updates submits a stale version: conflict notice, then a successful retry", async () => {
    const id = await incidentInProgress("Refund emails delayed");
    const mayaPage = await room(maya, id);
    // Noah's WebSocket goes through a gate that can hold back the server's `next` messages: his page
    // stays connected ("live") but stale, like a lagging connection.
    let frozen = false;
    const noahPage = await room(noah, id, (ctx) =>
      ctx.routeWebSocket(/\/graphql$/, (ws) => {
        const server = ws.connectToServer();
        ws.onMessage((m) => server.send(m));
        server.onMessage((m) => {
          if (frozen && typeof m === "string" && JSON.parse(m).type === "next") return;
          ws.send(m);
        });
      }),
    );
    frozen = true;

    // Maya puts it on hold; Noah's page does not hear about it.
    await clickAction(mayaPage, "hold");
    const hold = mayaPage.getByTestId("action-dialog-hold");
    await hold.getByLabel("Hold reason").selectOption("AWAITING_VENDOR");
    await hold.getByLabel("Note").fill("Waiting for the mail provider to drain their queue");
    await hold.getByTestId("action-submit").click();
    await hold.waitFor({ state: "detached", ...LIVE });
    await roomState(mayaPage, "ON_HOLD").waitFor(LIVE);
    await roomState(noahPage, "IN_PROGRESS").waitFor(LIVE);

    // Noah edits from his stale page.
    await clickAction(noahPage, "update");
    const dialog = noahPage.getByTestId("action-dialog-update");
    await dialog.getByLabel("Description").fill("Mail provider throttles us; refunds are queued, not lost");
    await dialog.getByTestId("action-submit").click();
    const changes = dialog.getByTestId("conflict-changes");
    await changes.waitFor(LIVE);
    await changes.getByText("Maya Manager", { exact: false }).waitFor(LIVE);
    expect(await changes.textContent()).toMatch(/State: In progress → On hold/);
    expect(await changes.textContent()).toMatch(/Hold reason: — → Awaiting vendor/);
    // The conflict reloaded his page over HTTP: the header now shows the hold.
    await roomState(noahPage, "ON_HOLD").waitFor(LIVE);

    await dialog.getByTestId("action-submit").click();
    await dialog.waitFor({ state: "detached", ...LIVE });
    await mayaPage
      .getByTestId("room-header")
      .getByText("Mail provider throttles us; refunds are queued, not lost")
      .waitFor(LIVE);
    await roomState(mayaPage, "ON_HOLD").waitFor(LIVE);

    // Once the gate opens, Noah's page is live again.
    frozen = false;
    await maya.ok("mutation($i: ID!, $b: String!) { addNote(incidentId: $i, body: $b) { id } }", {
      i: id,
      b: "Provider confirmed the throttling",
    });
    await noahPage.getByTestId("timeline").getByText("Provider confirmed the throttling").waitFor(LIVE);
    expect(
      await noahPage.getByTestId("timeline").getByText("Provider confirmed the throttling").count(),
    ).toBe(1);
  });
});
