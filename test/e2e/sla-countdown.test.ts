// Service levels in the room (docs/service-levels.md): the acknowledge clock counts down live, turns
// amber at the warning and red at the breach, and the breach arrives on the timeline by the system.
// The update cadence: the countdown is for the communications lead only, the overdue reminder
// reaches the open rooms by itself; time on hold counts up live.
// The list sorted "Due soonest" is in the server's order and stays in it as incidents change live.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Clock } from "../../server/kernel/clock";
import { startTestBeacon, type TestBeacon } from "../support/harness";
import { act, openIncident, SIG } from "../support/incidents";
import { assertWebBuilt, launchBrowser, SHOTS, signIn, WEB_DIR } from "./browser";

/** Real time, shifted back while the incident opens (the server's timers fire at real times). */
const shift = { ms: 0 };
const clock: Clock = { now: () => new Date(Date.now() + shift.ms) };

let t: TestBeacon;
let browser: Browser;

beforeAll(async () => {
  assertWebBuilt();
  t = await startTestBeacon({
    clock,
    env: { BEACON_WEB_DIR: WEB_DIR, BEACON_JOB_POLL_SECONDS: "1", BEACON_JOB_MAINTENANCE_SECONDS: "1" },
  });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

const MIN = 60_000;
const phase = (page: Page) => page.getByTestId("sla-acknowledge").getAttribute("data-phase");

describe("the room's service-level clocks", () => {
  it("count down, then show warned and breached live", async () => {
    // P1 acknowledge in 1 minute: the warning at 45 s, the breach at 60 s.
    await t.admin.ok("mutation($i: SlaPolicyInput!) { setSlaPolicy(input: $i) { priority } }", {
      i: {
        priority: "P1",
        acknowledgeMinutes: 1,
        resolveMinutes: 240,
        businessHours: false,
        publicUpdateEveryMinutes: 30,
        autoClose: false,
      },
    });
    shift.ms = -20_000; // opened "20 s ago": warned in ~25 s, breached in ~40 s
    const im = await t.user("INCIDENT_MANAGER", "Ivy Incident");
    const d = await im.ok<{ openIncident: { id: string } }>(
      "mutation($i: OpenIncidentInput!) { openIncident(input: $i) { id } }",
      {
        i: { title: "Payments down", description: "All card payments fail", impact: "HIGH", urgency: "HIGH" },
      },
    );
    shift.ms = 0;
    const { ctx, page } = await signIn(browser, t.url, im);
    await page.goto(`${t.url}/war-room/incidents/${d.openIncident.id}`);
    await page.getByTestId("incident-sla").waitFor();
    // Green until the warning (a slow sign-in on a loaded machine may already see it amber).
    expect(["running", "warned"]).toContain(await phase(page));
    const first = await page.getByTestId("sla-acknowledge").textContent();
    expect(first).toMatch(/Acknowledge due in \d+ s/);
    // The countdown moves on its own.
    await page.waitForFunction(
      (before) => document.querySelector('[data-testid="sla-acknowledge"]')?.textContent !== before,
      first,
      { timeout: 10_000 },
    );
    await page.waitForSelector('[data-testid="sla-acknowledge"][data-phase="warned"]', { timeout: 40_000 });
    await page.waitForSelector('[data-testid="sla-acknowledge"][data-phase="breached"]', { timeout: 40_000 });
    expect(await page.getByTestId("sla-acknowledge").textContent()).toMatch(/Acknowledge breached \d+ s ago/);
    // The breach is documented by the system and arrives in the open room without a reload.
    await page.getByText("Acknowledge target missed", { exact: false }).first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: `${SHOTS}/sla-breached-room.png` });
    await ctx.close();
  }, 150_000);

  it("the cadence: a countdown for the communications lead, only 'overdue' for the others; the reminder arrives live; time on hold ticks", async () => {
    const im = await t.user("INCIDENT_MANAGER", "Irma Manager");
    const lead = await t.user("AGENT", "Casey Comms");
    // A public P1 opened "30 min minus 20 s ago": its first public update (every 30 min) is due in 20 s.
    shift.ms = -(30 * MIN - 20_000);
    const d = await im.ok<{ openIncident: { id: string } }>(
      "mutation($i: OpenIncidentInput!) { openIncident(input: $i) { id } }",
      {
        i: { title: "Logins fail", description: "SSO errors", impact: "HIGH", urgency: "HIGH", public: true },
      },
    );
    shift.ms = 0;
    const id = d.openIncident.id;
    const step = (mutation: string, vars: Record<string, unknown>) => im.ok(mutation, { id, ...vars });
    await step(
      "mutation($id: ID!, $u: ID) { assignRoomRole(incidentId: $id, expectedVersion: 1, role: COMMUNICATIONS_LEAD, userId: $u) { id } }",
      { u: lead.userId },
    );
    await step("mutation($id: ID!) { startWork(id: $id, expectedVersion: 2) { id } }", {});
    await step(
      'mutation($id: ID!) { holdIncident(id: $id, expectedVersion: 3, reason: AWAITING_VENDOR, note: "Vendor ticket") { id } }',
      {},
    );

    const asLead = await signIn(browser, t.url, lead);
    const asIm = await signIn(browser, t.url, im);
    for (const { page } of [asLead, asIm]) {
      await page.goto(`${t.url}/war-room/incidents/${id}`);
      await page.getByTestId("incident-sla").waitFor();
    }
    // The lead's countdown (unless a slow machine already passed the due time).
    const leadCadence = asLead.page.getByTestId("sla-cadence");
    await asLead.page.screenshot({ path: `${SHOTS}/sla-cadence-lead.png` });
    expect(await leadCadence.getAttribute("data-mine")).toBe("true");
    expect(await leadCadence.textContent()).toMatch(/next public update due in \d+ s \(yours\)|overdue/);
    // The manager (the assignee, but not the lead) is never counted down at, whatever the timing.
    expect(await asIm.page.locator('[data-testid="sla-cadence"][data-overdue="false"]').count()).toBe(0);
    // Time on hold counts up on its own.
    const resolve = asIm.page.getByTestId("sla-resolve");
    const held = await resolve.textContent();
    expect(held).toMatch(/paused \(on hold \d+ s\)/);
    await asIm.page.waitForFunction(
      (before) => document.querySelector('[data-testid="sla-resolve"]')?.textContent !== before,
      held,
      { timeout: 10_000 },
    );

    // Overdue: both see it, the manager with whose it is; the system's reminder arrives in both rooms.
    await asLead.page.waitForSelector('[data-testid="sla-cadence"][data-overdue="true"]', {
      timeout: 40_000,
    });
    const imCadence = asIm.page.locator('[data-testid="sla-cadence"][data-overdue="true"]');
    await imCadence.waitFor({ timeout: 10_000 });
    expect(await imCadence.textContent()).toMatch(/public update overdue by \d+ s \(Casey Comms\)/);
    expect(await imCadence.getAttribute("data-mine")).toBe("false");
    expect(await imCadence.getAttribute("title")).toBe(
      "Casey Comms (communications lead) posts the public updates",
    );
    for (const { page } of [asLead, asIm]) {
      const entry = page.locator('[data-kind="PUBLIC_UPDATE_DUE"]');
      await entry.waitFor({ timeout: 30_000 });
      expect(await entry.textContent()).toMatch(
        /Public update due.*Beacon \(automatic\).*Was due .*Public update overdue: P1 asks for one every 30 min while open\. Reminded Casey Comms \(communications lead\)\./,
      );
    }
    await asIm.page.locator('[data-kind="PUBLIC_UPDATE_DUE"]').scrollIntoViewIfNeeded();
    await asIm.page.screenshot({ path: `${SHOTS}/sla-cadence-room.png` });
    await asLead.ctx.close();
    await asIm.ctx.close();
  }, 120_000);

  it("the list sorted 'Due soonest' is in the server's order, live: a hold moves an incident to the end", async () => {
    const im = await t.user("INCIDENT_MANAGER", "Ida Duty");
    // P2 first (acknowledge due in 30 min), then a P4 (a business day): newest first puts the P4
    // on top, due soonest the P2.
    const p2 = await openIncident(im, { title: "Refunds delayed", impact: "HIGH", urgency: "MEDIUM" });
    const p4 = await openIncident(im, { title: "Label printer jammed", impact: "LOW", urgency: "LOW" });
    const { ctx, page } = await signIn(browser, t.url, im);
    await page.goto(`${t.url}/war-room`);
    const rows = (first: string, then: string) =>
      page.waitForFunction(
        ([a, b]) => {
          const ids = Array.from(document.querySelectorAll("[data-testid^='incident-row-']")).map(
            (r) => (r as HTMLElement).dataset.testid,
          );
          const i = ids.indexOf(`incident-row-${a}`);
          const j = ids.indexOf(`incident-row-${b}`);
          return i !== -1 && j !== -1 && i < j;
        },
        [first, then],
        { timeout: 10_000 },
      );
    await rows(p4.id, p2.id);
    await page.getByTestId("sort-incidents").selectOption("due");
    await rows(p2.id, p4.id);
    // On hold, the P2 has no clock running: it goes after the P4, live; resumed, it comes back.
    await act(im, "startWork", SIG.id, { id: p2.id, expectedVersion: 1 });
    await act(im, "holdIncident", `${SIG.id}, $reason: HoldReason!, $note: String!`, {
      id: p2.id,
      expectedVersion: 2,
      reason: "AWAITING_VENDOR",
      note: "Vendor is looking",
    });
    await rows(p4.id, p2.id);
    await act(im, "resumeIncident", SIG.id, { id: p2.id, expectedVersion: 3 });
    await rows(p2.id, p4.id);
    await ctx.close();
  }, 60_000);
});
