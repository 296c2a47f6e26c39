import fs from "node:fs";
import path from "node:path";
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from "playwright-core";
import { type Person, USER_PASSWORD } from "../support/harness";

/** Debian's Chromium, driven by playwright-core (no browser download). */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(
    Boolean,
  ) as string[];
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) {
    throw new Error(
      "Chromium not found: install it (apt-get install chromium) or set CHROMIUM_PATH. `npm test` does this for you.",
    );
  }
  return found;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    // No sandbox as root; no background networking (this machine has no internet and would be flooded).
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}

export const WEB_DIR = path.resolve("web/dist");

export function assertWebBuilt(): void {
  if (!fs.existsSync(path.join(WEB_DIR, "index.html"))) {
    throw new Error("web/dist is missing: run `npm run build:web` first (npm test does).");
  }
}

/** Screenshots land here for people to look at; not committed. */
export const SHOTS = path.resolve("test-results/screenshots");
fs.mkdirSync(SHOTS, { recursive: true });

/**
 * Clicks a room action wherever the action bar puts it for the current stage: a button of its own,
 * or an item of the "More" menu (which is opened first, as a person would).
 */
export async function clickAction(page: Page, command: string): Promise<void> {
  const action = page.getByTestId(`action-${command}`);
  await action.waitFor({ state: "attached", timeout: 10_000 });
  if ((await action.getAttribute("role")) === "menuitem") {
    const more = page.getByTestId("actions-more");
    if ((await more.getAttribute("aria-expanded")) !== "true") await more.click();
  }
  await action.click();
}

/** A fresh browser context signed in to the war room through the login form. */
export async function signIn(
  browser: Browser,
  baseUrl: string,
  p: Person,
): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const page = await ctx.newPage();
  await signInWith(page, baseUrl, p);
  return { ctx, page };
}

/** Signs `p` in through the war room's login form, in a page that already exists. */
export async function signInWith(page: Page, baseUrl: string, p: Person): Promise<void> {
  await page.goto(`${baseUrl}/war-room`);
  await page.getByLabel("Email").fill(p.email);
  await page.getByLabel("Password").fill(USER_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("current-user").getByText(p.name).waitFor({ timeout: 10_000 });
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
export async function liveState(page: Page, state: string | RegExp, timeout = 10_000): Promise<void> {
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
