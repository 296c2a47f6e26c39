import { itemAt } from "../support/item-at";
/**
 * Fan-out benchmark: N anonymous graphql-ws subscribers of the status page's own `statusChanged`
 * operation, K status changes, with shared fan-out OFF (BEACON_SHARED_FANOUT=0, one execution and
 * one JSON.stringify per subscriber per event) and ON (one of each per event), in the same run.
 *
 * The server runs in this process (so process.cpuUsage() is its CPU time; nothing else runs here
 * while measuring but the K mutation requests, the same in both modes); the subscribers run in a
 * child process (fanout-clients.ts). Prints absolute numbers and the OFF/ON ratio; asserts no timing.
 *
 *   TEST_DATABASE_URL=postgres://... BENCH_SECTIONS=shared npm run bench   (or without it: embedded)
 *   BENCH_SUBSCRIBERS=1000,3000 BENCH_EVENTS=20 BENCH_SECTIONS=shared npm run bench
 */
import "reflect-metadata";
import { type ChildProcess, fork } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type StartedBeacon, startBeacon } from "../../server/app/beacon";
import { startEmbeddedPostgres } from "../../server/db/embedded";
import { loadConfig } from "../../server/kernel/config";
import { createLogger } from "../../server/kernel/log";
// The status page's own subscription, as every visitor sends it.
import { documentText } from "../../web/src/graphql";
import { STATUS_CHANGED as STATUS_CHANGED_DOCUMENT } from "../../web/src/status-page/queries";
import { freshDatabase } from "../support/databases";
import type { FromClients, ToClients } from "./fanout-clients";

/** The status page's own subscription, as the browser sends it. */
const STATUS_CHANGED = documentText(STATUS_CHANGED_DOCUMENT);

const ADMIN = { email: "bench@beacon.local", password: "bench-password-1" };
const STATUSES = ["MAJOR_OUTAGE", "PARTIAL_OUTAGE", "DEGRADED_PERFORMANCE", "OPERATIONAL"];
const WARMUP_EVENTS = 10;

export interface BenchRow {
  subscribers: number;
  shared: boolean;
  events: number;
  connectMs: number;
  /** First mutation sent -> every subscriber has every event. */
  allDeliveredMs: number;
  /** Per event: its mutation sent -> the last subscriber has it. */
  latencyP50Ms: number;
  latencyMaxMs: number;
  /** Server process CPU (user + system) over the measured window, per event. */
  cpuPerEventMs: number;
  /** The subscriber process's CPU over the same window, per event (same work in both modes). */
  clientCpuPerEventMs: number;
  executionsPerEvent: number;
  problems: string[];
}

const EMPTY_ROW: BenchRow = {
  subscribers: 0,
  shared: true,
  events: 0,
  connectMs: 0,
  allDeliveredMs: 0,
  latencyP50Ms: 0,
  latencyMaxMs: 0,
  cpuPerEventMs: 0,
  clientCpuPerEventMs: 0,
  executionsPerEvent: 0,
  problems: [],
};

class Clients {
  private readonly child: ChildProcess;
  private waiting: ((m: FromClients) => void) | null = null;
  /** Called (once) when the subscriber process says every event reached every subscriber. */
  onDelivered: ((clientCpuMs: number) => void) | null = null;

  constructor() {
    const script = path.join(path.dirname(fileURLToPath(import.meta.url)), "fanout-clients.ts");
    this.child = fork(script, [], { execArgv: ["--import", "tsx"], stdio: "inherit" });
    this.child.on("message", (m: FromClients) => {
      if (m.type === "delivered") {
        this.onDelivered?.(m.cpuMs);
        this.onDelivered = null;
        return;
      }
      const w = this.waiting;
      this.waiting = null;
      w?.(m);
    });
  }

  ask<T extends FromClients["type"]>(m: ToClients, answer: T): Promise<Extract<FromClients, { type: T }>> {
    return new Promise((resolve, reject) => {
      this.waiting = (r) => {
        if (r.type === answer) resolve(r as Extract<FromClients, { type: T }>);
        else reject(new Error(`subscriber process: ${r.type === "failed" ? r.message : r.type}`));
      };
      this.child.send(m);
    });
  }

  stop(): void {
    this.child.disconnect();
  }
}

async function gql<T>(url: string, token: string | null, query: string, variables = {}): Promise<T> {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data as T;
}

async function startServer(databaseUrl: string, shared: boolean): Promise<StartedBeacon> {
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_URL: databaseUrl,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: "warn",
    BEACON_DEMO: "0",
    BEACON_WEB_DIR: "/nonexistent",
    BEACON_SHARED_FANOUT: shared ? "1" : "0",
    // Thousands of subscribers from 127.0.0.1: lift the per-address socket cap (ws-guard.ts) and
    // the per-IP rate limits (request-limits.ts).
    BEACON_WS_MAX_PER_ADDRESS: "100000",
    BEACON_RATE_WS_CONNECTIONS_PER_MINUTE: "100000000",
    BEACON_RATE_WS_SUBSCRIPTIONS_PER_MINUTE: "100000000",
    BEACON_RATE_HTTP_PER_MINUTE: "100000000",
  });
  return startBeacon(config, createLogger(config.logLevel));
}

async function until(what: string, cond: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const ms = (ns: bigint) => Number(ns) / 1e6;

function item<T>(list: readonly T[], i: number): T {
  const value = list[i];
  if (value === undefined) throw new Error(`no measurement at ${i} of ${list.length}`);
  return value;
}

async function measure(databaseUrl: string, clients: Clients, n: number, k: number, shared: boolean) {
  const started = await startServer(databaseUrl, shared);
  try {
    const url = `http://127.0.0.1:${started.server.port}`;
    const { login } = await gql<{ login: { token: string } }>(
      url,
      null,
      "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
      { e: ADMIN.email, p: ADMIN.password },
    );
    const token = login.token;
    const { services } = await gql<{ services: { id: string }[] }>(url, null, "{ services { id } }");
    const serviceId =
      services[0]?.id ??
      (
        await gql<{ createService: { id: string } }>(
          url,
          token,
          'mutation { createService(input: { name: "Bench API" }) { id } }',
        )
      ).createService.id;
    let next = 0;
    const fire = async (count: number) => {
      const sentAt: bigint[] = [];
      for (let i = 0; i < count; i++) {
        sentAt.push(process.hrtime.bigint());
        await gql(
          url,
          token,
          "mutation($id: ID!, $s: ServiceStatus!) { setServiceStatus(serviceId: $id, status: $s) { status } }",
          { id: serviceId, s: STATUSES[next++ % STATUSES.length] },
        );
      }
      return sentAt;
    };

    const hub = started.beacon.hub;
    if (n === 0) {
      // What an event costs the server without any subscriber: the mutation, commit, NOTIFY, pump.
      await fire(WARMUP_EVENTS);
      await hub.drain();
      const cpu0 = process.cpuUsage();
      await fire(k);
      await hub.drain();
      const { user, system } = process.cpuUsage(cpu0);
      return { ...EMPTY_ROW, shared, events: k, cpuPerEventMs: (user + system) / 1000 / k };
    }
    const { ms: connectMs } = await clients.ask(
      { type: "connect", wsUrl: `${url.replace("http", "ws")}/graphql`, n, query: STATUS_CHANGED },
      "connected",
    );
    await until(`${n} subscriptions`, () => hub.subscriberCount >= n, 60_000);

    // Warm-up (JIT, caches, connections), not measured.
    const warm = clients.ask({ type: "expect", k: WARMUP_EVENTS }, "received");
    await fire(WARMUP_EVENTS);
    await warm;

    const executionsBefore = hub.fanout.executions;
    let cpu: NodeJS.CpuUsage | null = null;
    const cpu0 = process.cpuUsage();
    let clientCpuMs = 0;
    clients.onDelivered = (c) => {
      cpu = process.cpuUsage(cpu0);
      clientCpuMs = c;
    };
    const received = clients.ask({ type: "expect", k }, "received");
    const sentAt = await fire(k);
    const r = await received;
    if (!cpu) throw new Error("the subscriber process never reported delivery");
    const { user, system } = cpu as NodeJS.CpuUsage;
    const lastAt = r.lastAt.map(BigInt);
    if (lastAt.length !== k || sentAt.length !== k) {
      throw new Error(`expected ${k} sent and received times, got ${sentAt.length} and ${lastAt.length}`);
    }
    const latencies = lastAt.map((at, i) => ms(at - item(sentAt, i))).sort((a, b) => a - b);
    const row: BenchRow = {
      subscribers: n,
      shared,
      events: k,
      connectMs,
      allDeliveredMs: ms(
        item(
          [...lastAt].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
          k - 1,
        ) - item(sentAt, 0),
      ),
      latencyP50Ms: item(latencies, Math.floor(latencies.length / 2)),
      latencyMaxMs: item(latencies, latencies.length - 1),
      cpuPerEventMs: (user + system) / 1000 / k,
      clientCpuPerEventMs: clientCpuMs / k,
      executionsPerEvent: (hub.fanout.executions - executionsBefore) / k,
      problems: r.problems,
    };
    await clients.ask({ type: "close" }, "closed");
    return row;
  } finally {
    await started.stop();
  }
}

function table(rows: BenchRow[], idleCpuPerEventMs: number): string {
  const head = [
    "subscribers",
    "fan-out",
    "events",
    "all delivered ms",
    "latency p50 ms",
    "latency max ms",
    "server CPU ms/event",
    "of it fan-out",
    "executions/event",
    "check",
  ];
  const lines: string[][] = [];
  const f = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
  for (const n of [...new Set(rows.map((r) => r.subscribers))]) {
    const off = rows.find((r) => r.subscribers === n && !r.shared);
    const on = rows.find((r) => r.subscribers === n && r.shared);
    for (const r of [off, on]) {
      if (!r) continue;
      lines.push([
        String(n),
        r.shared ? "shared (on)" : "per subscriber (off)",
        String(r.events),
        f(r.allDeliveredMs),
        f(r.latencyP50Ms),
        f(r.latencyMaxMs),
        f(r.cpuPerEventMs),
        f(r.cpuPerEventMs - idleCpuPerEventMs),
        f(r.executionsPerEvent),
        r.problems.length ? "FAILED" : "ok",
      ]);
    }
    if (off && on) {
      const x = (a: number, b: number) => `${(a / b).toFixed(1)}x`;
      lines.push([
        String(n),
        "ratio off/on",
        "",
        x(off.allDeliveredMs, on.allDeliveredMs),
        x(off.latencyP50Ms, on.latencyP50Ms),
        x(off.latencyMaxMs, on.latencyMaxMs),
        x(off.cpuPerEventMs, on.cpuPerEventMs),
        x(off.cpuPerEventMs - idleCpuPerEventMs, on.cpuPerEventMs - idleCpuPerEventMs),
        x(off.executionsPerEvent, on.executionsPerEvent),
        "",
      ]);
    }
  }
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => itemAt(l, i).length)));
  const row = (cells: string[]) =>
    `| ${cells.map((c, i) => (i < 2 ? c.padEnd(itemAt(widths, i)) : c.padStart(itemAt(widths, i)))).join(" | ")} |`;
  return [row(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...lines.map(row)].join("\n");
}

export async function runFanoutBench(): Promise<BenchRow[]> {
  const sizes = (process.env.BENCH_SUBSCRIBERS ?? "1000,3000").split(",").map((s) => Number(s.trim()));
  const k = Number(process.env.BENCH_EVENTS ?? 20);
  if (sizes.some((s) => !Number.isInteger(s) || s < 1 || s > 10_000) || !Number.isInteger(k) || k < 1) {
    throw new Error("BENCH_SUBSCRIBERS must be whole numbers from 1 to 10000, BENCH_EVENTS a whole number");
  }

  let databaseUrl: string;
  let cleanup: () => Promise<void>;
  if (process.env.TEST_DATABASE_URL) {
    const db = await freshDatabase(process.env.TEST_DATABASE_URL);
    databaseUrl = db.url;
    cleanup = db.drop;
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "beacon-bench-pg-"));
    fs.chmodSync(dir, 0o755);
    const pg = await startEmbeddedPostgres(dir, createLogger("warn"));
    databaseUrl = pg.url;
    cleanup = async () => {
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    };
  }

  const clients = new Clients();
  const rows: BenchRow[] = [];
  const t0 = performance.now();
  console.log(
    `fan-out benchmark: ${sizes.join(" and ")} anonymous subscribers, ${k} status changes each, ` +
      `node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"})`,
  );
  let idle = EMPTY_ROW;
  try {
    idle = await measure(databaseUrl, clients, 0, k, true);
    console.log(
      `  no subscribers: ${idle.cpuPerEventMs.toFixed(1)} ms server CPU/event (mutation, commit, pump)`,
    );
    for (const n of sizes) {
      for (const shared of [false, true]) {
        const row = await measure(databaseUrl, clients, n, k, shared);
        console.log(
          `  ${n} subscribers, ${shared ? "shared" : "per subscriber"}: ${row.allDeliveredMs.toFixed(0)} ms, ` +
            `${row.cpuPerEventMs.toFixed(1)} ms server CPU/event, ` +
            `${row.clientCpuPerEventMs.toFixed(1)} ms subscriber-process CPU/event, connect ${row.connectMs.toFixed(0)} ms` +
            (row.problems.length ? `, PROBLEMS: ${row.problems.join("; ")}` : ""),
        );
        rows.push(row);
      }
    }
  } finally {
    clients.stop();
    await cleanup();
  }
  console.log(`\n${table(rows, idle.cpuPerEventMs)}\n`);
  console.log(
    "all delivered: first mutation sent until every subscriber had all events; latency: one event's\n" +
      "mutation sent until its last subscriber had it; server CPU: user+system of the server process;\n" +
      `of it fan-out: minus the ${idle.cpuPerEventMs.toFixed(1)} ms an event costs with no subscriber.\n` +
      `total ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
  if (rows.some((r) => r.problems.length)) process.exitCode = 1;
  return rows;
}
