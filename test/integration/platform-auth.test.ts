import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticate } from "../../server/auth/auth.service";
import { whileCredentialValid } from "../../server/auth/guard";
import { ManualClock } from "../../server/kernel/clock";
import type { BeaconContext } from "../../server/kernel/context";
import { ADMIN, startTestBeacon, type TestBeacon, USER_PASSWORD } from "../support/harness";
import { itemAt } from "../support/item-at";

const LOGIN =
  "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token user { email role } } }";
const ME = "{ me { email role } }";

let t: TestBeacon;
const clock = new ManualClock(new Date("2026-03-02T09:00:00Z"));
beforeAll(async () => {
  t = await startTestBeacon({ clock });
});
afterAll(() => t?.stop());

describe("authentication", () => {
  it("logs in with a bearer token and says nothing about which part was wrong", async () => {
    const ok = await t.anon.ok<{ login: { token: string; user: { role: string } } }>(LOGIN, {
      e: ADMIN.email.toUpperCase(),
      p: ADMIN.password,
    });
    expect(ok.login.user.role).toBe("ADMIN");
    expect(ok.login.token).toMatch(/^bt_/);
    const wrongPassword = await t.anon.fails(LOGIN, { e: ADMIN.email, p: "wrong-password" });
    const unknownUser = await t.anon.fails(LOGIN, { e: "nobody@test.local", p: ADMIN.password });
    expect(wrongPassword.code).toBe("UNAUTHENTICATED");
    expect(unknownUser).toEqual(wrongPassword);
  });

  it("stores passwords with a real KDF, never in the clear", async () => {
    const rows = await t.started.beacon.db.query("SELECT password_hash FROM app_user WHERE email = $1", [
      ADMIN.email,
    ]);
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
    expect(rows[0].password_hash).not.toContain(ADMIN.password);
  });

  it("answers me for a session and null for anonymous; tokens expire and can be revoked", async () => {
    expect((await t.admin.ok<{ me: { role: string } }>(ME)).me.role).toBe("ADMIN");
    expect((await t.anon.ok<{ me: null }>(ME)).me).toBeNull();
    const d = await t.anon.ok<{ login: { token: string } }>(LOGIN, { e: ADMIN.email, p: ADMIN.password });
    const c = t.anon.as(d.login.token);
    expect((await c.ok<{ me: { role: string } }>(ME)).me.role).toBe("ADMIN");
    clock.advance(13 * 3600_000);
    const expired = await c.fails("{ users { id } }");
    expect(expired.code).toBe("UNAUTHENTICATED");
    expect(expired.message).toMatch(/expired/);
    clock.advance(-13 * 3600_000);
    expect(await c.ok<{ logout: boolean }>("mutation { logout }")).toEqual({ logout: true });
    expect((await c.fails("{ users { id } }")).code).toBe("UNAUTHENTICATED");
  });

  it("lets only admins create users, and validates them", async () => {
    const CREATE = "mutation($i: CreateUserInput!) { createUser(input: $i) { id email role } }";
    const input = {
      email: "New.Agent@Test.local",
      name: "New Agent",
      password: "a-long-enough-phrase",
      role: "AGENT",
    };
    const made = await t.admin.ok<{ createUser: { email: string } }>(CREATE, { i: input });
    expect(made.createUser.email).toBe("new.agent@test.local");
    expect((await t.admin.fails(CREATE, { i: input })).message).toMatch(/already exists/);
    expect(
      (await t.admin.fails(CREATE, { i: { ...input, email: "x@y.local", password: "short" } })).message,
    ).toMatch(/at least 8/);
    expect((await t.admin.fails(CREATE, { i: { ...input, email: "not-an-email" } })).code).toBe(
      "BAD_USER_INPUT",
    );
    const agent = await t.user("AGENT");
    expect((await agent.fails(CREATE, { i: { ...input, email: "z@y.local" } })).code).toBe("FORBIDDEN");
    expect((await t.anon.fails(CREATE, { i: { ...input, email: "z@y.local" } })).code).toBe(
      "UNAUTHENTICATED",
    );
  });

  it("issues scoped API keys for partners: secret shown once, stored hashed, revocable", async () => {
    const MAKE =
      "mutation($n: String!, $s: [ApiScope!]!) { createApiKey(name: $n, scopes: $s) { secret apiKey { id prefix scopes } } }";
    const rw = await t.admin.ok<{ createApiKey: { secret: string; apiKey: { id: string } } }>(MAKE, {
      n: "Partner RW",
      s: ["READ", "WRITE"],
    });
    const ro = await t.admin.ok<{ createApiKey: { secret: string; apiKey: { id: string } } }>(MAKE, {
      n: "Partner RO",
      s: ["READ"],
    });
    const rows = await t.started.beacon.db.query("SELECT secret_hash FROM api_key");
    for (const r of rows) expect(rw.createApiKey.secret).not.toContain(r.secret_hash);

    const rwClient = t.anon.as(rw.createApiKey.secret);
    const roClient = t.anon.as(ro.createApiKey.secret);
    const CREATE = "mutation($i: CreateServiceInput!) { createService(input: $i) { slug } }";
    expect(await rwClient.ok(CREATE, { i: { name: "Via key" } })).toEqual({
      createService: { slug: "via-key" },
    });
    expect((await roClient.ok<{ users: unknown[] }>("{ users { id } }")).users.length).toBeGreaterThan(0);
    const denied = await roClient.fails(CREATE, { i: { name: "Denied" } });
    expect(denied.code).toBe("FORBIDDEN");
    expect(denied.message).toMatch(/WRITE scope/);

    await t.admin.ok("mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }", {
      id: rw.createApiKey.apiKey.id,
    });
    const revoked = await rwClient.fails("{ users { id } }");
    expect(revoked.code).toBe("UNAUTHENTICATED");
    expect(revoked.message).toMatch(/revoked/);
    expect((await t.anon.as("bk_forged_secret").fails("{ users { id } }")).code).toBe("UNAUTHENTICATED");
  });

  it("applies the same auth on WebSocket connectionParams", async () => {
    const anonWs = t.anon.subscribe<{ me: null }>(ME);
    const adminWs = t.admin.subscribe<{ me: { role: string } }>(ME);
    expect(itemAt(await anonWs.waitFor(1), 0).me).toBeNull();
    expect(itemAt(await adminWs.waitFor(1), 0).me.role).toBe("ADMIN");
    await Promise.all([anonWs.close(), adminWs.close()]);
    const denied = t.anon.subscribe("{ users { id } }");
    await denied.settle(500);
    expect(JSON.stringify(denied.errors)).toMatch(/UNAUTHENTICATED/);
    await denied.close();
  });

  it("lets people change their own password and signs out their other sessions", async () => {
    const CHANGE =
      "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }";
    const person = await t.user("AGENT", "Pat Password");
    const email = (await person.ok<{ me: { email: string } }>(ME)).me.email;
    const other = await t.anon.ok<{ login: { token: string } }>(LOGIN, { e: email, p: USER_PASSWORD });
    const wrong = await person.fails(CHANGE, { c: "not-my-password", n: "a-new-password" });
    expect(wrong).toMatchObject({
      code: "BAD_USER_INPUT",
      message: expect.stringMatching(/current password is not right/),
    });
    expect((await person.fails(CHANGE, { c: USER_PASSWORD, n: "short" })).message).toMatch(/at least 8/);
    expect(await person.ok(CHANGE, { c: USER_PASSWORD, n: "a-new-password" })).toEqual({
      changePassword: true,
    });
    expect((await person.ok<{ me: { email: string } }>(ME)).me.email).toBe(email); // this session stays
    expect((await t.anon.as(other.login.token).fails("{ users { id } }")).code).toBe("UNAUTHENTICATED");
    expect((await t.anon.fails(LOGIN, { e: email, p: USER_PASSWORD })).code).toBe("UNAUTHENTICATED");
    expect(
      (await t.anon.ok<{ login: { token: string } }>(LOGIN, { e: email, p: "a-new-password" })).login.token,
    ).toMatch(/^bt_/);
  });

  it("slows down password guessing per email (more in sign-in-throttle.test.ts)", async () => {
    const person = await t.user("AGENT", "Guessed At");
    const email = (await person.ok<{ me: { email: string } }>(ME)).me.email;
    for (let i = 0; i < 10; i++) {
      expect((await t.anon.fails(LOGIN, { e: email, p: `guess-${i}` })).message).toBe(
        "Email or password is incorrect.",
      );
    }
    const blocked = await t.anon.fails(LOGIN, { e: email, p: USER_PASSWORD });
    expect(blocked.code).toBe("RATE_LIMITED");
    expect(blocked.message).toMatch(/Too many failed sign-ins for this email from your network address/);
    // Others are not affected.
    expect(
      (await t.anon.ok<{ login: { token: string } }>(LOGIN, { e: ADMIN.email, p: ADMIN.password })).login
        .token,
    ).toBeTruthy();
  });

  it("ends a live subscription once its session is signed out", async () => {
    const d = await t.anon.ok<{ login: { token: string } }>(LOGIN, { e: ADMIN.email, p: ADMIN.password });
    const beacon = t.started.beacon;
    const { principal } = await authenticate(beacon, `Bearer ${d.login.token}`);
    const ctx: BeaconContext = { beacon, principal, authProblem: null };
    const live = whileCredentialValid(
      ctx,
      beacon.hub.subscribe(() => true, null),
      50,
    );
    const pending = live.next();
    await t.anon.as(d.login.token).ok("mutation { logout }");
    await expect(pending).rejects.toMatchObject({ extensions: { code: "UNAUTHENTICATED" } });
    await expect(pending).rejects.toThrow(/session has ended/);
  });

  it("lets admins rename, re-role and deactivate people, never the last admin", async () => {
    const UPDATE =
      "mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { name role active } }";
    const person = await t.user("RESPONDER", "Rene Role");
    const key = await t.admin.ok<{ createApiKey: { secret: string; apiKey: { user: { id: string } } } }>(
      'mutation($u: ID) { createApiKey(name: "Rene\'s bot", scopes: [READ], userId: $u) { secret apiKey { user { id } } } }',
      { u: person.userId },
    );
    expect(key.createApiKey.apiKey.user.id).toBe(person.userId);
    expect(
      await t.admin.ok(UPDATE, { id: person.userId, i: { name: "Rene Roll", role: "INCIDENT_MANAGER" } }),
    ).toEqual({
      updateUser: { name: "Rene Roll", role: "INCIDENT_MANAGER", active: true },
    });
    expect((await person.fails(UPDATE, { id: person.userId, i: { role: "ADMIN" } })).code).toBe("FORBIDDEN");

    await t.admin.ok(UPDATE, { id: person.userId, i: { active: false } });
    expect((await person.fails("{ users { id } }")).code).toBe("UNAUTHENTICATED");
    expect((await t.anon.as(key.createApiKey.secret).fails("{ users { id } }")).code).toBe("UNAUTHENTICATED");
    const all = await t.admin.ok<{ users: { name: string; active: boolean }[] }>(
      "{ users(includeInactive: true) { name active } }",
    );
    expect(all.users).toContainEqual({ name: "Rene Roll", active: false });
    const activeOnly = await t.admin.ok<{ users: { name: string }[] }>("{ users { name } }");
    expect(activeOnly.users.map((u) => u.name)).not.toContain("Rene Roll");

    expect((await person.fails("{ users(includeInactive: true) { id } }")).code).toBe("UNAUTHENTICATED");
    const agent = await t.user("AGENT", "Ann Agent");
    expect((await agent.fails("{ users(includeInactive: true) { id } }")).code).toBe("FORBIDDEN");

    // An admin can set a forgotten password; it signs the person out everywhere.
    const SET = "mutation($id: ID!, $p: String!) { setUserPassword(id: $id, password: $p) }";
    const agentEmail = (await agent.ok<{ me: { email: string } }>(ME)).me.email;
    expect((await agent.fails(SET, { id: agent.userId, p: "another-password" })).code).toBe("FORBIDDEN");
    expect(await t.admin.ok(SET, { id: agent.userId, p: "another-password" })).toEqual({
      setUserPassword: true,
    });
    expect((await agent.fails("{ users { id } }")).code).toBe("UNAUTHENTICATED");
    expect(
      (await t.anon.ok<{ login: { token: string } }>(LOGIN, { e: agentEmail, p: "another-password" })).login
        .token,
    ).toBeTruthy();

    const me = await t.admin.ok<{ me: { id: string } }>("{ me { id } }");
    const lastAdmin = await t.admin.fails(UPDATE, { id: me.me.id, i: { role: "AGENT" } });
    expect(lastAdmin).toMatchObject({
      code: "REQUIREMENT_NOT_MET",
      message: expect.stringMatching(/last active admin/),
    });
    expect(
      (await t.admin.fails(UPDATE, { id: "00000000-0000-4000-8000-000000000000", i: { name: "X" } })).code,
    ).toBe("NOT_FOUND");
  });

  it("never sends stack traces to clients", async () => {
    const r = await t.anon.gql("{ nope }");
    expect(r.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(JSON.stringify(r)).not.toMatch(/stacktrace|at \w+ \(/);
  });
});
