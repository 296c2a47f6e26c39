import { type ChildProcess, spawn } from "node:child_process";
import { freePort } from "../../server/db/embedded";
import type { Clock } from "../../server/kernel/clock";
import { ADMIN, startTestBeacon, type TestBeacon, TestClient } from "./harness";

// Shared set-up for tests that run several Beacon instances on one database: in-process instances
// (timers across restarts) and a Beacon child process (killed with SIGKILL mid-work).

/** Polls `cond` every `everyMs` until it holds; throws after `timeoutMs`. */
export async function until(
  what: string,
  cond: () => boolean | Promise<boolean>,
  timeoutMs = 60_000,
  everyMs = 200,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export type InstanceOptions = { databaseUrl?: string; clock?: Clock; env?: Record<string, string> };

/**
 * In-process Beacons started with `defaults` (env merged per start). `stop` stops one (without
 * dropping its database); call `stopAll` in afterAll: it stops the rest, newest first (the first
 * instance owns the database).
 */
export function instances(defaults: InstanceOptions = {}) {
  const running: TestBeacon[] = [];
  return {
    async start(opts: InstanceOptions = {}): Promise<TestBeacon> {
      const t = await startTestBeacon({ ...defaults, ...opts, env: { ...defaults.env, ...opts.env } });
      running.push(t);
      return t;
    },
    async stop(t: TestBeacon): Promise<void> {
      running.splice(running.indexOf(t), 1);
      await t.started.stop();
    },
    async stopAll(): Promise<void> {
      for (const t of running.reverse()) await t.started.stop();
    },
  };
}

export type BeaconProcess = {
  child: ChildProcess;
  url: string;
  /** Resolves once the child listens; throws with its output if it exits first. */
  listening(timeoutMs?: number, everyMs?: number): Promise<void>;
};

/** Spawns `server/main.ts` as a child process on `databaseUrl` (admin ADMIN, no demo, no web). */
export async function spawnBeacon(databaseUrl: string, env: Record<string, string>): Promise<BeaconProcess> {
  const port = await freePort();
  let out = "";
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: databaseUrl,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      BEACON_DEMO: "0",
      LOG_LEVEL: "info",
      BEACON_WEB_DIR: "/nonexistent",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    listening: (timeoutMs, everyMs) =>
      until(
        "the child to listen",
        () => {
          if (child.exitCode !== null) throw new Error(`Beacon exited (${child.exitCode}):\n${out}`);
          return out.includes("Beacon is listening");
        },
        timeoutMs,
        everyMs,
      ),
  };
}

/** A client on `url` logged in as ADMIN. */
export async function adminClient(url: string): Promise<TestClient> {
  const anon = new TestClient(url);
  const token = (
    await anon.ok<{ login: { token: string } }>(
      "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
      { e: ADMIN.email, p: ADMIN.password },
    )
  ).login.token;
  return anon.as(token);
}
