// The war room's Maintenance page in a real Chromium: an incident manager schedules a window (and is
// warned that it overlaps an open incident on the same service), posts an update, and cancels it with
// a reason; each step is checked outside the page, through the public API.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestBeacon, type TestBeacon } from "../support/harness";
import { createService } from "../support/incidents";
import { expectAccessible } from "./axe";
import { assertWebBuilt, launchBrowser, SHOTS, signIn, WEB_DIR } from "./browser";

let t: TestBeacon;
let browser: Browser;
let manager: Person;
let apiId: string;

beforeAll(async () => {
  assertWebBuilt();
  t = await startTestBeacon({ env: { BEACON_WEB_DIR: WEB_DIR } });
  manager = await t.user("INCIDENT_MANAGER", "Mia Manager");
  apiId = await createService(t.admin, "Checkout API");
  await createService(t.admin, "Website");
  await t.admin.ok("mutation($i: OpenIncidentInput!) { openIncident(input: $i) { id } }", {
    i: {
      title: "Checkout errors",
      description: "500s",
      impact: "MEDIUM",
      urgency: "MEDIUM",
      serviceIds: [apiId],
    },
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

type W = {
  id: string;
  title: string;
  state: string;
  scheduledStart: string;
  scheduledEnd: string;
  updates: { message: string }[];
};
const windows = async () =>
  (
    await t.anon.ok<{ maintenances: W[] }>(
      "{ maintenances { id title state scheduledStart scheduledEnd updates { message } } }",
    )
  ).maintenances;

describe("war room Maintenance page", () => {
  it("a manager schedules a window (warned of the open incident), posts an update and cancels it", async () => {
    const { ctx, page } = await signIn(browser, t.url, manager);
    await page
      .getByRole("navigation", { name: "War room" })
      .getByRole("link", { name: "Maintenance" })
      .click();
    await page.getByRole("heading", { level: 1, name: "Maintenance" }).waitFor();
    await page.getByTestId("maintenance-calendar").waitFor();

    await page.getByRole("button", { name: "Schedule maintenance" }).click();
    const dialog = page.getByTestId("schedule-maintenance-dialog");
    await dialog.getByLabel("Title").fill("Payment gateway upgrade");
    await dialog.getByLabel("Public description (optional)").fill("Card payments pause briefly.");
    await dialog.getByLabel("Checkout API").check();
    // Warned, not refused: an open incident on the same service.
    await dialog
      .getByTestId("maintenance-overlaps")
      .getByText(/Checkout errors/)
      .waitFor();
    const start = await dialog.getByLabel("Start").inputValue();
    await dialog.getByRole("button", { name: "Schedule" }).click();
    await dialog.waitFor({ state: "detached" });

    const [scheduled] = await windows();
    expect(scheduled).toMatchObject({ title: "Payment gateway upgrade", state: "SCHEDULED" });
    // Entered in the browser's zone, stored as the same instant.
    expect(new Date(scheduled!.scheduledStart).getTime()).toBe(new Date(start).getTime());
    const row = page.getByTestId(`war-maintenance-${scheduled!.id}`);
    await page.getByTestId("maintenance-upcoming").getByTestId(`war-maintenance-${scheduled!.id}`).waitFor();
    await page.getByTestId("maintenance-calendar").getByText("Payment gateway upgrade").first().waitFor();
    await page.screenshot({ path: `${SHOTS}/war-room-maintenance.png`, fullPage: true });
    await expectAccessible(page, "war-room maintenance");

    await row.getByRole("button", { name: "Post update" }).click();
    const update = page.getByTestId("maintenance-update-dialog");
    await update.getByLabel("Update (public)").fill("Still on for tonight.");
    await update.getByRole("button", { name: "Post update" }).click();
    await update.waitFor({ state: "detached" });
    await row.getByText(/Still on for tonight\./).waitFor();

    await row.getByRole("button", { name: "Cancel…" }).click();
    const cancel = page.getByTestId("cancel-maintenance-dialog");
    await cancel.getByLabel("Reason (public)").fill("Vendor postponed the upgrade.");
    await cancel.getByRole("button", { name: "Cancel the window" }).click();
    await cancel.waitFor({ state: "detached" });
    await page.getByTestId("maintenance-past").getByTestId(`war-maintenance-${scheduled!.id}`).waitFor();

    const [after] = await windows();
    expect(after!.state).toBe("CANCELED");
    expect(after!.updates.map((u) => u.message).join(" ")).toContain("Vendor postponed the upgrade.");
    await ctx.close();
  });
});
