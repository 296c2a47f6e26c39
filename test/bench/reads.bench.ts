/**
 * Public reads beside a static floor: autocannon (32 connections, loopback, `accept-encoding:
 * gzip, br`) against Beacon, then against a bare `node:http` server repeating Beacon's own response
 * (same status, headers and compressed bytes), one right after the other for each read.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import autocannon from "autocannon";
import { documentText } from "../../web/src/graphql";
import { STATUS_PAGE_QUERY } from "../../web/src/status-page/queries";
import type { FloorRoute } from "./ipc";
import {
  type BenchDatabase,
  envInt,
  fmt,
  printSection,
  type Row,
  ratio,
  startBeaconChild,
  startFloor,
  WEB_DIST,
} from "./kit";

export const ACCEPT_ENCODING = "gzip, br";
const CONNECTIONS = 32;

export interface Read {
  name: string;
  method: "GET" | "POST";
  /** Path and query. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** The status page's own query, exactly as the browser POSTs it (web/src/graphql-client.ts). */
const STATUS_PAGE_BODY = JSON.stringify({ query: documentText(STATUS_PAGE_QUERY), variables: {} });
const STATUS_PAGE_HASH = createHash("sha256").update(documentText(STATUS_PAGE_QUERY)).digest("hex");
const APQ = encodeURIComponent(
  JSON.stringify({ persistedQuery: { version: 1, sha256Hash: STATUS_PAGE_HASH } }),
);

export const READS: Read[] = [
  { name: "GET /api/v2/summary.json", method: "GET", path: "/api/v2/summary.json", headers: {} },
  { name: "GET / (server-rendered page)", method: "GET", path: "/", headers: {} },
  {
    name: "POST /graphql StatusPage",
    method: "POST",
    path: "/graphql",
    headers: { "content-type": "application/json" },
    body: STATUS_PAGE_BODY,
  },
  { name: "GET /graphql StatusPage (APQ)", method: "GET", path: `/graphql?extensions=${APQ}`, headers: {} },
];

/** Registers the status page's query hash (automatic persisted queries: document and hash once). */
export async function registerPersistedQuery(url: string): Promise<void> {
  const res = await fetch(
    `${url}/graphql?query=${encodeURIComponent(documentText(STATUS_PAGE_QUERY))}&extensions=${APQ}`,
  );
  await res.arrayBuffer();
}

export interface Raw {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** One request, body left compressed as it came. */
export function rawRequest(base: string, read: Read): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${base}${read.path}`,
      { method: read.method, headers: { ...read.headers, "accept-encoding": ACCEPT_ENCODING } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) {
            if (typeof v === "string") headers[k] = v;
          }
          resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
        });
      },
    );
    req.on("error", reject);
    req.end(read.body);
  });
}

export interface Load {
  reqPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

export async function load(base: string, read: Read, seconds: number): Promise<Load> {
  const r = await autocannon({
    url: `${base}${read.path}`,
    method: read.method,
    headers: { ...read.headers, "accept-encoding": ACCEPT_ENCODING },
    body: read.body,
    connections: CONNECTIONS,
    duration: seconds,
  });
  return {
    reqPerSec: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
  };
}

/** Node adds these itself to every response, floor and Beacon alike. */
const PER_CONNECTION = new Set(["date", "connection", "keep-alive", "transfer-encoding"]);

export const describeLoad = (l: Load) =>
  `${fmt(l.reqPerSec)} req/s, p50 ${l.p50} ms, p99 ${l.p99} ms` +
  (l.non2xx || l.errors || l.timeouts
    ? `, ${l.non2xx} non-2xx, ${l.errors} errors, ${l.timeouts} timeouts`
    : "");

export async function runReadsBench(db: BenchDatabase): Promise<Row[]> {
  if (!fs.existsSync(path.join(WEB_DIST, "index.html"))) {
    throw new Error("the web app is not built: run `npm run build:web` first (GET / renders it)");
  }
  const seconds = envInt("BENCH_READ_SECONDS", 10);
  const warmup = Math.max(1, Math.round(seconds / 5));
  console.log(
    `\nreads: autocannon ${CONNECTIONS} connections, ${warmup} s warm-up + ${seconds} s per target, accept-encoding "${ACCEPT_ENCODING}"`,
  );
  const beacon = await startBeaconChild(db.url);
  const floor = await startFloor("http");
  const rows: Row[] = [];
  try {
    await registerPersistedQuery(beacon.url);
    await beacon.child.ask("caughtUp");
    const captured = new Map<Read, Raw>();
    const routes: FloorRoute[] = [];
    for (const read of READS) {
      const raw = await rawRequest(beacon.url, read);
      if (raw.status !== 200 || !raw.headers["x-beacon-snapshot-seq"]) {
        throw new Error(`${read.name}: expected a 200 from the snapshot, got ${raw.status}`);
      }
      captured.set(read, raw);
      const headers = Object.fromEntries(Object.entries(raw.headers).filter(([k]) => !PER_CONNECTION.has(k)));
      routes.push({
        key: `${read.method} ${read.path}`,
        status: raw.status,
        headers,
        body: raw.body.toString("base64"),
      });
    }
    await floor.child.ask("routes", routes);
    for (const read of READS) {
      const raw = captured.get(read)!;
      const floorRaw = await rawRequest(floor.url, read);
      if (!floorRaw.body.equals(raw.body)) throw new Error(`${read.name}: the floor answers other bytes`);
      await load(beacon.url, read, warmup);
      const b = await load(beacon.url, read, seconds);
      await load(floor.url, read, warmup);
      const f = await load(floor.url, read, seconds);
      console.log(
        `  ${read.name} (${raw.headers["content-encoding"] ?? "identity"}, ${raw.body.length} bytes): ` +
          `Beacon ${describeLoad(b)}; floor ${describeLoad(f)}`,
      );
      const clean = b.non2xx === 0 && b.errors === 0 && b.timeouts === 0;
      rows.push(
        {
          figure: `${read.name}: req/s`,
          beacon: fmt(b.reqPerSec),
          floor: fmt(f.reqPerSec),
          ratio: ratio(b.reqPerSec, f.reqPerSec),
          goal: ">= 0.7x",
          met: clean && b.reqPerSec / f.reqPerSec >= 0.7,
        },
        {
          figure: `${read.name}: p50 / p99 ms`,
          beacon: `${b.p50} / ${b.p99}`,
          floor: `${f.p50} / ${f.p99}`,
          ratio: ratio(b.p99, Math.max(f.p99, 1)),
          goal: "",
          met: null,
        },
      );
    }
  } finally {
    await beacon.child.stop();
    await floor.child.stop();
  }
  printSection("Public reads (ratio: Beacon / bare node:http, same bytes)", rows, [
    "p99 ratio: Beacon's p99 over the floor's (at least 1 ms). A read's goal counts as met only without non-2xx, errors or timeouts.",
  ]);
  return rows;
}
