import { gzipSync } from "node:zlib";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestBeacon, type TestBeacon } from "../support/harness";

let t: TestBeacon;
beforeAll(async () => {
  t = await startTestBeacon();
});
afterAll(() => t?.stop());

/** Nothing that looks like a stack trace, a file path or a driver message. */
const LEAKS = /\bat [\w.<>]+ \(|\/work\/|\/node_modules\/|\.ts:\d+|ECONNREFUSED|<html|<pre>/i;

async function raw(path: string, init: RequestInit) {
  const res = await fetch(`${t.url}${path}`, init);
  const text = await res.text();
  return { status: res.status, type: res.headers.get("content-type") ?? "", text };
}

describe("HTTP error responses are JSON on /graphql, never a stack trace", () => {
  const cases: [string, RequestInit, number][] = [
    [
      "malformed JSON",
      { method: "POST", headers: { "content-type": "application/json" }, body: '{"query": ' },
      400,
    ],
    [
      "a body over 1 MB",
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: `{ statusSummary { seq } }`, variables: { x: "y".repeat(1_100_000) } }),
      },
      413,
    ],
    [
      "an unknown content-encoding",
      {
        method: "POST",
        headers: { "content-type": "application/json", "content-encoding": "bogus" },
        body: "{}",
      },
      415,
    ],
    [
      "a lying content-encoding",
      {
        method: "POST",
        headers: { "content-type": "application/json", "content-encoding": "gzip" },
        body: "{}",
      },
      400,
    ],
    [
      "a text/plain body",
      { method: "POST", headers: { "content-type": "text/plain" }, body: "{ statusSummary { seq } }" },
      415,
    ],
    ["no content type", { method: "POST", body: "{ statusSummary { seq } }" }, 415],
  ];
  it.each(cases)("%s", async (_name, init, status) => {
    const r = await raw("/graphql", init);
    expect(r.status).toBe(status);
    expect(r.type).toMatch(/json/);
    const body = JSON.parse(r.text);
    expect(body.errors[0].message).toEqual(expect.any(String));
    expect(body.errors[0].extensions.code).toEqual(expect.any(String));
    expect(r.text).not.toMatch(LEAKS);
  });

  it("a gzip body is accepted", async () => {
    const r = await raw("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
      body: gzipSync(JSON.stringify({ query: "{ statusSummary { seq } }" })),
    });
    expect(r.status).toBe(200);
  });

  it("an APQ request with a bad hash or a wrong shape is a client error, not INTERNAL_SERVER_ERROR", async () => {
    for (const ext of [
      { persistedQuery: { version: 1, sha256Hash: "00" } },
      { persistedQuery: { version: 1, sha256Hash: 42 } },
      { persistedQuery: { version: 2, sha256Hash: "00" } },
      { persistedQuery: "x" },
    ]) {
      for (const query of [undefined, "{ statusSummary { seq } }"]) {
        const r = await raw("/graphql", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query, extensions: ext }),
        });
        expect(r.status, `${JSON.stringify(ext)} ${query}: ${r.text}`).toBeLessThan(500);
        expect(r.text).not.toMatch(/INTERNAL_SERVER_ERROR/);
        expect(r.text).not.toMatch(LEAKS);
      }
    }
  });
});

describe("text PostgreSQL cannot store is refused before SQL, naming the field", () => {
  it.each([
    [
      "a NUL in a search filter",
      "query($s: String) { incidents(filter: { search: $s }) { edges { node { id } } } }",
      { s: "a\u0000b" },
      "incidents.filter.search",
    ],
    [
      "a NUL in a login",
      'mutation($e: String!) { login(email: $e, password: "x") { token } }',
      { e: "\u0000" },
      "login.email",
    ],
    [
      "a lone surrogate in a name",
      "mutation($i: CreateServiceInput!) { createService(input: $i) { id } }",
      { i: { name: "bad \udfff" } },
      "createService.input.name",
    ],
    [
      "a NUL in a literal",
      'query { incidents(filter: { search: "\\u0000" }) { edges { node { id } } } }',
      {},
      "incidents.filter.search",
    ],
  ])("%s", async (_name, query, variables, field) => {
    const r = await t.admin.gql(query, variables);
    expect(r.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field } });
    expect(r.errors?.[0]?.message).toMatch(/NUL character or an unpaired surrogate/);
  });

  it("a paired surrogate (an emoji) is fine", async () => {
    const r = await t.admin.gql("mutation($i: CreateServiceInput!) { createService(input: $i) { name } }", {
      i: { name: "Rocket 🚀" },
    });
    expect(r.errors).toBeUndefined();
  });
});

describe("the database down", () => {
  // Issue 10: the public JSON is served from the instance's snapshot, so it keeps answering (200, the
  // last known state) while the database refuses connections; the 503 mapping still covers routes
  // that need the database.
  it("/api/v2/summary.json keeps answering from the snapshot without the driver's message, and recovers", async () => {
    const db = new URL(t.databaseUrl).pathname.slice(1);
    const admin = new pg.Client({ connectionString: t.databaseUrl.replace(`/${db}`, "/postgres") });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE ${db} ALLOW_CONNECTIONS false`);
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", [db]);
      const r = await raw("/api/v2/summary.json", {});
      expect(r.status).toBe(200);
      expect(r.type).toMatch(/json/);
      expect(JSON.parse(r.text).status.indicator).toBeDefined();
      expect(r.text).not.toMatch(LEAKS);
      expect(r.text).not.toMatch(/accepting connections|terminat/i);
    } finally {
      await admin.query(`ALTER DATABASE ${db} ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    let ok = 0;
    for (let i = 0; i < 50 && ok !== 200; i++) {
      ok = (await raw("/api/v2/summary.json", {})).status;
      if (ok !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(ok).toBe(200);
  });
});
