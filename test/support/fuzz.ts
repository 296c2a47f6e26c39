// Seeded generators of hostile input for test/integration/fuzz-abuse.test.ts. Deterministic: the
// same seed gives the same operations, so a failure can be replayed (FUZZ_SEED=<n>).
import { aliasBomb, fragmentBomb } from "./hostile";
import { itemAt } from "./item-at";

/** mulberry32: a tiny, well-known seeded PRNG. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(xs: readonly T[]): T => itemAt(xs, int(0, xs.length - 1));
  return { next, int, pick, chance: (p: number) => next() < p };
}
export type Rng = ReturnType<typeof prng>;

/** One HTTP request to send. */
export interface HttpCase {
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Sent with the admin's token (to reach code behind authentication). */
  asAdmin?: boolean;
}

// Characters for mutating documents and values. No "/" "(" or ":" so nothing echoed back can look
// like a path or a stack frame to the leak check.
const NOISE = [
  "{",
  "}",
  "[",
  "]",
  "$",
  "@",
  "!",
  ".",
  '"',
  "'",
  "#",
  "\\",
  "\n",
  "\t",
  " ",
  ",",
  "=",
  "|",
  "&",
  "0",
  "9",
  "a",
  "Z",
  "_",
  "…",
  "🚀",
  "\u0000",
  "\udfff",
  "\ud800",
];
const WORDS = [
  "statusSummary",
  "services",
  "seq",
  "id",
  "name",
  "__schema",
  "__typename",
  "query",
  "mutation",
  "subscription",
  "fragment",
  "on",
  "null",
  "true",
];

export const VALID_QUERIES = [
  "{ statusSummary { seq indicator description } }",
  "{ services { id slug name status } }",
  "{ publicIncidents(first: 5) { id title status updates { message } } }",
  "{ services { uptime(days: 30) { date uptimePercent } } }",
  "{ statusSummary { activeIncidents { id title impact services { name } } maintenances { id title } } }",
  "{ __schema { queryType { name } types { name kind } } }",
  'query Named { publicIncident(id: "00000000-0000-4000-8000-000000000000") { id } }',
];

export function randomText(r: Rng, max = 40): string {
  const n = r.int(0, max);
  let s = "";
  for (let i = 0; i < n; i++) s += r.chance(0.7) ? String.fromCharCode(r.int(97, 122)) : r.pick(NOISE);
  return s;
}

/** A valid document with a few random edits: the parser and validator's side of the fuzz. */
export function mutatedQuery(r: Rng): string {
  let q = r.pick(VALID_QUERIES);
  const edits = r.int(1, 6);
  for (let i = 0; i < edits; i++) {
    const at = r.int(0, q.length);
    const op = r.int(0, 3);
    if (op === 0) q = q.slice(0, at) + r.pick(NOISE) + q.slice(at);
    else if (op === 1) q = q.slice(0, at) + q.slice(at + r.int(1, 4));
    else if (op === 2) q = `${q.slice(0, at)} ${r.pick(WORDS)} ${q.slice(at)}`;
    else q = q.slice(0, at) + q.slice(at).replace(/\d+/, String(r.pick([-1, 0, 2 ** 31, 1e9, 366, 99999])));
  }
  return q;
}

/** Hostile but well-formed documents: size, depth, breadth, fragments, directives. */
export function hostileQuery(r: Rng): string {
  switch (r.int(0, 9)) {
    case 0:
      return aliasBomb(r.int(1, 1500), r.pick(["statusSummary { seq }", "services { id }", "__typename"]));
    case 1:
      return aliasBomb(
        r.int(1, 400),
        `services { uptime(days: ${r.pick([1, 90, 366, 100000, -5])}) { uptimePercent } }`,
      );
    case 2:
      return fragmentBomb(r.int(1, 16));
    case 3: {
      // Deep selection through the introspection types.
      const depth = r.int(2, 40);
      let inner = "name";
      for (let i = 0; i < depth; i++) inner = `ofType { ${inner} }`;
      return `{ __schema { types { fields { type { ${inner} } } } } }`;
    }
    case 4:
      return `{ statusSummary ${Array.from({ length: r.int(1, 300) }, (_, i) => (i % 2 ? "@include(if: true)" : "@skip(if: false)")).join(" ")} { seq } }`;
    case 5:
      return `{ statusSummary { ${"seq ".repeat(r.int(1, 6000))} } }`;
    case 6:
      // Fragments that spread each other in a cycle.
      return "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A statusSummary { seq } }";
    case 7:
      return `{ publicIncidents(first: ${r.pick([0, -1, 101, 2 ** 31 - 1, 1e6])}, offset: ${r.pick([-1, 0, 2 ** 31 - 1])}) { id } }`;
    case 8:
      return `${"{ services ".repeat(r.int(1, 200))}${"}".repeat(r.int(0, 200))}`;
    default:
      return `query { ${randomText(r, 200)} }`;
  }
}

/** A random JSON value, sometimes deeply nested or very long. */
export function hostileValue(r: Rng, depth = 0): unknown {
  switch (depth > 3 ? r.int(0, 4) : r.int(0, 8)) {
    case 0:
      return randomText(r);
    case 1:
      return r.pick([0, -1, 1e308, -2147483649, 2 ** 53 + 1, 0.5]);
    case 2:
      return r.pick([true, false, null]);
    case 3:
      return "x".repeat(r.pick([1000, 100_000, 600_000]));
    case 4:
      return r.pick([
        "\u0000",
        "a\u0000b",
        "\udfff",
        "bad \ud800 pair",
        "🚀",
        "00000000-0000-4000-8000-000000000000",
      ]);
    case 5:
      return Array.from({ length: r.int(0, 5) }, () => hostileValue(r, depth + 1));
    case 6: {
      let v: unknown = "deep";
      for (let i = 0, n = r.int(10, 3000); i < n; i++) v = [v];
      return v;
    }
    default:
      return Object.fromEntries(
        Array.from({ length: r.int(0, 5) }, () => [randomText(r, 8), hostileValue(r, depth + 1)]),
      );
  }
}

/** Operations with variables, anonymous and as the admin (search filters, names, sign-in, subscribe). */
const WITH_VARIABLES: [string, (r: Rng) => Record<string, unknown>, boolean][] = [
  [
    "query($s: String) { incidents(filter: { search: $s }) { totalCount } }",
    (r) => ({ s: hostileValue(r) }),
    true,
  ],
  [
    "query($f: IncidentFilter) { incidents(filter: $f) { totalCount } }",
    (r) => ({ f: hostileValue(r) }),
    true,
  ],
  [
    "mutation($i: CreateServiceInput!) { createService(input: $i) { id } }",
    (r) => ({ i: { name: hostileValue(r), description: hostileValue(r) } }),
    true,
  ],
  [
    "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
    (r) => ({ e: hostileValue(r), p: hostileValue(r) }),
    false,
  ],
  [
    "mutation($i: SubscribeInput!) { subscribe(input: $i) { ok } }",
    (r) => ({ i: { email: hostileValue(r) } }),
    false,
  ],
  ["query($id: ID!) { publicIncident(id: $id) { id } }", (r) => ({ id: hostileValue(r) }), false],
  ["query($n: Int) { publicIncidents(first: $n) { id } }", (r) => ({ n: hostileValue(r) }), false],
  ["subscription($s: String) { statusChanged(since: $s) { seq } }", (r) => ({ s: hostileValue(r) }), false],
];

const json = (body: unknown) => JSON.stringify(body);
const CONTENT_TYPES = [
  "application/json",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data",
  "application/graphql",
  "",
  "application/json; charset=latin1",
  "application/json; charset=utf-16",
];
const ENCODINGS = ["gzip", "deflate", "br", "bogus", "gzip, gzip", "identity", "x-gzip"];
const PATHS = [
  "/graphql",
  "/api/v2/summary.json",
  "/api/v2/nope.json",
  "/api/v2/incidents/../../etc/passwd",
  "/%00",
  "/history.atom?service=%00",
  "/history.rss?service=nope",
  "/subscriptions/confirm?token=x",
  "/healthz",
  "/graphql/extra",
  `/${"a".repeat(5000)}`,
  "/war-room",
  "/api/v2/components.json?x=%ff",
];
const METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"];

/** One hostile HTTP request, from the seed. */
export function httpCase(r: Rng): HttpCase {
  const post = (kind: string, body: unknown, asAdmin = false): HttpCase => ({
    kind,
    method: "POST",
    path: "/graphql",
    headers: { "content-type": "application/json" },
    body: json(body),
    asAdmin,
  });
  switch (r.int(0, 11)) {
    case 0:
    case 1:
      return post("mutated document", { query: mutatedQuery(r) });
    case 2:
    case 3:
      return post("hostile document", { query: hostileQuery(r) }, r.chance(0.3));
    case 4:
    case 5: {
      const [query, vars, admin] = r.pick(WITH_VARIABLES);
      return post("hostile variables", { query, variables: vars(r) }, admin && r.chance(0.6));
    }
    case 6:
      return post(
        "hostile request shape",
        r.pick([
          [],
          [{ query: "{ statusSummary { seq } }" }, { query: "{ services { id } }" }],
          { query: 42 },
          { query: null },
          { query: "{ statusSummary { seq } }", variables: "not an object" },
          { query: "{ statusSummary { seq } }", variables: [1, 2] },
          { query: "{ statusSummary { seq } }", operationName: 7 },
          { query: "query A { statusSummary { seq } } query B { services { id } }" },
          { query: "query A { statusSummary { seq } }", operationName: "Missing" },
          { query: "subscription { statusChanged { seq } }" },
          { query: "mutation { logout }" },
          { extensions: { persistedQuery: { version: 1, sha256Hash: randomText(r, 64) } } },
          {
            query: "{ statusSummary { seq } }",
            extensions: { persistedQuery: { version: r.int(-1, 3), sha256Hash: randomText(r, 64) } },
          },
          hostileValue(r),
        ]),
      );
    case 7: {
      // Malformed or oversized bodies, bad encodings and content types.
      const body = r.pick<string | Buffer>([
        '{"query": ',
        "{ statusSummary { seq } }",
        json({ query: "{ statusSummary { seq } }", variables: { x: "y".repeat(1_100_000) } }),
        Buffer.from(Array.from({ length: r.int(1, 300) }, () => r.int(0, 255))),
        "\u0000\u0000",
        "",
        json({ query: "{ statusSummary { seq } }" }),
      ]);
      const headers: Record<string, string> = {};
      const type = r.pick(CONTENT_TYPES);
      if (type) headers["content-type"] = type;
      if (r.chance(0.4)) headers["content-encoding"] = r.pick(ENCODINGS);
      return { kind: "hostile body", method: "POST", path: "/graphql", headers, body };
    }
    case 8: {
      const query = r.chance(0.5) ? hostileQuery(r) : mutatedQuery(r);
      const params = new URLSearchParams({ query });
      if (r.chance(0.3)) params.set("variables", randomText(r));
      if (r.chance(0.2))
        params.set("extensions", json({ persistedQuery: { version: 1, sha256Hash: randomText(r, 64) } }));
      return { kind: "GET /graphql", method: "GET", path: `/graphql?${params}`, headers: {} };
    }
    case 9:
      return {
        kind: "mutation over GET",
        method: "GET",
        path: `/graphql?${new URLSearchParams({ query: 'mutation { createService(input: { name: "x" }) { id } }' })}`,
        headers: {},
        asAdmin: true,
      };
    case 10: {
      const method = r.pick(METHODS);
      const headers: Record<string, string> = {};
      if (r.chance(0.5))
        headers.authorization = r.pick([
          "Bearer",
          "Bearer bt_nope",
          "Basic eDp5",
          "Bearer bk_x_y",
          `Bearer ${"z".repeat(5000)}`,
          "\u00ff",
        ]);
      if (r.chance(0.3))
        headers.accept = r.pick(["text/html", "application/xml", "*/*", "application/graphql-response+json"]);
      const withBody = method !== "GET" && method !== "HEAD";
      return {
        kind: "random route",
        method,
        path: r.pick(PATHS),
        headers,
        ...(withBody ? { body: randomText(r, 100) } : {}),
      };
    }
    default:
      return {
        kind: "hostile authorization",
        method: "POST",
        path: "/graphql",
        headers: {
          "content-type": "application/json",
          authorization: r.pick([
            "Bearer ",
            "Bearer bt_",
            "bearer bk_a_b",
            `Bearer bk_${"9".repeat(300)}_x`,
            "Token abc",
            "Bearer a b c",
          ]),
        },
        body: json({ query: r.pick(VALID_QUERIES) }),
      };
  }
}

/** One hostile graphql-transport-ws frame (after connection_init, unless it is one). */
export function wsFrame(r: Rng, id: string): { frame: string | Buffer; expectsReply: boolean } {
  const subscribe = (payload: unknown) => ({
    frame: json({ id, type: "subscribe", payload }),
    expectsReply: true,
  });
  switch (r.int(0, 9)) {
    case 0:
    case 1:
      return subscribe({ query: hostileQuery(r) });
    case 2:
      return subscribe({ query: mutatedQuery(r).replace(/^\{/, "subscription {") });
    case 3: {
      const [query, vars] = r.pick(WITH_VARIABLES);
      return subscribe({ query, variables: vars(r) });
    }
    case 4:
      return subscribe(
        r.pick([
          null,
          42,
          "x",
          [],
          { query: 42 },
          { query: null },
          { query: "{ statusSummary { seq } }", variables: "x" },
        ]),
      );
    case 5:
      return { frame: json({ id: r.pick(["nope", id, ""]), type: "complete" }), expectsReply: false };
    case 6:
      return {
        frame: json({ type: r.pick(["ping", "pong"]), payload: r.chance(0.5) ? hostileValue(r) : undefined }),
        expectsReply: false,
      };
    case 7:
      return { frame: json({ query: "{ statusSummary { seq } }", id, type: "start" }), expectsReply: false };
    case 8:
      return {
        frame: r.pick<string | Buffer>([
          "{",
          "null",
          "[]",
          "\u0000",
          Buffer.from([0, 159, 146, 150]),
          json({ type: "connection_init" }),
        ]),
        expectsReply: false,
      };
    default:
      return subscribe({ query: "subscription { statusChanged { seq } }", extensions: hostileValue(r) });
  }
}
