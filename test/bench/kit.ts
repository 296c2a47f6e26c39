/**
 * Shared by the floor benchmarks (floors.bench.ts): the database, Beacon and the floors in child
 * processes, GraphQL calls, seeding a status page, and the "figure beside its floor" table.
 */
import { type ChildProcess, fork } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startEmbeddedPostgres } from "../../server/db/embedded";
import { createLogger } from "../../server/kernel/log";
import { freshDatabase } from "../support/databases";
import { itemAt } from "../support/item-at";
import type { Answer, Ask, FloorRoute, Memory } from "./ipc";

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const WEB_DIST = path.resolve(HERE, "../../web/dist");
export const ADMIN = { email: "bench@beacon.local", password: "bench-password-1" };

/** A whole number from the environment, or the default. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name}="${raw}" must be a whole number`);
  return n;
}

export function envList(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const list = raw.split(",").map((s) => Number(s.trim()));
  if (list.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error(`${name}="${raw}" must be whole numbers separated by commas`);
  }
  return list;
}

export interface BenchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh database on TEST_DATABASE_URL's server, or an embedded PostgreSQL of its own. */
export async function benchDatabase(): Promise<BenchDatabase> {
  if (process.env.TEST_DATABASE_URL) return freshDatabase(process.env.TEST_DATABASE_URL);
  return embeddedDatabase();
}

/** An embedded PostgreSQL in a temporary directory (the database-stopped bench signals it). */
export async function embeddedDatabase(): Promise<BenchDatabase & { dataDir: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "beacon-bench-pg-"));
  fs.chmodSync(dataDir, 0o755);
  const pg = await startEmbeddedPostgres(dataDir, createLogger("warn"));
  return {
    url: pg.url,
    dataDir,
    async drop() {
      await pg.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A child process answering `Ask`s (beacon-child.ts, floor-servers.ts). */
export class Child {
  private next = 1;
  private readonly pending = new Map<number, { resolve(a: Answer): void; reject(e: Error): void }>();
  readonly port: Promise<number>;

  private constructor(readonly process: ChildProcess) {
    this.port = new Promise((resolve, reject) => {
      process.on("message", (m: Answer) => {
        if (m.type === "ready") return resolve(m.port);
        const id = m.id;
        const waiting = id === undefined ? undefined : this.pending.get(id);
        if (m.type === "failed") {
          const error = new Error(m.message);
          if (waiting) waiting.reject(error);
          else reject(error);
        } else waiting?.resolve(m);
        if (id !== undefined) this.pending.delete(id);
      });
      process.on("exit", (code) => {
        const error = new Error(`child process exited (${code})`);
        reject(error);
        for (const w of this.pending.values()) w.reject(error);
        this.pending.clear();
      });
    });
  }

  static fork(script: string, args: string[], env: NodeJS.ProcessEnv): Child {
    // BENCH_PROFILE_DIR: each server process writes a CPU profile there when it stops (for DevTools).
    const profile = process.env.BENCH_PROFILE_DIR
      ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(process.env.BENCH_PROFILE_DIR)}`]
      : [];
    return new Child(
      fork(path.join(HERE, script), args, {
        execArgv: ["--expose-gc", ...profile, "--import", "tsx"],
        env,
        stdio: "inherit",
      }),
    );
  }

  ask(type: Exclude<Ask["type"], "routes" | "heapSnapshot">): Promise<Extract<Answer, { type: "answer" }>>;
  ask(type: "routes", routes: FloorRoute[]): Promise<Extract<Answer, { type: "answer" }>>;
  ask(type: "heapSnapshot", file: string): Promise<Extract<Answer, { type: "answer" }>>;
  ask(type: Ask["type"], arg?: FloorRoute[] | string): Promise<Extract<Answer, { type: "answer" }>> {
    const id = this.next++;
    const message: Ask =
      type === "routes"
        ? { id, type, routes: arg as FloorRoute[] }
        : type === "heapSnapshot"
          ? { id, type, file: arg as string }
          : { id, type };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (a: Answer) => void, reject });
      this.process.send(message);
    });
  }

  async memory(): Promise<Memory> {
    // A moment for sockets and timers to settle before the collection.
    await new Promise((r) => setTimeout(r, 500));
    return (await this.ask("memory")).memory!;
  }

  /** CPU milliseconds (user + system) the process has used so far. */
  async cpuMs(): Promise<number> {
    const { user, system } = (await this.ask("cpu")).cpu!;
    return (user + system) / 1000;
  }

  async stop(): Promise<void> {
    if (this.process.exitCode !== null || !this.process.connected) return;
    const exited = new Promise((r) => this.process.once("exit", r));
    await this.ask("stop").catch(() => {});
    await exited;
  }
}

export interface RunningBeacon {
  child: Child;
  url: string;
  pid: number;
}

/**
 * Beacon as deployed (the Docker image: NODE_ENV=production, the built web app for the
 * server-rendered page), in a child process, with the per-address WebSocket cap and the per-IP
 * rate limits lifted (every bench client comes from 127.0.0.1). `NODE_ENV=development npm run bench` measures `npm run dev`'s mode (`npm start` sets production).
 */
export async function startBeaconChild(
  databaseUrl: string,
  env: NodeJS.ProcessEnv = {},
): Promise<RunningBeacon> {
  const child = Child.fork("beacon-child.ts", [], {
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? "production",
    PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_URL: databaseUrl,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: "warn",
    BEACON_DEMO: "0",
    BEACON_WEB_DIR: WEB_DIST,
    BEACON_WS_MAX_PER_ADDRESS: "100000",
    // Every bench client is 127.0.0.1: the per-IP limits still count (their cost is measured) but
    // never refuse (config.ts's largest values).
    BEACON_RATE_HTTP_PER_MINUTE: "100000000",
    BEACON_RATE_WS_CONNECTIONS_PER_MINUTE: "100000000",
    BEACON_RATE_WS_SUBSCRIPTIONS_PER_MINUTE: "100000000",
    ...env,
  });
  const port = await child.port;
  return { child, url: `http://127.0.0.1:${port}`, pid: child.process.pid! };
}

export async function startFloor(
  kind: "http" | "ws" | "graphql",
  databaseUrl?: string,
): Promise<{ child: Child; url: string; pid: number }> {
  const child = Child.fork("floor-servers.ts", databaseUrl ? [kind, databaseUrl] : [kind], process.env);
  const port = await child.port;
  return { child, url: `http://127.0.0.1:${port}`, pid: child.process.pid! };
}

export async function gql<T>(
  url: string,
  token: string | null,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data as T;
}

export async function login(url: string): Promise<string> {
  const { login } = await gql<{ login: { token: string } }>(
    url,
    null,
    "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
    { e: ADMIN.email, p: ADMIN.password },
  );
  return login.token;
}

export const SET_STATUS =
  "mutation($id: ID!, $s: ServiceStatus!) { setServiceStatus(serviceId: $id, status: $s) { status } }";
export const STATUSES = ["MAJOR_OUTAGE", "PARTIAL_OUTAGE", "DEGRADED_PERFORMANCE", "OPERATIONAL"];

export interface Seeded {
  serviceIds: string[];
  incidentId: string;
  incidentVersion: number;
}

/**
 * A status page as people see one during an incident: six services in two groups, one degraded,
 * one public incident with two public updates. Made through the API, history and events included.
 */
export async function seedStatusPage(url: string, token: string): Promise<Seeded> {
  const serviceIds: string[] = [];
  const names = ["Website", "API", "Checkout", "Search", "Email notifications", "Reporting"];
  for (const [i, name] of names.entries()) {
    const { createService } = await gql<{ createService: { id: string } }>(
      url,
      token,
      "mutation($i: CreateServiceInput!) { createService(input: $i) { id } }",
      {
        i: {
          name,
          group: i < 4 ? "Customer-facing" : "Back office",
          description: `The ${name.toLowerCase()} as customers use it`,
        },
      },
    );
    serviceIds.push(createService.id);
  }
  await gql(url, token, SET_STATUS, { id: serviceIds[5], s: "DEGRADED_PERFORMANCE" });
  const { openIncident } = await gql<{ openIncident: { id: string } }>(
    url,
    token,
    "mutation($i: OpenIncidentInput!) { openIncident(input: $i) { id } }",
    {
      i: {
        title: "Checkout payments failing for some cards",
        description: "Card payments through one provider time out.",
        impact: "HIGH",
        urgency: "HIGH",
        public: true,
        serviceIds: [serviceIds[2]],
      },
    },
  );
  for (const [status, message] of [
    ["INVESTIGATING", "We are investigating failed card payments at checkout."],
    ["IDENTIFIED", "A payment provider is timing out; we are routing payments around it."],
  ]) {
    await gql(
      url,
      token,
      "mutation($id: ID!, $m: String!, $s: PublicStatus!) { postPublicUpdate(incidentId: $id, message: $m, status: $s) { id } }",
      { id: openIncident.id, m: message, s: status },
    );
  }
  const { incident } = await gql<{ incident: { version: number } }>(
    url,
    token,
    "query($id: ID!) { incident(id: $id) { version } }",
    { id: openIncident.id },
  );
  return { serviceIds, incidentId: openIncident.id, incidentVersion: incident.version };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  // p = 0 asks for index -1: no rank, so no figure (NaN), never the wrapped-around maximum.
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** One line of a section's table: a figure of Beacon's beside its floor, measured in the same run. */
export interface Row {
  figure: string;
  beacon: string;
  floor: string;
  /** Beacon / floor, as the goal states it (e.g. "0.42x"); empty when not a ratio. */
  ratio: string;
  goal: string;
  /** Whether the goal is met; null when the row has no goal. */
  met: boolean | null;
}

export const fmt = (x: number | null, digits = 1) =>
  x === null || !Number.isFinite(x)
    ? "n/a"
    : x >= 1000
      ? Math.round(x).toLocaleString("en-US")
      : x.toFixed(x >= 100 ? 0 : digits);
export const ratio = (a: number, b: number) => {
  const r = a / b;
  if (!Number.isFinite(r) || r < 0) return "n/a";
  return `${r < 0.1 ? r.toPrecision(2) : r.toFixed(2)}x`;
};

/** A markdown table, so a run can be pasted into docs/performance.md as it is. */
export function table(rows: Row[]): string {
  const head = ["figure", "Beacon", "floor", "ratio", "goal", "met"];
  const lines = rows.map((r) => [
    r.figure,
    r.beacon,
    r.floor,
    r.ratio,
    r.goal,
    r.met === null ? "" : r.met ? "yes" : "NO",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => itemAt(l, i).length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 || i === 4 ? c.padEnd(itemAt(widths, i)) : c.padStart(itemAt(widths, i)))).join(" | ")} |`;
  const rule = `| ${widths.map((w, i) => (i === 0 || i === 4 ? "-".repeat(w) : `${"-".repeat(w - 1)}:`)).join(" | ")} |`;
  return [line(head), rule, ...lines.map(line)].join("\n");
}

export function printSection(title: string, rows: Row[], notes: string[] = []): void {
  console.log(`\n### ${title}\n\n${table(rows)}\n`);
  for (const n of notes) console.log(n);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const kb = (bytes: number) => bytes / 1024;
