// The pages reconnect by themselves after a server restart and resume from `seq`: what happened while
// they were disconnected arrives once, without reload, and nothing is shown twice.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../server/db/embedded";
import { type Person, startTestBeacon, type TestBeacon, type TestClient } from "../support/harness";
import { createQueue, createService, setServiceStatus } from "../support/incidents";
import {
  assertWebBuilt,
  documentMarker,
  launchBrowser,
  markDocument,
  roomState,
  SHOTS,
  signIn,
  WEB_DIR,
} from "./browser";

const LIVE = { timeout: 10_000 };
// Reconnecting uses exponential backoff (with jitter) while the server is away; after a restart of a
// few seconds the next attempt can be up to ~8 s out. This is the one wait that is allowed to be long.
const RECONNECT = { timeout: 20_000 };

let port: number;
let env: Record<string, string>;
let first: TestBeacon; // owns the database; stopped last
const others: TestBeacon[] = [];
let browser: Browser;
let serviceId: string;
let manager: Person;
let responder: Person;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  assertWebBuilt();
  port = await freePort();
  env = { PORT: String(port), BEACON_WEB_DIR: WEB_DIR };
  first = await startTestBeacon({ env });
  expect(first.url).toBe(`http://127.0.0.1:${port}`);
  serviceId = await createService(first.admin, "Checkout API", "Payments");
  manager = await first.user("INCIDENT_MANAGER", "Max Manager");
  responder = await first.user("RESPONDER", "Rui Responder");
  await createQueue(first.admin, "Payments on-call", [responder.userId]);
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const ctx of contexts) await ctx.close().catch(() => {});
  await browser?.close();
  for (const b of others.reverse()) await b.stop().catch(() => {});
  await first?.stop();
});

/** Another Beacon on the same database (on `port`, or on a free one when none is given). */
async function another(onPort?: number): Promise<TestBeacon> {
  const b = await startTestBeacon({
    databaseUrl: first.databaseUrl,
    env: onPort ? { PORT: String(onPort), BEACON_WEB_DIR: WEB_DIR } : { BEACON_WEB_DIR: WEB_DIR },
  });
  others.push(b);
  return b;
}

/** A TestClient with the same session, pointed at another server (sessions live in the database). */
function via(b: TestBeacon, who: TestClient): TestClient {
  return new (who.constructor as typeof TestClient)(b.url, who.token);
}

async function notLive(page: Page) {
  await page.locator('[data-testid="live-indicator"]:not([data-state="live"])').waitFor(LIVE);
}

async function postUpdate(c: TestClient, incidentId: string, message: string) {
  await c.ok(
    "mutation($i: ID!, $m: String!) { postPublicUpdate(incidentId: $i, status: IDENTIFIED, message: $m) { id } }",
    { i: incidentId, m: message },
  );
}

async function addNote(c: TestClient, incidentId: string, body: string) {
  await c.ok("mutation($i: ID!, $b: String!) { addNote(incidentId: $i, body: $b) { id } }", {
    i: incidentId,
    b: body,
  });
}

describe("reconnect after a server restart", () => {
  it("the status page and a war room catch up from seq, without reload and without duplicates", async () => {
    const inc = await manager.ok<{ openIncident: { id: string } }>(
      "mutation($i: OpenIncidentInput!) { openIncident(input: $i) { id } }",
      {
        i: {
          title: "Card payments failing",
          description: "Acquirer 502s",
          impact: "HIGH",
          urgency: "MEDIUM",
          serviceIds: [serviceId],
          public: true,
        },
      },
    );
    const id = inc.openIncident.id;
    await postUpdate(manager, id, "Update A: we are investigating failing card payments.");

    // The status page, anonymous.
    const statusCtx = await browser.newContext();
    contexts.push(statusCtx);
    const status = await statusCtx.newPage();
    await status.goto(first.url);
    await status.locator('[data-testid="live-indicator"][data-state="live"]').waitFor(LIVE);
    const card = status.getByTestId(`public-incident-${id}`);
    await card.getByText("Update A:").waitFor(LIVE);
    await markDocument(status, "status-before-restart");

    // A responder's war room on the incident.
    const room = await signIn(browser, first.url, responder);
    contexts.push(room.ctx);
    await room.page.goto(`${first.url}/war-room/incidents/${encodeURIComponent(id)}`);
    await roomState(room.page, "NEW").waitFor(LIVE);
    await room.page.locator('[data-testid="live-indicator"][data-state="live"]').waitFor(LIVE);
    await markDocument(room.page, "room-before-restart");
    const timeline = room.page.getByTestId("timeline");

    // The server goes away: both pages notice.
    await first.started.stop();
    await notLive(status);
    await notLive(room.page);

    // While they are disconnected, things change (through another instance on the same database).
    const meanwhile = await another();
    await setServiceStatus(via(meanwhile, manager), serviceId, "MAJOR_OUTAGE");
    await postUpdate(via(meanwhile, manager), id, "Update B: posted while you were disconnected.");
    await addNote(via(meanwhile, manager), id, "Note B: written while the room was disconnected");
    await meanwhile.started.stop();
    // Nothing could have reached the pages.
    expect(await status.getByTestId("service-checkout-api").getByText("Major outage").count()).toBe(0);
    expect(await timeline.getByText("Note B:").count()).toBe(0);
    await status.screenshot({ path: `${SHOTS}/reconnect-status-page-disconnected.png`, fullPage: true });

    // The server comes back on the same port: both pages reconnect by themselves and catch up.
    const second = await another(port);
    expect(second.url).toBe(first.url);
    await status.locator('[data-testid="live-indicator"][data-state="live"]').waitFor(RECONNECT);
    await status.getByTestId("service-checkout-api").getByText("Major outage").waitFor(LIVE);
    await card.getByText("Update B:").waitFor(LIVE);
    await room.page.locator('[data-testid="live-indicator"][data-state="live"]').waitFor(RECONNECT);
    await timeline.getByText("Note B:").waitFor(LIVE);

    // And they stay live on the new server.
    const admin2 = via(second, manager);
    await setServiceStatus(admin2, serviceId, "DEGRADED_PERFORMANCE");
    await postUpdate(admin2, id, "Update C: after the restart.");
    await addNote(admin2, id, "Note C: after the restart");
    await status.getByTestId("service-checkout-api").getByText("Degraded performance").waitFor(LIVE);
    await card.getByText("Update C:").waitFor(LIVE);
    await timeline.getByText("Note C:").waitFor(LIVE);

    // Same documents (never reloaded) and every update exactly once.
    expect(await documentMarker(status)).toBe("status-before-restart");
    expect(await documentMarker(room.page)).toBe("room-before-restart");
    for (const text of ["Update A:", "Update B:", "Update C:"]) {
      expect(await card.getByText(text).count(), text).toBe(1);
    }
    for (const text of ["Note B:", "Note C:"]) {
      expect(await timeline.getByText(text).count(), text).toBe(1);
    }
    // The room's timeline: the public updates too, each once.
    for (const text of ["Update A:", "Update B:", "Update C:"]) {
      expect(await timeline.getByText(text).count(), `room ${text}`).toBe(1);
    }
    await status.screenshot({ path: `${SHOTS}/reconnect-status-page-after.png`, fullPage: true });
  });
});
