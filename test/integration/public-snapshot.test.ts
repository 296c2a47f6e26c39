import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentText } from "../../web/src/graphql";
import * as web from "../../web/src/status-page/queries";
import { startTestBeacon, type TestBeacon } from "../support/harness";
import { createService, openIncident, setServiceStatus } from "../support/incidents";

// Markers that must never appear in any public body.
const SECRET_TITLE = "SECRET-PRIVATE-TITLE-5e1d";
const SECRET_NOTE = "SECRET-NOTE-a04c";
const SECRET_DESCRIPTION = "SECRET-DESCRIPTION-77b0";

const JSON_PATHS = [
  "summary.json",
  "status.json",
  "components.json",
  "incidents.json",
  "incidents/unresolved.json",
  "scheduled-maintenances.json",
  "scheduled-maintenances/upcoming.json",
  "scheduled-maintenances/active.json",
];

// Exactly what the status page sends.
const STATUS_PAGE_QUERY = documentText(web.STATUS_PAGE_QUERY);
const PUBLIC_INCIDENTS_QUERY = documentText(web.PUBLIC_INCIDENTS_QUERY);

let t: TestBeacon;
let webDir: string;
let serviceId: string;

/** A public read as a browser, CDN or monitor makes it: plain HTTP, no test-harness waiting. */
async function read(url: string, init: RequestInit = {}) {
  const res = await fetch(url, init);
  const text = await res.text();
  return { res, text, seq: res.headers.get("x-beacon-snapshot-seq") };
}

const gqlPost = (
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) =>
  read(`${t.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });

/** Every public body the status page, partners and monitors read. */
async function everyPublicBody(): Promise<{ name: string; text: string; seq: string | null }[]> {
  const out = [];
  for (const p of JSON_PATHS) out.push({ name: p, ...(await read(`${t.url}/api/v2/${p}`)) });
  out.push({ name: "/", ...(await read(`${t.url}/`)) });
  out.push({ name: "StatusPage", ...(await gqlPost(STATUS_PAGE_QUERY)) });
  out.push({ name: "PublicIncidents", ...(await gqlPost(PUBLIC_INCIDENTS_QUERY, { first: 20 })) });
  return out;
}

/** The seq of the last committed event, read past the snapshot (signed in). */
async function committedSeq(): Promise<bigint> {
  const d = await t.admin.ok<{ statusSummary: { seq: string } }>("{ statusSummary { seq } }");
  return BigInt(d.statusSummary.seq);
}

/** Polls a public read until the snapshot serving it reflects `seq` (no timing is asserted). */
async function readAtLeast(seq: bigint, url: string, init: RequestInit = {}) {
  for (let i = 0; i < 200; i++) {
    const r = await read(url, init);
    if (r.seq !== null && BigInt(r.seq) >= seq) return r;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url} never reached seq ${seq}`);
}

beforeAll(async () => {
  webDir = fs.mkdtempSync(path.join(os.tmpdir(), "beacon-web-"));
  fs.writeFileSync(
    path.join(webDir, "index.html"),
    '<!doctype html><html><head><title>Beacon</title></head><body><div id="root"></div></body></html>',
  );
  t = await startTestBeacon({ env: { BEACON_WEB_DIR: webDir } });
  serviceId = await createService(t.admin, "Checkout");
  const secret = await openIncident(t.admin, {
    title: SECRET_TITLE,
    description: SECRET_DESCRIPTION,
    public: false,
    serviceIds: [serviceId],
  });
  const visible = await openIncident(t.admin, {
    title: "Checkout is slow",
    description: SECRET_DESCRIPTION,
    public: true,
    serviceIds: [serviceId],
  });
  for (const id of [secret.id, visible.id]) {
    await t.admin.ok("mutation($id: ID!, $b: String!) { addNote(incidentId: $id, body: $b) { id } }", {
      id,
      b: SECRET_NOTE,
    });
  }
});

afterAll(async () => {
  await t?.stop();
  fs.rmSync(webDir, { recursive: true, force: true });
});

describe("the public snapshot", () => {
  it("serves every public body from the snapshot, with a seq ETag, 304 and CDN-friendly caching", async () => {
    for (const body of await everyPublicBody()) {
      expect(body.seq, body.name).toMatch(/^\d+$/);
    }
    const first = await read(`${t.url}/api/v2/summary.json`);
    const etag = first.res.headers.get("etag")!;
    expect(etag).toMatch(new RegExp(`^"${first.seq}-`));
    expect(first.res.headers.get("cache-control")).toMatch(/public, max-age=\d+, stale-while-revalidate=\d+/);
    expect(first.res.headers.get("vary")).toMatch(/Accept-Encoding/);
    const again = await fetch(`${t.url}/api/v2/summary.json`, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    const weak = await fetch(`${t.url}/api/v2/summary.json`, {
      headers: { "if-none-match": `"x", W/${etag}` },
    });
    expect(weak.status).toBe(304);
    const other = await fetch(`${t.url}/api/v2/summary.json`, { headers: { "if-none-match": '"0-nope"' } });
    expect(other.status).toBe(200);
  });

  it("picks the pre-compressed bytes by Accept-Encoding, all of the same body", async () => {
    const url = new URL(`${t.url}/api/v2/summary.json`);
    const raw = async (encoding: string) => {
      // fetch() decodes on its own; node:http shows the bytes as sent.
      const http = await import("node:http");
      return new Promise<{ encoding: string | undefined; body: Buffer }>((resolve, reject) => {
        http
          .get(url, { headers: { "accept-encoding": encoding } }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () =>
              resolve({ encoding: res.headers["content-encoding"], body: Buffer.concat(chunks) }),
            );
          })
          .on("error", reject);
      });
    };
    const plain = await raw("identity");
    expect(plain.encoding).toBeUndefined();
    const br = await raw("gzip, deflate, br");
    expect(br.encoding).toBe("br");
    expect(zlib.brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    const gz = await raw("gzip");
    expect(gz.encoding).toBe("gzip");
    expect(zlib.gunzipSync(gz.body).equals(plain.body)).toBe(true);
    const notBr = await raw("br;q=0, gzip");
    expect(notBr.encoding).toBe("gzip");
    // Oversized headers do no harm: identity bytes, and no 304 from a huge list.
    const huge = await raw(`${"x-unknown, ".repeat(700)}br`);
    expect(huge.encoding).toBeUndefined();
    expect(huge.body.equals(plain.body)).toBe(true);
    const bigInm = await fetch(url, { headers: { "if-none-match": `${'"junk", '.repeat(1000)}*` } });
    expect(bigInm.status).toBe(200);
  });

  it("is never stale once it reflects an event: every body shows each change", async () => {
    const statuses = ["MAJOR_OUTAGE", "DEGRADED_PERFORMANCE", "OPERATIONAL", "PARTIAL_OUTAGE"];
    for (const status of statuses) {
      await setServiceStatus(t.admin, serviceId, status);
      const seq = await committedSeq();
      const components = await readAtLeast(seq, `${t.url}/api/v2/components.json`);
      const component = (JSON.parse(components.text).components as { id: string; status: string }[]).find(
        (c) => c.id === serviceId,
      );
      expect(component?.status).toBe(status.toLowerCase());
      const page = await readAtLeast(seq, `${t.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: STATUS_PAGE_QUERY }),
      });
      const services = JSON.parse(page.text).data.statusSummary.services as { id: string; status: string }[];
      expect(services.find((s) => s.id === serviceId)?.status).toBe(status);
      const html = await readAtLeast(seq, `${t.url}/`);
      expect(html.text).toContain(`"status":"${status}"`);
    }
  });

  it("follows a public incident's story into the JSON, the page and the history query", async () => {
    const opened = await openIncident(t.admin, {
      title: "Search is down",
      public: true,
      serviceIds: [serviceId],
    });
    await t.admin.ok(
      'mutation($i: ID!) { postPublicUpdate(incidentId: $i, message: "We found the cause of the search outage.", status: IDENTIFIED) { id } }',
      { i: opened.id },
    );
    const seq = await committedSeq();
    const unresolved = await readAtLeast(seq, `${t.url}/api/v2/incidents/unresolved.json`);
    expect(unresolved.text).toContain("We found the cause of the search outage.");
    const history = await readAtLeast(seq, `${t.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: PUBLIC_INCIDENTS_QUERY, variables: { first: 20 } }),
    });
    expect(history.text).toContain("Search is down");
  });

  it("never carries private data", async () => {
    for (const body of await everyPublicBody()) {
      for (const secret of [SECRET_TITLE, SECRET_NOTE, SECRET_DESCRIPTION]) {
        expect(body.text, `${body.name} leaks ${secret}`).not.toContain(secret);
      }
    }
    // A private query asked anonymously is not a public read: Apollo refuses it, nothing cached.
    const incidents = await gqlPost("{ incidents { edges { node { id title } } } }");
    expect(incidents.seq).toBeNull();
    expect(incidents.text).not.toContain(SECRET_TITLE);
    expect(JSON.parse(incidents.text).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("never answers a signed-in request from the shared cache, and marks it private", async () => {
    const token = t.admin.token!;
    const signedIn = await gqlPost(STATUS_PAGE_QUERY, {}, { authorization: `Bearer ${token}` });
    expect(signedIn.seq).toBeNull();
    expect(signedIn.res.headers.get("cache-control")).toMatch(/no-store/);
    // The same private query with credentials is answered by Apollo (with the private data).
    const mine = await gqlPost(
      "{ incidents { edges { node { id title } } } }",
      {},
      { authorization: `Bearer ${token}` },
    );
    expect(mine.seq).toBeNull();
    expect(mine.text).toContain(SECRET_TITLE);
    // ... and an anonymous repeat afterwards still does not see it.
    expect((await gqlPost("{ incidents { edges { node { id title } } } }")).text).not.toContain(SECRET_TITLE);
  });

  it("answers GET with automatic persisted queries from the snapshot", async () => {
    const query = "query Seq { statusSummary { seq indicator } }";
    const hash = createHash("sha256").update(query).digest("hex");
    const ext = encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } }));
    // Unknown hash: Apollo asks for the document.
    const unknown = await read(`${t.url}/graphql?extensions=${ext}`, {
      headers: { "apollo-require-preflight": "true" },
    });
    expect(JSON.parse(unknown.text).errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    const withQuery = await read(`${t.url}/graphql?query=${encodeURIComponent(query)}&extensions=${ext}`);
    expect(withQuery.seq).toMatch(/^\d+$/);
    const byHash = await read(`${t.url}/graphql?extensions=${ext}`);
    expect(byHash.seq).toMatch(/^\d+$/);
    expect(byHash.res.headers.get("cache-control")).toMatch(/^public/);
    expect(JSON.parse(byHash.text)).toEqual(JSON.parse(withQuery.text));
    // A hash that does not match its document is not learned.
    const lie = encodeURIComponent(
      JSON.stringify({ persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } }),
    );
    await read(`${t.url}/graphql?query=${encodeURIComponent(query)}&extensions=${lie}`, {
      headers: { "apollo-require-preflight": "true" },
    });
    const lied = await read(`${t.url}/graphql?extensions=${lie}`, {
      headers: { "apollo-require-preflight": "true" },
    });
    expect(lied.seq).toBeNull();
  });

  it("passes a hash it learned on to Apollo with its text when the snapshot cannot answer it", async () => {
    // The text arrives once and is answered from the snapshot, so Apollo never sees it; a later read
    // by hash alone that the snapshot cannot answer (here: a missing variable) must still execute.
    const query = "query Learned($id: ID!) { publicIncident(id: $id) { id } }";
    const hash = createHash("sha256").update(query).digest("hex");
    const ext = encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } }));
    const vars = encodeURIComponent(JSON.stringify({ id: "00000000-0000-0000-0000-000000000001" }));
    const taught = await read(
      `${t.url}/graphql?query=${encodeURIComponent(query)}&variables=${vars}&extensions=${ext}`,
    );
    expect(taught.seq).toMatch(/^\d+$/);
    const missing = await read(`${t.url}/graphql?variables=%7B%7D&extensions=${ext}`, {
      headers: { "apollo-require-preflight": "true" },
    });
    expect(missing.seq).toBeNull();
    const codes = JSON.parse(missing.text).errors?.map(
      (e: { extensions?: { code?: string } }) => e.extensions?.code,
    );
    expect(codes).toEqual(["BAD_USER_INPUT"]);
  });

  it("caches a public query with new variables once per seq, and leaves mutations alone", async () => {
    const one = "query One($id: ID!) { publicIncident(id: $id) { id title } }";
    const a = await gqlPost(one, { id: "00000000-0000-0000-0000-000000000000" });
    expect(a.seq).toMatch(/^\d+$/);
    expect(JSON.parse(a.text)).toEqual({ data: { publicIncident: null } });
    const mutation = await gqlPost(
      'mutation { login(email: "nobody@test.local", password: "wrong-password") { token } }',
    );
    expect(mutation.seq).toBeNull();
  });

  it("reads the status summary once per build, for the status page result and every JSON body", async () => {
    // The summary is the one read in a REPEATABLE READ transaction (status.service.ts): count the
    // transactions one build starts. Observed on the real data source, nothing is replaced.
    const { db } = t.started.beacon;
    const snapshot = t.started.server.publicSnapshot;
    await snapshot.settled();
    const createQueryRunner = db.createQueryRunner.bind(db);
    let summaries = 0;
    db.createQueryRunner = (...args) => {
      const qr = createQueryRunner(...args);
      const start = qr.startTransaction.bind(qr);
      qr.startTransaction = (level) => {
        if (level === "REPEATABLE READ") summaries++;
        return start(level);
      };
      return qr;
    };
    try {
      snapshot.requestBuild();
      await snapshot.settled();
    } finally {
      db.createQueryRunner = createQueryRunner;
    }
    expect(snapshot.lastError).toBeNull();
    expect(summaries).toBe(1);
  });
});

describe("the fast path (snapshot reads answered before express)", () => {
  // helmet's headers as express sets them on every other answer (docs/security.md).
  const SECURITY = [
    "content-security-policy",
    "cross-origin-opener-policy",
    "cross-origin-resource-policy",
    "origin-agent-cluster",
    "referrer-policy",
    "x-content-type-options",
    "x-dns-prefetch-control",
    "x-download-options",
    "x-frame-options",
    "x-permitted-cross-domain-policies",
    "x-xss-protection",
  ];
  const statusPageGet = () => {
    const hash = createHash("sha256").update(STATUS_PAGE_QUERY).digest("hex");
    const ext = encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } }));
    return {
      byHash: `${t.url}/graphql?extensions=${ext}`,
      withQuery: `${t.url}/graphql?query=${encodeURIComponent(STATUS_PAGE_QUERY)}&extensions=${ext}`,
    };
  };

  it("carries the same security headers as express's answers, and 304 for a matching ETag", async () => {
    const express = await fetch(`${t.url}/healthz`);
    await express.text();
    expect(express.headers.get("content-security-policy")).toContain("connect-src 'self' ws://");
    const { byHash, withQuery } = statusPageGet();
    await read(withQuery);
    const reads: [string, RequestInit?][] = [
      [`${t.url}/`],
      [`${t.url}/api/v2/summary.json`],
      [byHash],
      [
        `${t.url}/graphql`,
        {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query: STATUS_PAGE_QUERY, variables: {} }),
        },
      ],
    ];
    for (const [url, init] of reads) {
      const r = await read(url, init);
      expect(r.res.status, url).toBe(200);
      expect(r.seq, url).toMatch(/^\d+$/);
      for (const name of SECURITY) {
        expect(r.res.headers.get(name), `${url} ${name}`).toBe(express.headers.get(name));
      }
      const etag = r.res.headers.get("etag")!;
      const again = await fetch(url, { ...init, headers: { ...init?.headers, "if-none-match": etag } });
      expect(again.status, url).toBe(304);
      expect(await again.text()).toBe("");
      expect(again.headers.get("etag")).toBe(etag);
      expect(again.headers.get("x-frame-options")).toBe("DENY");
    }
    const head = await fetch(`${t.url}/api/v2/summary.json`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("access-control-allow-origin")).toBe("*");
    expect(await head.text()).toBe("");
  });

  it("never answers a signed-in GET or POST from the snapshot (Authorization, or the session cookie)", async () => {
    const token = t.admin.token!;
    const { byHash, withQuery } = statusPageGet();
    expect((await read(withQuery)).seq).toMatch(/^\d+$/);
    const cookie = { cookie: `beacon_session=${token}`, "x-beacon-csrf": "1" };
    for (const headers of [{ authorization: `Bearer ${token}` }, cookie]) {
      const get = await read(byHash, { headers });
      expect(get.seq).toBeNull();
      expect(get.res.headers.get("cache-control")).toMatch(/no-store/);
      const post = await gqlPost(STATUS_PAGE_QUERY, {}, headers);
      expect(post.seq).toBeNull();
      expect(post.res.headers.get("cache-control")).toMatch(/no-store/);
      expect(JSON.parse(post.text).data.statusSummary.seq).toMatch(/^\d+$/);
    }
  });

  it("answers a body it read but cannot use as express would: malformed JSON is a 400", async () => {
    for (const body of ['{"query": ', '"just a string"']) {
      const res = await fetch(`${t.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      expect(res.status, body).toBe(400);
      expect((await res.json()).errors[0].extensions.code).toBe("BAD_REQUEST");
    }
    // A body the snapshot does not hold (a mutation) reaches Apollo parsed.
    const mutation = await gqlPost(
      'mutation { login(email: "nobody@test.local", password: "wrong-password") { token } }',
    );
    expect(mutation.seq).toBeNull();
    expect(JSON.parse(mutation.text).errors[0].extensions.code).toBeDefined();
  });
});
