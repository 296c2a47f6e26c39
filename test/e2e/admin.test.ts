// The war room's Admin page, in a real Chromium against a real server: people, escalation queues and
// API keys, each proven to work outside the page (sign-in, acknowledge rights, /graphql with the key).
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestBeacon, type TestBeacon } from "../support/harness";
import { assertWebBuilt, launchBrowser, SHOTS, WEB_DIR } from "./browser";
import { PASSWORD, type Person, person, signIn } from "./people";

let t: TestBeacon;
let browser: Browser;
const people: Record<string, Person> = {};

beforeAll(async () => {
  assertWebBuilt();
  t = await startTestBeacon({ env: { BEACON_WEB_DIR: WEB_DIR } });
  people.admin = await person(t, "ADMIN", "Ada Admin");
  people.responder = await person(t, "RESPONDER", "Sam Responder");
  people.manager = await person(t, "INCIDENT_MANAGER", "Max Manager");
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

async function withKey(secret: string, query: string) {
  const res = await fetch(`${t.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
}

describe("Admin page", () => {
  it("an admin creates a person, a queue with them, and an API key that works once shown and stops when revoked", async () => {
    const { ctx, page } = await signIn(browser, t.url, people.admin);
    await page.getByRole("navigation", { name: "War room" }).getByRole("link", { name: "Admin" }).click();
    await page.getByRole("heading", { level: 1, name: "Admin" }).waitFor();
    await page.getByTestId("people-table").getByText(people.responder.email).waitFor();

    // People: a new responder, with the role picker.
    await page.getByRole("button", { name: "Add person" }).click();
    const userDialog = page.getByTestId("create-user-dialog");
    await userDialog.getByLabel("Name").fill("Rita Responder");
    await userDialog.getByLabel("Email").fill("rita@e2e.local");
    await userDialog.getByLabel("Initial password").fill(PASSWORD);
    await userDialog.getByLabel("Role").selectOption("RESPONDER");
    await userDialog.getByText(/acknowledges their queue's incidents/).waitFor();
    await userDialog.getByRole("button", { name: "Add person" }).click();
    await userDialog.waitFor({ state: "detached" });
    const rita = page.getByTestId("person-rita@e2e.local");
    await rita.getByText("Rita Responder").waitFor();
    expect(await rita.getByRole("cell").nth(1).textContent()).toBe("Responder");
    await page.getByTestId("people-status").getByText("Added Rita Responder").waitFor();

    // A refused person (same email again) shows the server's message as it is.
    await page.getByRole("button", { name: "Add person" }).click();
    await userDialog.getByLabel("Name").fill("Rita Again");
    await userDialog.getByLabel("Email").fill("rita@e2e.local");
    await userDialog.getByLabel("Initial password").fill(PASSWORD);
    await userDialog.getByRole("button", { name: "Add person" }).click();
    const userError = userDialog.getByTestId("create-user-error");
    await userError.waitFor();
    expect(await userError.textContent()).toBe(
      "A user with email rita@e2e.local already exists; pick another email.",
    );
    await userDialog.getByRole("button", { name: "Back" }).click();
    await userDialog.waitFor({ state: "detached" });

    // The new person can sign in.
    const login = await t.anon.gql<{ login: { user: { role: string } } }>(
      'mutation { login(email: "rita@e2e.local", password: "password-123") { user { role } } }',
    );
    expect(login.data?.login.user.role).toBe("RESPONDER");

    // Queues: a new one with Rita, then Sam added and removed again.
    await page.getByRole("button", { name: "New queue" }).click();
    const queueDialog = page.getByTestId("create-queue-dialog");
    await queueDialog.getByLabel("Name").fill("Database on-call");
    await queueDialog.getByRole("checkbox", { name: "Rita Responder" }).check();
    await queueDialog.getByRole("button", { name: "Create queue" }).click();
    await queueDialog.waitFor({ state: "detached" });
    const queue = page.getByTestId("queue-Database on-call");
    await queue.getByTestId("queue-member-Rita Responder").waitFor();

    await queue
      .getByLabel("Add a member to Database on-call")
      .selectOption({ label: "Sam Responder (responder)" });
    await queue.getByRole("button", { name: "Add" }).click();
    await queue.getByTestId("queue-member-Sam Responder").waitFor();
    await queue.getByRole("button", { name: "Remove Sam Responder from Database on-call" }).click();
    await queue.getByTestId("queue-member-Sam Responder").waitFor({ state: "detached" });
    // Keyboard focus stays in the queue after the removed member's button went away.
    expect(
      await queue
        .getByLabel("Add a member to Database on-call")
        .evaluate((el) => el === document.activeElement),
    ).toBe(true);
    const queues = await t.admin.ok<{ queues: { name: string; members: { name: string }[] }[] }>(
      "{ queues { name members { name } } }",
    );
    expect(queues.queues.find((q) => q.name === "Database on-call")?.members.map((m) => m.name)).toEqual([
      "Rita Responder",
    ]);

    // A taken queue name is refused with the server's words.
    await page.getByRole("button", { name: "New queue" }).click();
    await queueDialog.getByLabel("Name").fill("Database on-call");
    await queueDialog.getByRole("button", { name: "Create queue" }).click();
    await queueDialog
      .getByTestId("create-queue-error")
      .getByText(/already exists/)
      .waitFor();
    await page.keyboard.press("Escape");
    await queueDialog.waitFor({ state: "detached" });

    // API keys: the secret is shown once, with a warning, in a box to copy from.
    await page.getByRole("button", { name: "New API key" }).click();
    const keyDialog = page.getByTestId("create-api-key-dialog");
    await keyDialog.getByLabel("Name").fill("Uptime monitor");
    await keyDialog.getByRole("checkbox", { name: /^Read/ }).waitFor();
    expect(await keyDialog.getByRole("checkbox", { name: /^Read/ }).isChecked()).toBe(true);
    await keyDialog.getByLabel("Acts as").selectOption({ label: "Max Manager" });
    await keyDialog.getByRole("button", { name: "Create key" }).click();
    const created = page.getByTestId("api-key-created-dialog");
    await created.getByText("Copy this secret now: it is shown only once.").waitFor();
    const box = created.getByTestId("api-key-secret");
    const secret = await box.inputValue();
    expect(secret).toMatch(/^bk_[A-Za-z0-9]+_\S+$/);
    expect(await box.getAttribute("readonly")).not.toBeNull();
    // Focused and selected, ready to copy.
    expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
    await created.getByRole("button", { name: "Copy" }).click();
    await created
      .getByTestId("copy-status")
      .getByText(/Copied|Could not copy/)
      .waitFor();
    await page.screenshot({ path: `${SHOTS}/admin-api-key-secret.png` });
    await created.getByRole("button", { name: "I have stored it" }).click();
    await created.waitFor({ state: "detached" });

    // Once gone, it is not on the page any more; the list shows only its prefix.
    const row = page.getByTestId("api-key-Uptime monitor");
    await row.getByText("Active").waitFor();
    expect(await page.content()).not.toContain(secret);
    expect(await row.textContent()).toContain(secret.split("_").slice(0, 2).join("_"));

    // The key works against /graphql, as the person it acts for, narrowed to READ.
    const me = await withKey(secret, "{ me { name role } queues { name } }");
    expect(me.errors).toBeUndefined();
    expect(me.data?.me).toEqual({ name: "Max Manager", role: "INCIDENT_MANAGER" });
    expect(me.data?.queues).toEqual([{ name: "Database on-call" }]);
    const write = await withKey(secret, 'mutation { createQueue(name: "Nope", memberIds: []) { id } }');
    expect(write.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

    await page.screenshot({ path: `${SHOTS}/admin-page.png`, fullPage: true });

    // Revoked (after a confirmation), then refused.
    await row.getByRole("button", { name: "Revoke Uptime monitor" }).click();
    const revoke = page.getByTestId("revoke-api-key-dialog");
    await revoke.getByRole("button", { name: "Revoke key" }).click();
    await revoke.waitFor({ state: "detached" });
    await page
      .locator('[data-testid="api-key-Uptime monitor"][data-revoked="true"]')
      .getByText("Revoked")
      .waitFor();
    expect(await row.getByRole("button", { name: "Revoke Uptime monitor" }).count()).toBe(0);
    expect((await withKey(secret, "{ me { name } }")).data?.me).toBeNull();
    const refused = await withKey(secret, "{ queues { name } }");
    expect(refused.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(refused.errors?.[0]?.message).toMatch(/unknown or revoked/);

    await ctx.close();
  });

  it("an incident manager has no Admin link and is told the page is for admins", async () => {
    const { ctx, page } = await signIn(browser, t.url, people.manager);
    expect(
      await page.getByRole("navigation", { name: "War room" }).getByRole("link", { name: "Admin" }).count(),
    ).toBe(0);
    await page.goto(`${t.url}/war-room/admin`);
    await page.getByTestId("only-admins").getByText("Only admins").waitFor();
    expect(await page.getByRole("button", { name: "Add person" }).count()).toBe(0);
    await ctx.close();
  });
});
