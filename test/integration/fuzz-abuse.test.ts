import v8 from "node:v8";
import vm from "node:vm";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type HttpCase, httpCase, prng, wsFrame } from "../support/fuzz";
import { startTestBeacon, type TestBeacon, type TestClient } from "../support/harness";
import { aliasBomb, fragmentBomb } from "../support/hostile";
import { itemAt } from "../support/item-at";

// Issue 9's fuzz and abuse suite: the issue's reproductions, then a seeded, deterministic run of a few
// thousand hostile HTTP operations and hundreds of hostile graphql-ws frames against a real server.
// For every answer: no 5xx, no INTERNAL_SERVER_ERROR, nothing that looks like a stack trace or a
// path; every refusal within a SAFETY bound (2 s per operation: the issue's worst cases took 16-29 s;
// this is not a benchmark, the numbers are printed); afterwards the server is alive and its memory is
// back near where it started. Replay a failure with FUZZ_SEED=<seed>.
const SEED = Number(process.env.FUZZ_SEED ?? 0xbeac09);
const HTTP_OPERATIONS = 2000;
const WS_SOCKETS = 24;
const WS_FRAMES_PER_SOCKET = 25;
// A safety bound, not a benchmark: generous for a loaded CI machine, far below the 16-29 s the
// issue's cases took.
const BOUND_MS = 5000;

/**
 * Nothing that looks like a stack frame (`at fn (/file.ts:12:3)`, also JSON-escaped), a file path,
 * a driver message or SQL.
 */
const LEAKS =
  /(\n|\\n)\s+at \S|\bat [\w.<>$]+ \([^)]*:\d+|\/work\/|\/node_modules\/|\.[tj]s:\d+|ECONNREFUSED|<pre>|Cannot (GET|POST|PUT|PATCH|DELETE|OPTIONS) \/|\b(SELECT|INSERT INTO|UPDATE) [a-z_"]+/;

let t: TestBeacon;
let admin: TestClient;
let gc: () => void;

beforeAll(async () => {
  // Everything here comes from 127.0.0.1 at full speed: the per-IP limits are not under test (they
  // are in rate-limits.test.ts); the operation limits, error mapping and graphql-ws guards are.
  t = await startTestBeacon({
    env: {
      BEACON_RATE_HTTP_PER_MINUTE: "1000000",
      BEACON_RATE_WS_CONNECTIONS_PER_MINUTE: "1000000",
      BEACON_RATE_WS_SUBSCRIPTIONS_PER_MINUTE: "1000000",
      BEACON_WS_MAX_PER_ADDRESS: "1000",
    },
  });
  admin = t.admin;
  await admin.ok('mutation { createService(input: { name: "Fuzzed API" }) { id } }');
  v8.setFlagsFromString("--expose-gc");
  gc = vm.runInNewContext("gc") as () => void;
});
afterAll(() => t?.stop());

interface Answer {
  what: string;
  status: number;
  text: string;
  ms: number;
}

async function send(c: HttpCase): Promise<Answer> {
  const headers = { ...c.headers };
  if (c.asAdmin && admin.token) headers.authorization = `Bearer ${admin.token}`;
  const what = `${c.kind}: ${c.method} ${c.path.slice(0, 80)} ${JSON.stringify(c.headers).slice(0, 200)} ${String(c.body ?? "").slice(0, 200)}`;
  const started = performance.now();
  try {
    const body =
      c.body === undefined ? undefined : typeof c.body === "string" ? c.body : new Uint8Array(c.body);
    const res = await fetch(`${t.url}${c.path}`, {
      method: c.method,
      headers,
      body,
      signal: AbortSignal.timeout(3 * BOUND_MS),
    });
    const text = await res.text();
    return { what, status: res.status, text, ms: performance.now() - started };
  } catch (e) {
    // A connection the server dropped without an answer: reported as status 0 (a failure).
    return { what, status: 0, text: String((e as Error).cause ?? e), ms: performance.now() - started };
  }
}

const post = (body: unknown, headers: Record<string, string> = { "content-type": "application/json" }) =>
  send({
    kind: "reproduction",
    method: "POST",
    path: "/graphql",
    headers,
    body: typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });

function expectClean(a: Answer) {
  const at = `${a.what} -> ${a.status} ${a.text.slice(0, 300)}`;
  expect(a.status, at).toBeGreaterThan(0);
  expect(a.status, at).toBeLessThan(500);
  expect(a.text, at).not.toMatch(LEAKS);
  expect(a.text, at).not.toContain("INTERNAL_SERVER_ERROR");
  expect(a.ms, at).toBeLessThan(BOUND_MS);
}

const codeOf = (a: Answer) =>
  (JSON.parse(a.text) as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code;

/** A raw graphql-transport-ws socket. */
function socket(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${t.url.replace("http", "ws")}/graphql`, "graphql-transport-ws");
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}
const closed = (ws: WebSocket) =>
  new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
const message = (ws: WebSocket, match: (m: Record<string, unknown>) => boolean = () => true) =>
  new Promise<Record<string, unknown>>((resolve) => {
    const on = (data: WebSocket.RawData) => {
      const m = JSON.parse(String(data)) as Record<string, unknown>;
      if (!match(m)) return;
      ws.off("message", on);
      resolve(m);
    };
    ws.on("message", on);
  });
async function initialised(params?: unknown): Promise<WebSocket> {
  const ws = await socket();
  const ack = message(ws);
  ws.send(JSON.stringify({ type: "connection_init", payload: params }));
  expect(await ack).toEqual({ type: "connection_ack" });
  return ws;
}

describe("the issue's reproductions get a fast, clear refusal", () => {
  it.each([
    ["the nested fragment bomb", fragmentBomb(), 400, "BAD_USER_INPUT"],
    ["1,000 aliases of statusSummary", aliasBomb(1000, "statusSummary { seq }"), 400, "BAD_USER_INPUT"],
    [
      "300 aliases of uptime(days: 366)",
      aliasBomb(300, "services { uptime(days: 366) { uptimePercent } }"),
      400,
      "BAD_USER_INPUT",
    ],
    [
      "30 aliases of uptime(days: 366)",
      aliasBomb(30, "services { uptime(days: 366) { uptimePercent } }"),
      400,
      "BAD_USER_INPUT",
    ],
    ["a subscription over POST", "subscription { statusChanged { seq } }", 400, "BAD_REQUEST"],
  ])("%s", async (_name, query, status, code) => {
    const a = await post({ query });
    expectClean(a);
    expect(a.status).toBe(status);
    expect(codeOf(a)).toBe(code);
  });

  it.each([
    ["malformed JSON", '{"query": ', { "content-type": "application/json" }, 400],
    [
      "a body over 1 MB",
      JSON.stringify({ query: "{ statusSummary { seq } }", v: "y".repeat(1_100_000) }),
      { "content-type": "application/json" },
      413,
    ],
    [
      "a bad content-encoding",
      "{}",
      { "content-type": "application/json", "content-encoding": "bogus" },
      415,
    ],
    [
      "a lying content-encoding",
      "{}",
      { "content-type": "application/json", "content-encoding": "gzip" },
      400,
    ],
    ["a wrong content type", "{ statusSummary { seq } }", { "content-type": "text/plain" }, 415],
  ])("%s", async (_name, body, headers, status) => {
    const a = await post(body, headers);
    expectClean(a);
    expect(a.status).toBe(status);
    expect(codeOf(a)).toEqual(expect.any(String));
  });

  it("a gzip body is still fine", async () => {
    const a = await post(gzipSync(JSON.stringify({ query: "{ statusSummary { seq } }" })), {
      "content-type": "application/json",
      "content-encoding": "gzip",
    });
    expectClean(a);
    expect(a.status).toBe(200);
  });

  it.each([
    [
      "a NUL in a search",
      "query($s: String) { incidents(filter: { search: $s }) { totalCount } }",
      { s: "\u0000" },
      true,
    ],
    [
      "a NUL in a login",
      'mutation($e: String!) { login(email: $e, password: "x") { token } }',
      { e: "a\u0000" },
      false,
    ],
    [
      "a lone surrogate in a name",
      "mutation($n: String!) { createService(input: { name: $n }) { id } }",
      { n: "bad \udfff" },
      true,
    ],
  ])("%s is BAD_USER_INPUT naming the field", async (_name, query, variables, asAdmin) => {
    const a = await send({
      kind: "reproduction",
      method: "POST",
      path: "/graphql",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query, variables }),
      asAdmin,
    });
    expectClean(a);
    expect(JSON.parse(a.text).errors[0].extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: expect.any(String),
    });
  });

  it("an APQ request with a bad hash is a client error", async () => {
    for (const extensions of [
      { persistedQuery: { version: 1, sha256Hash: "00" } },
      { persistedQuery: { version: 1, sha256Hash: 42 } },
    ]) {
      // Without the query: nothing to run. (With it, the public snapshot may answer the query.)
      const a = await post({ extensions });
      expectClean(a);
      expect(codeOf(a)).toMatch(/^(PERSISTED_QUERY_NOT_FOUND|BAD_REQUEST)$/);
      expectClean(await post({ query: "{ statusSummary { seq } }", extensions }));
    }
  });

  it("a non-string authorization in connection_init closes with 4400 and a clear reason", async () => {
    const ws = await socket();
    const done = closed(ws);
    ws.send(JSON.stringify({ type: "connection_init", payload: { authorization: 42 } }));
    const { code, reason } = await done;
    expect(code).toBe(4400);
    expect(reason).toMatch(/authorization must be a string/);
  });

  it("a bad subscribe on a shared socket errors that operation only; the other subscription stays live", async () => {
    const ws = await initialised();
    ws.send(
      JSON.stringify({
        id: "live",
        type: "subscribe",
        payload: { query: "subscription { statusChanged { seq kind } }" },
      }),
    );
    await new Promise((r) => setTimeout(r, 200));
    const refusals = [];
    for (const [id, query] of [
      ["syntax", "subscription { statusChanged { seq "],
      ["bomb", fragmentBomb()],
      ["nul", 'subscription { statusChanged(since: "\\u0000") { seq } }'],
    ] as const) {
      const reply = message(ws, (m) => m.id === id);
      const started = performance.now();
      ws.send(JSON.stringify({ id, type: "subscribe", payload: { query } }));
      const m = await reply;
      refusals.push(performance.now() - started);
      expect(m.type).toBe("error");
      expect(JSON.stringify(m)).not.toMatch(LEAKS);
    }
    expect(Math.max(...refusals)).toBeLessThan(BOUND_MS);
    const live = message(ws, (m) => m.id === "live");
    await admin.ok('mutation { createService(input: { name: "Still live" }) { id } }');
    expect(await live).toMatchObject({
      type: "next",
      payload: { data: { statusChanged: { kind: "SERVICE_CHANGED" } } },
    });
    ws.close();
  });

  it("a frame over 1 MB closes the socket with 1009 before it is parsed", async () => {
    const ws = await initialised();
    const done = closed(ws);
    ws.send(
      JSON.stringify({
        id: "big",
        type: "subscribe",
        payload: { query: `{ statusSummary { seq } } #${"x".repeat(5_000_000)}` },
      }),
    );
    expect((await done).code).toBe(1009);
  });
});

describe(`a seeded run (seed ${SEED}) of hostile operations`, () => {
  let heapBefore = 0;

  it(`${HTTP_OPERATIONS} hostile HTTP operations: no 5xx, no leak, no internal error, each within ${BOUND_MS} ms`, async () => {
    gc();
    heapBefore = process.memoryUsage().heapUsed;
    const r = prng(SEED);
    const cases = Array.from({ length: HTTP_OPERATIONS }, () => httpCase(r));
    const answers: Answer[] = [];
    // Six clients at a time: hostile load, not a flood.
    let next = 0;
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        while (next < cases.length) answers.push(await send(itemAt(cases, next++)));
      }),
    );
    for (const a of answers) expectClean(a);
    const byStatus = new Map<number, number>();
    for (const a of answers) byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1);
    const slowest = itemAt(
      [...answers].sort((a, b) => b.ms - a.ms),
      0,
    );
    console.log(
      `fuzz HTTP seed=${SEED}: ${answers.length} operations, statuses ${JSON.stringify(Object.fromEntries(byStatus))}, slowest ${slowest.ms.toFixed(0)} ms (${slowest.what})`,
    );
    expect(answers).toHaveLength(HTTP_OPERATIONS);
    // The run exercised both sides: refusals and answers.
    expect(byStatus.get(200) ?? 0).toBeGreaterThan(100);
    expect([...byStatus.keys()].filter((s) => s >= 400).length).toBeGreaterThan(2);
  }, 120_000);

  it(`${WS_SOCKETS * WS_FRAMES_PER_SOCKET} hostile graphql-ws frames: no internal close, no leak, replies within ${BOUND_MS} ms`, async () => {
    const r = prng(SEED + 1);
    const replies: number[] = [];
    const closes: { code: number; reason: string }[] = [];
    const problems: string[] = [];
    let frames = 0;

    const run = async (n: number) => {
      let ws: WebSocket | null = null;
      const sentAt = new Map<string, number>();
      const open = async () => {
        const s = await socket();
        s.on("message", (data) => {
          const text = String(data);
          if (LEAKS.test(text) || text.includes("INTERNAL_SERVER_ERROR"))
            problems.push(`message: ${text.slice(0, 300)}`);
          const m = JSON.parse(text) as { id?: string };
          const at = m.id !== undefined ? sentAt.get(m.id) : undefined;
          if (at !== undefined) {
            replies.push(performance.now() - at);
            sentAt.delete(m.id!);
          }
        });
        s.on("close", (code, reason) => {
          closes.push({ code, reason: reason.toString() });
          if (code === 4500 || code === 1011 || LEAKS.test(reason.toString()))
            problems.push(`close ${code} ${reason}`);
        });
        const ack = message(s).catch(() => null);
        s.send(
          JSON.stringify({
            type: "connection_init",
            payload: r.chance(0.1) ? { authorization: r.pick([7, [], {}, "Bearer junk"]) } : {},
          }),
        );
        await Promise.race([ack, closed(s)]);
        return s;
      };
      for (let i = 0; i < WS_FRAMES_PER_SOCKET; i++) {
        if (!ws || ws.readyState !== ws.OPEN) ws = await open();
        if (ws.readyState !== ws.OPEN) continue;
        const id = `${n}-${i}`;
        const { frame, expectsReply } = wsFrame(r, id);
        if (expectsReply) sentAt.set(id, performance.now());
        ws.send(frame);
        frames++;
        // Give a reply (or a close) a moment; a valid subscription stays silent until an event.
        if (expectsReply) {
          const deadline = performance.now() + 300;
          while (sentAt.has(id) && ws.readyState === ws.OPEN && performance.now() < deadline) {
            await new Promise((res) => setTimeout(res, 5));
          }
        }
      }
      // Anything still unanswered must not be an error that comes late.
      await new Promise((res) => setTimeout(res, BOUND_MS));
      if (ws && ws.readyState === ws.OPEN) {
        const pong = message(ws, (m) => m.type === "pong");
        ws.send(JSON.stringify({ type: "ping" }));
        await pong;
        ws.close();
      }
    };
    await Promise.all(Array.from({ length: WS_SOCKETS }, (_, n) => run(n)));
    const closeCodes: Record<number, number> = {};
    for (const c of closes) closeCodes[c.code] = (closeCodes[c.code] ?? 0) + 1;
    console.log(
      `fuzz graphql-ws seed=${SEED + 1}: ${frames} frames, ${replies.length} replies (slowest ${Math.max(0, ...replies).toFixed(0)} ms), closes ${JSON.stringify(closeCodes)}`,
    );
    expect(problems).toEqual([]);
    expect(frames).toBeGreaterThan(WS_SOCKETS * WS_FRAMES_PER_SOCKET * 0.8);
    expect(replies.length).toBeGreaterThan(50);
    expect(Math.max(...replies)).toBeLessThan(BOUND_MS);
  }, 90_000);

  it("afterwards the server is alive and its memory is back near where it started", async () => {
    const d = await t.anon.ok<{ statusSummary: { seq: string } }>("{ statusSummary { seq } }");
    expect(d.statusSummary.seq).toMatch(/^\d+$/);
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    const ws = await initialised();
    ws.close();
    gc();
    const growth = process.memoryUsage().heapUsed - heapBefore;
    console.log(
      `fuzz memory: heap ${((heapBefore + growth) / 2 ** 20).toFixed(0)} MB, ${(growth / 2 ** 20).toFixed(1)} MB more than before the run`,
    );
    // Generous: the issue's 1,000 uptime aliases grew the process to 1.4 GB and kept it.
    expect(growth).toBeLessThan(150 * 2 ** 20);
  });
});
