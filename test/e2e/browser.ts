import fs from "node:fs";
import path from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";

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
