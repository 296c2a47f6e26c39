// axe-core on every main page state, light and (a subset) dark, with 0 serious/critical
// violations; and a responder drawn to the P1 that waits for them ("Needs me", banner, tab count).
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestBeacon, type TestBeacon } from "../support/harness";
import { createQueue, createService, openIncident } from "../support/incidents";
import { itemAt } from "../support/item-at";
import { expectAccessible } from "./axe";
import { assertWebBuilt, launchBrowser, SHOTS, signIn, WEB_DIR } from "./browser";

let t: TestBeacon;
let browser: Browser;
let serviceId: string;
let queueId: string;
let agent: Person;
let responder: Person;
let manager: Person;
let admin: Person;
const LIVE = { timeout: 10_000 };
const incidents: Record<string, string> = {};

type Ver = Record<string, { version: number }>;
async function step(by: Person, id: string, v: number, m: string, extra = "", vars = {}): Promise<number> {
  const d = await by.ok<Ver>(
    `mutation($id: ID!, $v: Int!${Object.keys(vars)
      .map((k) => `, $${k}: ID!`)
      .join("")}) { ${m}(id: $id, expectedVersion: $v${extra}) { version } }`,
    { id, v, ...vars },
  );
  return itemAt(Object.values(d), 0).version;
}

/** An incident on the checkout service, as monitoring would describe it. */
const open = (by: Person, input: Record<string, unknown>) =>
  openIncident(by, { description: "Seen by monitoring", serviceIds: [serviceId], ...input });

/** Waits until nothing on the page is still loading (skeletons, busy regions). */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector(".skeleton, [aria-busy='true']"), null, LIVE);
}

async function anonymous(scheme: "light" | "dark" = "light"): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: scheme });
  return { ctx, page: await ctx.newPage() };
}

async function signedIn(p: Person, scheme: "light" | "dark" = "light") {
  const s = await signIn(browser, t.url, p);
  await s.page.emulateMedia({ colorScheme: scheme });
  return s;
}

beforeAll(async () => {
  assertWebBuilt();
  t = await startTestBeacon({ env: { BEACON_WEB_DIR: WEB_DIR } });
  serviceId = await createService(t.admin, "Checkout API", "Payments");
  await createService(t.admin, "Search");
  agent = await t.user("AGENT", "Alice Agent");
  responder = await t.user("RESPONDER", "Rui Responder");
  manager = await t.user("INCIDENT_MANAGER", "Max Manager");
  admin = await t.user("ADMIN", "Ada Admin");
  queueId = await createQueue(t.admin, "Payments on-call", [responder.userId]);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe("accessibility (axe-core, light)", () => {
  it("status page, all operational, and the war room's sign-in", async () => {
    const { ctx, page } = await anonymous();
    await page.goto(`${t.url}/`);
    await page.getByTestId("status-banner").getByText("All Systems Operational").waitFor(LIVE);
    await settled(page);
    await expectAccessible(page, "status page (all operational)");
    await page.goto(`${t.url}/war-room`);
    await page.getByRole("button", { name: "Sign in" }).waitFor(LIVE);
    await expectAccessible(page, "war-room sign-in");
    await ctx.close();
  });

  it("a responder sees 'Needs me' with the P1, the banner and the tab count; the list passes axe", async () => {
    const p1 = await open(agent, { title: "Card payments failing", impact: "HIGH", urgency: "HIGH" });
    incidents.p1 = p1.id;
    // Not in the responder's queue: not theirs, must not show in "Needs me".
    incidents.other = (await open(agent, { title: "Search is slow" })).id;
    await step(agent, p1.id, p1.version, "assignIncident", ", queueId: $q", { q: queueId });

    const { ctx, page } = await signedIn(responder);
    await page.getByTestId("view-needs-me").and(page.locator("[aria-pressed='true']")).waitFor(LIVE);
    await page
      .getByTestId(`incident-row-${p1.id}`)
      .getByText("Waiting for your acknowledgement")
      .waitFor(LIVE);
    expect(await page.getByTestId(`incident-row-${incidents.other}`).count()).toBe(0);
    await page.getByTestId("attention-banner").getByText("Card payments failing").waitFor(LIVE);
    await page.waitForFunction(() => document.title === "(1) Incidents · Beacon war room", null, LIVE);
    // "Mine only" on the whole list is not 0 while the P1 waits for me.
    await page.getByTestId("view-all").click();
    await page.getByTestId("filter-mine").check();
    await page.getByTestId(`incident-row-${p1.id}`).waitFor(LIVE);
    await page.getByTestId("filter-mine").uncheck();
    await page.getByTestId(`incident-row-${incidents.other}`).waitFor(LIVE);
    await settled(page);
    await expectAccessible(page, "incident list (with the attention banner)");
    await page.getByTestId("view-needs-me").click();
    await page.getByTestId(`incident-row-${p1.id}`).waitFor(LIVE);
    await page.screenshot({ path: `${SHOTS}/war-room-needs-me.png` });

    // A second P1 arriving live joins the banner and the count; acknowledging one takes it away.
    const second = await open(agent, { title: "Refunds stuck", impact: "HIGH", urgency: "HIGH" });
    incidents.second = second.id;
    await step(agent, second.id, second.version, "assignIncident", ", queueId: $q", { q: queueId });
    await page.getByTestId("attention-banner").getByText("Refunds stuck").waitFor(LIVE);
    await page.waitForFunction(() => document.title === "(2) Incidents · Beacon war room", null, LIVE);
    await step(responder, second.id, 2, "acknowledgeIncident");
    await page.waitForFunction(() => document.title === "(1) Incidents · Beacon war room", null, LIVE);
    expect(await page.getByTestId("attention-banner").getByText("Refunds stuck").count()).toBe(0);
    await ctx.close();
  });

  it("rooms: NEW, IN_PROGRESS, RESOLVED with its closure checklist", async () => {
    const fresh = await open(agent, { title: "Checkout banner missing" });
    const { ctx, page } = await signedIn(agent);
    const room = async (id: string, state: string, where: string) => {
      await page.goto(`${t.url}/war-room/incidents/${id}`);
      await page
        .getByTestId("room-header")
        .locator(`[data-testid="incident-state"][data-state="${state}"]`)
        .waitFor(LIVE);
      await page.getByTestId("timeline").waitFor(LIVE);
      await settled(page);
      await expectAccessible(page, where);
    };
    await room(fresh.id, "NEW", "room (NEW)");
    let v = await step(agent, fresh.id, fresh.version, "startWork");
    await agent.ok('mutation($id: ID!) { addNote(incidentId: $id, body: "Looking at the CDN") { id } }', {
      id: fresh.id,
    });
    await room(fresh.id, "IN_PROGRESS", "room (IN_PROGRESS)");
    v = await step(agent, fresh.id, v, "resolveIncident", ', code: WORKAROUND, notes: "Purged the cache"');
    await room(fresh.id, "RESOLVED", "room (RESOLVED)");
    await page.getByTestId("closure-checklist").waitFor(LIVE);
    await expectAccessible(page, "room (RESOLVED, checklist)");
    await ctx.close();
  });

  it("services, problems, admin and maintenance", async () => {
    const { ctx, page } = await signedIn(admin);
    for (const [path, where] of [
      ["/war-room/services", "services"],
      ["/war-room/problems", "problems"],
      ["/war-room/admin", "admin"],
      ["/war-room/maintenance", "maintenance"],
    ] as const) {
      await page.goto(`${t.url}${path}`);
      await page.getByRole("heading", { level: 1 }).waitFor(LIVE);
      await settled(page);
      await expectAccessible(page, where);
    }
    await ctx.close();
  });

  it("status page with an active public incident, its page, and history", async () => {
    const d = await manager.ok<{ openIncident: { id: string; version: number } }>(
      `mutation($i: OpenIncidentInput!) { openIncident(input: $i) { id version } }`,
      {
        i: {
          title: "Payments degraded (internal)",
          publicTitle: "Card payments are failing",
          description: "Acquirer returns 502",
          impact: "HIGH",
          urgency: "HIGH",
          serviceIds: [serviceId],
          public: true,
          serviceImpacts: [{ serviceId, status: "MAJOR_OUTAGE" }],
        },
      },
    );
    incidents.public = d.openIncident.id;
    const { ctx, page } = await anonymous();
    await page.goto(`${t.url}/`);
    await page.getByTestId(`public-incident-${incidents.public}`).waitFor(LIVE);
    await settled(page);
    await expectAccessible(page, "status page (active incident)");
    await page.goto(`${t.url}/incidents/${incidents.public}`);
    await page.getByRole("heading", { name: "Card payments are failing" }).waitFor(LIVE);
    await settled(page);
    await expectAccessible(page, "public incident page");
    let v = await step(manager, incidents.public, d.openIncident.version, "startWork");
    v = await step(manager, incidents.public, v, "resolveIncident", ', code: WORKAROUND, notes: "Failover"');
    await page.goto(`${t.url}/history`);
    await page.getByRole("heading", { name: "Incident history" }).waitFor(LIVE);
    await settled(page);
    await expectAccessible(page, "history");
    await ctx.close();
  });
});

describe("browser notifications", () => {
  it("never without opt-in; after 'Turn on alerts', a new P1/P2 that needs me notifies once", async () => {
    const { ctx, page } = await signedIn(responder);
    await ctx.grantPermissions(["notifications"], { origin: t.url });
    // The real Notification, recording what it was asked to show.
    await ctx.addInitScript(() => {
      const Real = window.Notification;
      const shown: string[] = [];
      class Recording extends Real {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options);
          shown.push(title);
        }
      }
      Object.defineProperty(Recording, "permission", { get: () => Real.permission });
      Object.defineProperty(Recording, "requestPermission", { value: Real.requestPermission.bind(Real) });
      Object.assign(window, { Notification: Recording, __shown: shown });
    });
    await page.reload();
    const shown = () => page.evaluate(() => (window as unknown as { __shown: string[] }).__shown);
    await page.getByTestId("attention-banner").waitFor(LIVE);

    const first = await open(agent, { title: "Login broken", impact: "HIGH", urgency: "HIGH" });
    await step(agent, first.id, first.version, "assignIncident", ", queueId: $q", { q: queueId });
    await page.getByTestId("attention-banner").getByText("Login broken").waitFor(LIVE);
    expect(await shown()).toEqual([]);

    await page.getByTestId("notify-toggle").click();
    await page.getByTestId("notify-toggle").getByText("Alerts on").waitFor(LIVE);
    const second = await open(agent, { title: "Cart empty", impact: "HIGH", urgency: "MEDIUM" });
    await step(agent, second.id, second.version, "assignIncident", ", queueId: $q", { q: queueId });
    await page.getByTestId("attention-banner").getByText("Cart empty").waitFor(LIVE);
    await page.waitForFunction(
      () => (window as unknown as { __shown: string[] }).__shown.length > 0,
      null,
      LIVE,
    );
    expect((await shown()).length).toBe(1);
    expect((await shown())[0]).toMatch(/^P2 INC-\d+ needs you$/);

    // Turned off again: the next one rings nothing.
    await page.getByTestId("notify-toggle").click();
    await page.getByTestId("notify-toggle").getByText("Turn on alerts").waitFor(LIVE);
    const third = await open(agent, { title: "Search down", impact: "HIGH", urgency: "HIGH" });
    await step(agent, third.id, third.version, "assignIncident", ", queueId: $q", { q: queueId });
    await page.getByTestId("attention-banner").getByText("Search down").waitFor(LIVE);
    expect((await shown()).length).toBe(1);
    await ctx.close();
  });
});

describe("accessibility (axe-core, dark)", () => {
  it("status page, incident page, sign-in, incident list, a room and admin pass in dark mode", async () => {
    const { ctx, page } = await anonymous("dark");
    expect(await page.evaluate(() => matchMedia("(prefers-color-scheme: dark)").matches)).toBe(true);
    await page.goto(`${t.url}/`);
    await page.getByTestId("status-banner").waitFor(LIVE);
    await settled(page);
    // Dark mode is on: the page's background is dark.
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [r, g, b] = (bg.match(/\d+/g) ?? []).map(Number);
    expect((r ?? 255) + (g ?? 255) + (b ?? 255)).toBeLessThan(150);
    await expectAccessible(page, "dark: status page");
    await page.screenshot({ path: `${SHOTS}/status-page-dark.png` });
    await page.goto(`${t.url}/incidents/${incidents.public}`);
    await page.getByRole("heading", { level: 1 }).waitFor(LIVE);
    await settled(page);
    await expectAccessible(page, "dark: public incident page");
    await page.goto(`${t.url}/war-room`);
    await page.getByRole("button", { name: "Sign in" }).waitFor(LIVE);
    await expectAccessible(page, "dark: sign-in");
    await ctx.close();

    const r1 = await signedIn(responder, "dark");
    await r1.page.getByTestId("attention-banner").waitFor(LIVE);
    await settled(r1.page);
    await expectAccessible(r1.page, "dark: incident list with banner");
    await r1.page.goto(`${t.url}/war-room/incidents/${incidents.p1}`);
    await r1.page.getByTestId("timeline").waitFor(LIVE);
    await settled(r1.page);
    await expectAccessible(r1.page, "dark: room (ASSIGNED)");
    await r1.page.screenshot({ path: `${SHOTS}/war-room-dark.png` });
    await r1.ctx.close();

    const a = await signedIn(admin, "dark");
    await a.page.goto(`${t.url}/war-room/admin`);
    await a.page.getByRole("heading", { level: 1 }).waitFor(LIVE);
    await settled(a.page);
    await expectAccessible(a.page, "dark: admin");
    await a.ctx.close();
  });
});
