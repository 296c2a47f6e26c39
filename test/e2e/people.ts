// Shared set-up for end-to-end tests: people created through the API, signed in through the UI.
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import type { TestBeacon, TestClient } from "../support/harness";

// Acceptable to the password policy (server/auth/password-policy.ts), unlike "password-123".
export const PASSWORD = "velvet-harbor-compass";
export type Role = "AGENT" | "RESPONDER" | "INCIDENT_MANAGER" | "ADMIN";
export type Person = TestClient & { userId: string; email: string; name: string };

let counter = 0;

/** Creates a user (through the API: set-up, not the thing under test) and signs them in. */
export async function person(t: TestBeacon, role: Role, name: string): Promise<Person> {
  counter++;
  const email = `${name.toLowerCase().replace(/\W+/g, ".")}.${counter}.${Date.now()}@e2e.local`;
  const d = await t.admin.ok<{ createUser: { id: string } }>(
    "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }",
    { i: { email, name, password: PASSWORD, role } },
  );
  const l = await t.anon.ok<{ login: { token: string } }>(
    "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
    { e: email, p: PASSWORD },
  );
  return Object.assign(t.anon.as(l.login.token), { userId: d.createUser.id, email, name });
}

export async function createService(t: TestBeacon, name: string, group?: string): Promise<string> {
  const d = await t.admin.ok<{ createService: { id: string } }>(
    "mutation($n: String!, $g: String) { createService(input: { name: $n, group: $g }) { id } }",
    { n: name, g: group ?? null },
  );
  return d.createService.id;
}

export async function createQueue(t: TestBeacon, name: string, members: Person[]): Promise<string> {
  const d = await t.admin.ok<{ createQueue: { id: string } }>(
    "mutation($n: String!, $m: [ID!]!) { createQueue(name: $n, memberIds: $m) { id } }",
    { n: name, m: members.map((p) => p.userId) },
  );
  return d.createQueue.id;
}

/** A fresh browser context signed in to the war room through the login form. */
export async function signIn(
  browser: Browser,
  baseUrl: string,
  p: Person,
): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(`${baseUrl}/war-room`);
  await page.getByLabel("Email").fill(p.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("current-user").getByText(p.name).waitFor({ timeout: 5000 });
  return { ctx, page };
}

/** The room header's state badge, once it shows `state` (e.g. "IN_PROGRESS"). */
export function roomState(page: Page, state: string): Locator {
  return page.getByTestId("room-header").locator(`[data-testid="incident-state"][data-state="${state}"]`);
}

/** Marks the document so a later check can prove the page was not reloaded. */
export async function markDocument(page: Page, value: string): Promise<void> {
  await page.evaluate((v) => {
    (window as unknown as { __e2eMarker?: string }).__e2eMarker = v;
  }, value);
}

export async function documentMarker(page: Page): Promise<string | undefined> {
  return page.evaluate(() => (window as unknown as { __e2eMarker?: string }).__e2eMarker);
}

/** Waits for the page's live indicator to reach a state ("live", "reconnecting", "offline"). */
export async function liveState(page: Page, state: string | RegExp, timeout = 5000): Promise<void> {
  const indicator = page.getByTestId("live-indicator");
  if (typeof state === "string") {
    await page.locator(`[data-testid="live-indicator"][data-state="${state}"]`).waitFor({ timeout });
    return;
  }
  await page.waitForFunction(
    (source) => {
      const el = document.querySelector('[data-testid="live-indicator"]');
      return !!el && new RegExp(source).test(el.getAttribute("data-state") ?? "");
    },
    state.source,
    { timeout },
  );
  await indicator.waitFor();
}
