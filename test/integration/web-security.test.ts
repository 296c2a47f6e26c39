import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createClient } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { authenticate } from "../../server/auth/auth.service";
import { whileCredentialValid } from "../../server/auth/guard";
import { ManualClock } from "../../server/kernel/clock";
import type { BeaconContext } from "../../server/kernel/context";
import { ADMIN, startTestBeacon, type TestBeacon } from "../support/harness";
import { itemAt } from "../support/item-at";

// Browser-facing security (docs/security.md): headers, no source maps, the session cookie with its
// CSRF rule over HTTP and WebSocket, the password policy, and the idle timeout (manual clock).

const clock = new ManualClock(new Date("2026-03-02T09:00:00Z"));
let t: TestBeacon;
let webDir: string;

beforeAll(async () => {
  webDir = fs.mkdtempSync(path.join(os.tmpdir(), "beacon-web-"));
  fs.writeFileSync(
    path.join(webDir, "index.html"),
    '<!doctype html><html><head><title>Beacon</title><script type="module" crossorigin src="/assets/app.js"></script></head><body><div id="root"></div></body></html>',
  );
  fs.mkdirSync(path.join(webDir, "assets"));
  fs.writeFileSync(path.join(webDir, "assets", "app.js"), "console.log('app')\n");
  fs.writeFileSync(path.join(webDir, "assets", "app.js.map"), '{"version":3,"sources":["secret.ts"]}');
  // Sessions outlive the clock jumps below unless the idle timeout is what is tested.
  t = await startTestBeacon({ clock, env: { BEACON_WEB_DIR: webDir, BEACON_SESSION_TTL_HOURS: "48" } });
});
afterAll(async () => {
  await t?.stop();
  fs.rmSync(webDir, { recursive: true, force: true });
});

const LOGIN = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token expiresAt } }";

async function post(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${t.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

/** Signs in over HTTP as a browser would and returns the Cookie header to send back. */
async function browserLogin(email = ADMIN.email, password = ADMIN.password) {
  const res = await post({ query: LOGIN, variables: { e: email, p: password } });
  const setCookie = res.headers.getSetCookie();
  expect(setCookie).toHaveLength(1);
  const token = ((await res.json()) as { data: { login: { token: string } } }).data.login.token;
  return { setCookie: itemAt(setCookie, 0), cookie: itemAt(itemAt(setCookie, 0).split(";"), 0), token };
}

const CSRF = { "x-beacon-csrf": "1" };

describe("browser security headers", () => {
  it.each([
    "/",
    "/war-room",
    "/war-room/incidents/00000000-0000-4000-8000-000000000000",
    "/api/v2/summary.json",
    "/healthz",
  ])("%s carries a strict CSP, no framing, nosniff and no referrer", async (route) => {
    const res = await fetch(`${t.url}${route}`);
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy") ?? "";
    const directives = new Map(
      csp.split(";").map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name!, values] as const;
      }),
    );
    expect(directives.get("default-src")).toEqual(["'self'"]);
    expect(directives.get("script-src")).toEqual(["'self'"]);
    expect(directives.get("script-src-attr")).toEqual(["'none'"]);
    // 'self' plus the hash of the mail-link pages' one fixed stylesheet; nothing else inline.
    expect(directives.get("style-src")).toEqual(["'self'", expect.stringMatching(/^'sha256-[\w+/]+=*'$/)]);
    expect(directives.get("object-src")).toEqual(["'none'"]);
    expect(directives.get("frame-ancestors")).toEqual(["'none'"]);
    const host = new URL(t.url).host;
    expect(directives.get("connect-src")).toEqual(["'self'", `ws://${host}`, `wss://${host}`]);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|upgrade-insecure-requests/);
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    // Served over plain http: HSTS would mean nothing.
    expect(res.headers.get("strict-transport-security")).toBeNull();
  });

  it("a forged Host header cannot add sources to the policy", async () => {
    const http = await import("node:http");
    const csp = await new Promise<string>((resolve, reject) => {
      const req = http.request(`${t.url}/`, { headers: { host: "evil.example; script-src *" } }, (res) => {
        res.resume();
        resolve(String(res.headers["content-security-policy"]));
      });
      req.on("error", reject);
      req.end();
    });
    expect(csp).toMatch(/connect-src 'self'(;|$)/);
    expect(csp).not.toContain("evil.example");
  });

  it("the status page's HTML has no inline executable script: its data is a JSON block", async () => {
    const html = await (await fetch(`${t.url}/`)).text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => itemAt(m, 1));
    expect(scripts.length).toBeGreaterThanOrEqual(2);
    for (const attributes of scripts) {
      expect(/\bsrc=/.test(attributes) || /type="application\/json"/.test(attributes)).toBe(true);
    }
    expect(html).toMatch(/<script type="application\/json" id="beacon-preload">\{"statusSummary"/);
    expect(html).not.toMatch(/\son[a-z]+=|style="/);
  });

  it("a public title with replacement patterns ($&, $', $`) reaches the page and its data block intact", async () => {
    const title = "Refunds: $& and $' and $` stay text";
    await t.admin.ok("mutation($i: OpenIncidentInput!) { openIncident(input: $i) { id } }", {
      i: { title, description: "Patterns", impact: "HIGH", urgency: "HIGH", public: true },
    });
    await t.anon.ok("{ statusSummary { seq } }"); // the anonymous client waits until the hub caught up
    let html = "";
    for (let i = 0; i < 50 && !html.includes("Refunds:"); i++) {
      html = await (await fetch(`${t.url}/`)).text();
      if (!html.includes("Refunds:")) await new Promise((r) => setTimeout(r, 100));
    }
    expect(html.match(/<div id="root">/g)).toHaveLength(1);
    expect(html.match(/<\/head>/g)).toHaveLength(1);
    const block = /<script type="application\/json" id="beacon-preload">(.*?)<\/script>/s.exec(html)?.[1];
    const data = JSON.parse(block ?? "null") as { statusSummary: { activeIncidents: { title: string }[] } };
    expect(data.statusSummary.activeIncidents.map((i) => i.title)).toContain(title);
  });

  it("GET /graphql from a browser loads no landing page (third-party, inline script)", async () => {
    const res = await fetch(`${t.url}/graphql`, { headers: { accept: "text/html" } });
    expect(res.headers.get("content-type")).not.toMatch(/html/);
    expect(await res.text()).not.toMatch(/<script|apollographql\.com/);
  });

  it("the mail-link pages' inline stylesheet is exactly the one the policy allows by hash", async () => {
    const { createHash } = await import("node:crypto");
    const res = await fetch(`${t.url}/subscriptions/confirm?token=anything`);
    const html = await res.text();
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => itemAt(m, 1));
    expect(styles).toHaveLength(1);
    const hash = createHash("sha256").update(itemAt(styles, 0)).digest("base64");
    expect(res.headers.get("content-security-policy")).toContain(`style-src 'self' 'sha256-${hash}';`);
    expect(html).not.toMatch(/<script|style="/);
  });

  it("never serves source maps, even one left in the web folder", async () => {
    expect((await fetch(`${t.url}/assets/app.js`)).status).toBe(200);
    const map = await fetch(`${t.url}/assets/app.js.map`);
    expect(map.status).toBe(404);
    expect(await map.text()).not.toContain("secret.ts");
  });
});

describe("the browser session cookie", () => {
  it("login sets an HttpOnly, SameSite=Strict cookie scoped to /graphql, Secure only over https", async () => {
    const { setCookie } = await browserLogin();
    expect(setCookie).toMatch(/^beacon_session=bt_[\w-]+;/);
    expect(setCookie).toMatch(/; Path=\/graphql/);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Strict/);
    expect(setCookie).toMatch(/; Expires=/);
    expect(setCookie).not.toMatch(/Secure/);
  });

  it("authenticates with the cookie plus the x-beacon-csrf header, privately", async () => {
    const { cookie } = await browserLogin();
    const res = await post({ query: "{ me { email } }" }, { cookie, ...CSRF });
    expect(await res.json()).toEqual({ data: { me: { email: ADMIN.email } } });
    expect(res.headers.get("cache-control")).toMatch(/no-store/);
    // A public read with the cookie is not answered from the anonymous, shared snapshot either.
    const anonymous = await post({ query: "{ statusSummary { seq } }" });
    expect(anonymous.headers.get("x-beacon-snapshot-seq")).not.toBeNull();
    const pub = await post({ query: "{ statusSummary { seq } }" }, { cookie, ...CSRF });
    expect(pub.headers.get("x-beacon-snapshot-seq")).toBeNull();
    expect(pub.headers.get("cache-control")).toMatch(/no-store/);
    expect(pub.headers.get("cache-control")).not.toMatch(/public/);
  });

  it("refuses the cookie without the CSRF header: runs anonymously, changes nothing", async () => {
    const { cookie } = await browserLogin();
    const count = async () =>
      Number((await t.started.beacon.db.query("SELECT count(*) AS n FROM service"))[0].n);
    const before = await count();
    const forged = await post(
      { query: 'mutation { createService(input: { name: "Forged" }) { id } }' },
      { cookie },
    );
    const body = (await forged.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(itemAt(body.errors, 0).extensions.code).toBe("UNAUTHENTICATED");
    expect(itemAt(body.errors, 0).message).toMatch(/x-beacon-csrf/);
    expect(await count()).toBe(before);
    expect(await (await post({ query: "{ me { email } }" }, { cookie })).json()).toEqual({
      data: { me: null },
    });
    // A form post (what a cross-site page can send without a preflight) is not even parsed.
    const form = await fetch(`${t.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      body: "query=mutation%20%7B%20logout%20%7D",
    });
    expect(form.status).toBe(415);
  });

  it("the Authorization header wins over a cookie: API keys keep working", async () => {
    const { cookie } = await browserLogin();
    const key = await t.admin.ok<{ createApiKey: { secret: string } }>(
      'mutation { createApiKey(name: "Partner", scopes: [READ]) { secret } }',
    );
    const res = await post(
      { query: "{ me { email } }" },
      { cookie, authorization: `Bearer ${key.createApiKey.secret}` },
    );
    expect(await res.json()).toEqual({ data: { me: { email: ADMIN.email } } });
    const denied = await post(
      { query: 'mutation { createService(input: { name: "Read-only key" }) { id } }' },
      { cookie, ...CSRF, authorization: `Bearer ${key.createApiKey.secret}` },
    );
    expect(
      itemAt(((await denied.json()) as { errors: { extensions: { code: string } }[] }).errors, 0).extensions
        .code,
    ).toBe("FORBIDDEN");
  });

  it("sign-out revokes the session and clears the cookie", async () => {
    const { cookie } = await browserLogin();
    const out = await post({ query: "mutation { logout }" }, { cookie, ...CSRF });
    expect(await out.json()).toEqual({ data: { logout: true } });
    const cleared = out.headers.getSetCookie();
    expect(cleared).toHaveLength(1);
    expect(cleared[0]).toMatch(
      /^beacon_session=; Path=\/graphql; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict/,
    );
    // The old cookie no longer works, and the browser is told (again) to drop it.
    const after = await post({ query: "{ users { id } }" }, { cookie, ...CSRF });
    const body = (await after.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(itemAt(body.errors, 0).extensions.code).toBe("UNAUTHENTICATED");
    expect(itemAt(body.errors, 0).message).toMatch(/sign in again/);
    expect(after.headers.getSetCookie()[0]).toMatch(/^beacon_session=;/);
  });

  /** graphql-ws over a socket whose upgrade request carries these headers (as a browser's would). */
  async function wsQuery(headers: Record<string, string>, query: string) {
    class BrowserLikeSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers });
      }
    }
    const client = createClient({
      url: `${t.url.replace("http", "ws")}/graphql`,
      webSocketImpl: BrowserLikeSocket,
      retryAttempts: 0,
    });
    try {
      return await new Promise<{
        data?: unknown;
        errors?: { message: string; extensions?: { code?: string } }[];
      }>((resolve, reject) => {
        let result: unknown;
        client.subscribe(
          { query },
          {
            next: (r) => {
              result = r;
            },
            error: reject,
            complete: () => resolve(result as { data?: unknown }),
          },
        );
      });
    } finally {
      await client.dispose();
    }
  }

  it("authenticates graphql-ws from the cookie on the upgrade request, from Beacon's own origin only", async () => {
    const { cookie } = await browserLogin();
    const own = new URL(t.url).origin;
    expect(await wsQuery({ cookie, origin: own }, "{ me { email } }")).toEqual({
      data: { me: { email: ADMIN.email } },
    });
    // Cross-site WebSocket hijacking: another site's page opening the socket gets no identity.
    expect(await wsQuery({ cookie, origin: "https://evil.example" }, "{ me { email } }")).toEqual({
      data: { me: null },
    });
    const hijack = await wsQuery({ cookie, origin: "https://evil.example" }, "{ users { id } }");
    expect(hijack.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(hijack.errors?.[0]?.message).toMatch(/Beacon's own pages/);
    // connectionParams still work for partners, and a revoked cookie is refused.
    await post({ query: "mutation { logout }" }, { cookie, ...CSRF });
    const revoked = await wsQuery({ cookie, origin: own }, "{ users { id } }");
    expect(revoked.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});

describe("password policy", () => {
  const CREATE = "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }";

  it.each(["password", "12345678", "qwertyuiop", "password-123"])(
    "refuses %j wherever a password is set, saying what to do",
    async (weak) => {
      const email = `weak-${weak.length}-${Math.random().toString(36).slice(2)}@test.local`;
      const refused = await t.admin.fails(CREATE, {
        i: { email, name: "Wes Weak", password: weak, role: "AGENT" },
      });
      expect(refused.code).toBe("BAD_USER_INPUT");
      expect(refused.extensions?.field).toBe("password");
      expect(refused.message).toMatch(/too easy to guess/);
      expect(refused.message).toMatch(/three or four unrelated words/);
      expect(await t.started.beacon.db.query("SELECT 1 FROM app_user WHERE email = $1", [email])).toEqual([]);

      const person = await t.user("AGENT", "Cora Change");
      const change = await person.fails(
        "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }",
        { c: "velvet-harbor-compass", n: weak },
      );
      expect(change).toMatchObject({ code: "BAD_USER_INPUT", message: expect.stringMatching(/too easy/) });
      const set = await t.admin.fails(
        "mutation($id: ID!, $p: String!) { setUserPassword(id: $id, password: $p) }",
        {
          id: person.userId,
          p: weak,
        },
      );
      expect(set).toMatchObject({ code: "BAD_USER_INPUT", message: expect.stringMatching(/too easy/) });
    },
  );

  it("refuses a password made of the person's own email or name, accepts a passphrase", async () => {
    const email = "martha.kowalski@test.local";
    const own = await t.admin.fails(CREATE, {
      i: { email, name: "Martha Kowalski", password: "martha.kowalski", role: "AGENT" },
    });
    expect(own.code).toBe("BAD_USER_INPUT");
    await t.admin.ok(CREATE, {
      i: { email, name: "Martha Kowalski", password: "copper lantern orbit", role: "AGENT" },
    });
    const tooLong = await t.admin.fails(CREATE, {
      i: { email: "long@test.local", name: "Lou Long", password: "x9-".repeat(100), role: "AGENT" },
    });
    expect(tooLong.message).toMatch(/at most 256 characters/);
  });
});

// Last: the clock jumps make every earlier session idle.
describe("idle session timeout (default 8 hours, injected clock)", () => {
  const lastUsed = async (token: string) => {
    const { sha256 } = await import("../../server/auth/secrets");
    const rows = await t.started.beacon.db.query("SELECT last_used_at FROM session WHERE token_hash = $1", [
      sha256(token),
    ]);
    return new Date(rows[0].last_used_at).getTime();
  };
  const MINUTE = 60_000;
  const HOUR = 60 * MINUTE;

  it("a session used within the idle time stays; its last use is written at most once a minute", async () => {
    const { token } = (
      await t.anon.ok<{ login: { token: string } }>(LOGIN, { e: ADMIN.email, p: ADMIN.password })
    ).login;
    const me = t.anon.as(token);
    const signedIn = clock.now().getTime();
    expect(await lastUsed(token)).toBe(signedIn);

    clock.advance(30_000);
    await me.ok("{ me { id } }");
    expect(await lastUsed(token)).toBe(signedIn); // less than a minute: no write

    clock.advance(8 * HOUR - 31_000); // 1 s short of 8 h since the last recorded use
    await me.ok("{ users { id } }");
    const touched = clock.now().getTime();
    expect(await lastUsed(token)).toBe(touched);

    clock.advance(8 * HOUR - MINUTE); // 16 h after sign-in, but used 8 h - 1 min ago
    await me.ok("{ users { id } }");

    clock.advance(8 * HOUR);
    const idle = await me.fails("{ users { id } }");
    expect(idle.code).toBe("UNAUTHENTICATED");
    expect(idle.message).toBe(
      "You were signed out after 8 hours without activity; sign in again with login(email, password).",
    );
    expect((await me.ok<{ me: null }>("{ me { id } }")).me).toBeNull();
  });

  it("an idle cookie session is refused and its cookie cleared", async () => {
    const { cookie } = await browserLogin();
    clock.advance(8 * HOUR);
    const res = await post({ query: "{ users { id } }" }, { cookie, ...CSRF });
    const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(itemAt(body.errors, 0).extensions.code).toBe("UNAUTHENTICATED");
    expect(itemAt(body.errors, 0).message).toMatch(/without activity; sign in again/);
    expect(res.headers.getSetCookie()[0]).toMatch(/^beacon_session=;.*Expires=Thu, 01 Jan 1970/);
  });

  it("ends a live subscription whose session went idle", async () => {
    const { token } = (
      await t.anon.ok<{ login: { token: string } }>(LOGIN, { e: ADMIN.email, p: ADMIN.password })
    ).login;
    const beacon = t.started.beacon;
    const { principal } = await authenticate(beacon, `Bearer ${token}`);
    const ctx: BeaconContext = { beacon, principal, authProblem: null };
    const live = whileCredentialValid(
      ctx,
      beacon.hub.subscribe(() => true, null),
      20,
    );
    const pending = live.next();
    clock.advance(8 * HOUR);
    await expect(pending).rejects.toMatchObject({ extensions: { code: "UNAUTHENTICATED" } });
    await expect(pending).rejects.toThrow(/without activity; sign in again/);
  });
});
