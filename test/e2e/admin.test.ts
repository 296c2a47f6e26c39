// The war room's Admin page, in a real Chromium against a real server: people (added, edited,
// deactivated), escalation queues and API keys, each proven to work outside the page (sign-in,
// acknowledge rights, /graphql with the key); and changing one's own password from the header.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestBeacon, type TestBeacon, USER_PASSWORD } from "../support/harness";
import { assertWebBuilt, launchBrowser, SHOTS, signIn, WEB_DIR } from "./browser";

let t: TestBeacon;
let browser: Browser;
const people: Record<string, Person> = {};

beforeAll(async () => {
  assertWebBuilt();
  t = await startTestBeacon({ env: { BEACON_WEB_DIR: WEB_DIR } });
  people.admin = await t.user("ADMIN", "Ada Admin");
  people.responder = await t.user("RESPONDER", "Sam Responder");
  people.manager = await t.user("INCIDENT_MANAGER", "Max Manager");
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
    const { ctx, page } = await signIn(browser, t.url, people.admin!);
    await page.getByRole("navigation", { name: "War room" }).getByRole("link", { name: "Admin" }).click();
    await page.getByRole("heading", { level: 1, name: "Admin" }).waitFor();
    await page.getByTestId("people-table").getByText(people.responder!.email).waitFor();

    // People: a new responder, with the role picker.
    await page.getByRole("button", { name: "Add person" }).click();
    const userDialog = page.getByTestId("create-user-dialog");
    await userDialog.getByLabel("Name").fill("Rita Responder");
    await userDialog.getByLabel("Email").fill("rita@e2e.local");
    await userDialog.getByLabel("Initial password").fill(USER_PASSWORD);
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
    await userDialog.getByLabel("Initial password").fill(USER_PASSWORD);
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
      'mutation($p: String!) { login(email: "rita@e2e.local", password: $p) { user { role } } }',
      { p: USER_PASSWORD },
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

  it("the key table shows whom each key acts as; deactivating someone signs them out and stops their keys, reactivating lets them in again", async () => {
    const dora = await t.user("AGENT", "Dora Agent");
    const key = await t.admin.ok<{ createApiKey: { secret: string } }>(
      'mutation($u: ID) { createApiKey(name: "Dora feed", scopes: [READ], userId: $u) { secret } }',
      { u: dora.userId },
    );
    const doraKey = key.createApiKey.secret;
    expect((await withKey(doraKey, "{ me { name } }")).data?.me).toEqual({ name: "Dora Agent" });
    // Dora is signed in in her own browser.
    const doraBrowser = await signIn(browser, t.url, dora);

    const { ctx, page } = await signIn(browser, t.url, people.admin!);
    await page.goto(`${t.url}/war-room/admin`);
    const keyRow = page.getByTestId("api-key-Dora feed");
    expect(await keyRow.getByTestId("api-key-user").textContent()).toBe("Dora Agent");

    // The admin's own row offers no "Deactivate" (the server refuses it); Dora's does.
    const self = page.getByTestId(`person-${people.admin!.email}`);
    await self.getByRole("button", { name: "Edit Ada Admin" }).waitFor();
    expect(await self.getByRole("button", { name: /Deactivate/ }).count()).toBe(0);

    const row = page.getByTestId(`person-${dora.email}`);
    expect(await row.getByTestId("person-status").textContent()).toBe("Active");
    await row.getByRole("button", { name: "Deactivate Dora Agent" }).click();
    const dialog = page.getByTestId("set-active-dialog");
    await dialog.getByText(/signed out everywhere at once/).waitFor();
    expect(await dialog.textContent()).toContain('Every API key acting as them stops working ("Dora feed")');
    await page.screenshot({ path: `${SHOTS}/admin-deactivate.png` });
    await dialog.getByRole("button", { name: "Deactivate" }).click();
    await dialog.waitFor({ state: "detached" });
    await page.locator(`[data-testid="person-${dora.email}"][data-active="false"]`).waitFor();
    expect(await row.getByTestId("person-status").textContent()).toBe("Inactive");
    await page.getByTestId("people-status").getByText("Deactivated Dora Agent").waitFor();
    // Focus stays on the row's button, which now offers the way back.
    expect(
      await row
        .getByRole("button", { name: "Reactivate Dora Agent" })
        .evaluate((el) => el === document.activeElement),
    ).toBe(true);
    await keyRow.getByText("(deactivated: the key is refused)").waitFor();

    // Her existing session and her key are refused; she cannot sign in.
    const session = await dora.gql("{ queues { name } }");
    expect(session.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const viaKey = await withKey(doraKey, "{ queues { name } }");
    expect(viaKey.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(viaKey.errors?.[0]?.message).toBe("The user this API key acts for is deactivated.");
    const refusedLogin = await t.anon.gql(
      "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
      { e: dora.email, p: USER_PASSWORD },
    );
    expect(refusedLogin.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    // Her browser finds itself signed out on the next load.
    await doraBrowser.page.reload();
    await doraBrowser.page.getByTestId("login-form").waitFor();

    // Reactivated (after a confirmation): she and her key get in again.
    await row.getByRole("button", { name: "Reactivate Dora Agent" }).click();
    await dialog.getByText(/can sign in again with their current password/).waitFor();
    await dialog.getByRole("button", { name: "Reactivate" }).click();
    await dialog.waitFor({ state: "detached" });
    await page.locator(`[data-testid="person-${dora.email}"][data-active="true"]`).waitFor();
    expect(await row.getByTestId("person-status").textContent()).toBe("Active");
    expect((await withKey(doraKey, "{ me { name } }")).data?.me).toEqual({ name: "Dora Agent" });
    await signIn(browser, t.url, dora).then((d) => d.ctx.close());

    // Renamed and promoted through the edit dialog.
    await row.getByRole("button", { name: "Edit Dora Agent" }).click();
    const edit = page.getByTestId("edit-person-dialog");
    await edit.getByLabel("Name").fill("Dora Manager");
    await edit.getByLabel("Role").selectOption("INCIDENT_MANAGER");
    await edit.getByRole("button", { name: "Save changes" }).click();
    await edit.waitFor({ state: "detached" });
    await row.getByText("Dora Manager").waitFor();
    expect(await row.getByRole("cell").nth(1).textContent()).toBe("Incident manager");
    const users = await t.admin.ok<{ users: { id: string; name: string; role: string }[] }>(
      "{ users { id name role } }",
    );
    expect(users.users.find((u) => u.id === dora.userId)).toMatchObject({
      name: "Dora Manager",
      role: "INCIDENT_MANAGER",
    });

    await doraBrowser.ctx.close();
    await ctx.close();
  });

  it("the last active admin cannot be demoted: the server's refusal is shown verbatim", async () => {
    const { ctx, page } = await signIn(browser, t.url, people.admin!);
    await page.goto(`${t.url}/war-room/admin`);
    const first = await t.admin.ok<{ me: { name: string; email: string } }>("{ me { name email } }");
    const firstRow = page.getByTestId(`person-${first.me.email}`);

    // Make Ada the only active admin by demoting the first admin...
    await firstRow.getByRole("button", { name: `Edit ${first.me.name}` }).click();
    const edit = page.getByTestId("edit-person-dialog");
    await edit.getByLabel("Role").selectOption("INCIDENT_MANAGER");
    await edit.getByRole("button", { name: "Save changes" }).click();
    await edit.waitFor({ state: "detached" });
    await firstRow.getByRole("cell", { name: "Incident manager" }).waitFor();

    // ...then Ada tries to give up her own admin role.
    const self = page.getByTestId(`person-${people.admin!.email}`);
    await self.getByRole("button", { name: "Edit Ada Admin" }).click();
    await edit.getByLabel("Role").selectOption("AGENT");
    await edit.getByText(/you will no longer be an admin/).waitFor();
    await edit.getByRole("button", { name: "Save changes" }).click();
    const error = edit.getByTestId("edit-person-error");
    await error.waitFor();
    expect(await error.textContent()).toBe(
      "Ada Admin is the last active admin; make someone else an admin first.",
    );
    await page.screenshot({ path: `${SHOTS}/admin-last-admin.png` });
    await edit.getByRole("button", { name: "Back" }).click();
    await edit.waitFor({ state: "detached" });
    expect(await self.getByRole("cell").nth(1).textContent()).toBe("Admin");

    // The first admin is made an admin again (their session was never signed out).
    await firstRow.getByRole("button", { name: `Edit ${first.me.name}` }).click();
    await edit.getByLabel("Role").selectOption("ADMIN");
    await edit.getByRole("button", { name: "Save changes" }).click();
    await edit.waitFor({ state: "detached" });
    await firstRow.getByRole("cell", { name: "Admin", exact: true }).waitFor();
    expect((await t.admin.ok<{ me: { role: string } }>("{ me { role } }")).me.role).toBe("ADMIN");
    await ctx.close();
  });

  it("anyone changes their own password: other sessions are signed out, the old password stops working", async () => {
    const pat = await t.user("RESPONDER", "Pat Responder");
    const NEW_PASSWORD = "new-password-456";
    const { ctx, page } = await signIn(browser, t.url, pat);

    await page.getByRole("button", { name: "Change password" }).click();
    const dialog = page.getByTestId("change-password-dialog");
    await dialog.getByLabel("Current password").fill(USER_PASSWORD);
    await dialog.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
    await dialog.getByLabel("Confirm new password").fill("something-else");
    await dialog.getByRole("button", { name: "Change password" }).click();
    const error = dialog.getByTestId("change-password-error");
    await error.getByText(/differ/).waitFor();

    // A wrong current password: the server's words.
    await dialog.getByLabel("Current password").fill("not-my-password");
    await dialog.getByLabel("Confirm new password").fill(NEW_PASSWORD);
    await dialog.getByRole("button", { name: "Change password" }).click();
    await error.getByText("The current password is not right; nothing was changed.").waitFor();

    await dialog.getByLabel("Current password").fill(USER_PASSWORD);
    await dialog.getByRole("button", { name: "Change password" }).click();
    await dialog
      .getByTestId("change-password-done")
      .getByText(/Your password is changed/)
      .waitFor();
    await page.screenshot({ path: `${SHOTS}/change-password.png` });
    await dialog.getByRole("button", { name: "Done" }).click();
    await dialog.waitFor({ state: "detached" });

    // This session stays signed in; the other one (made by the test set-up) is signed out.
    await page.reload();
    await page.getByTestId("current-user").getByText(pat.name).waitFor();
    const other = await pat.gql("{ queues { name } }");
    expect(other.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");

    // On the sign-in form, the old password fails and the new one works.
    await page.getByRole("button", { name: "Sign out" }).click();
    const form = page.getByTestId("login-form");
    await form.getByLabel("Email").fill(pat.email);
    await form.getByLabel("Password").fill(USER_PASSWORD);
    await form.getByRole("button", { name: "Sign in" }).click();
    await form.getByTestId("login-error").getByText("Email or password is incorrect.").waitFor();
    await form.getByLabel("Password").fill(NEW_PASSWORD);
    await form.getByRole("button", { name: "Sign in" }).click();
    await page.getByTestId("current-user").getByText(pat.name).waitFor();
    await ctx.close();
  });

  it("an incident manager manages the queues, and sees neither people nor API keys", async () => {
    const { ctx, page } = await signIn(browser, t.url, people.manager!);
    await page.getByRole("navigation", { name: "War room" }).getByRole("link", { name: "Admin" }).click();
    await page.getByRole("heading", { level: 1, name: "Admin" }).waitFor();
    await page.getByTestId("admin-queues").waitFor();
    expect(await page.getByTestId("admin-people").count()).toBe(0);
    expect(await page.getByTestId("admin-api-keys").count()).toBe(0);
    expect(await page.getByRole("button", { name: "Add person" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "New API key" }).count()).toBe(0);

    // Create a queue, add and remove a member: everything the server allows them.
    await page.getByRole("button", { name: "New queue" }).click();
    const queueDialog = page.getByTestId("create-queue-dialog");
    await queueDialog.getByLabel("Name").fill("Network on-call");
    await queueDialog.getByRole("checkbox", { name: "Sam Responder" }).check();
    await queueDialog.getByRole("button", { name: "Create queue" }).click();
    await queueDialog.waitFor({ state: "detached" });
    const queue = page.getByTestId("queue-Network on-call");
    await queue.getByTestId("queue-member-Sam Responder").waitFor();
    await queue
      .getByLabel("Add a member to Network on-call")
      .selectOption({ label: "Max Manager (incident manager)" });
    await queue.getByRole("button", { name: "Add" }).click();
    await queue.getByTestId("queue-member-Max Manager").waitFor();
    await queue.getByRole("button", { name: "Remove Sam Responder from Network on-call" }).click();
    await queue.getByTestId("queue-member-Sam Responder").waitFor({ state: "detached" });
    expect(await queue.getByTestId("queue-error").count()).toBe(0);
    const queues = await t.admin.ok<{ queues: { name: string; members: { name: string }[] }[] }>(
      "{ queues { name members { name } } }",
    );
    expect(queues.queues.find((q) => q.name === "Network on-call")?.members.map((m) => m.name)).toEqual([
      "Max Manager",
    ]);
    await page.screenshot({ path: `${SHOTS}/admin-incident-manager.png`, fullPage: true });
    await ctx.close();
  });

  it("an agent has no Admin link and is told whom the page is for", async () => {
    const agent = await t.user("AGENT", "Alex Agent");
    const { ctx, page } = await signIn(browser, t.url, agent);
    expect(
      await page.getByRole("navigation", { name: "War room" }).getByRole("link", { name: "Admin" }).count(),
    ).toBe(0);
    await page.goto(`${t.url}/war-room/admin`);
    await page.getByTestId("only-admins").getByText("Only admins").waitFor();
    expect(await page.getByRole("button", { name: "Add person" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "New queue" }).count()).toBe(0);
    await ctx.close();
  });
});
