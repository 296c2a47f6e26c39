import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../server/db/embedded";
import { TestClient } from "../support/harness";
import { createService, setServiceStatus } from "../support/incidents";

/**
 * Beacon as a user runs it: `server/main.ts` in its own process with the embedded PostgreSQL,
 * stopped gracefully, restarted on the same data, hard-killed and restarted again.
 */
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "beacon-restart-"));
fs.chmodSync(dataDir, 0o755);
const ADMIN = { email: "owner@restart.local", password: "restart-password" };

interface Proc {
  child: ChildProcess;
  output: () => string;
  url: string;
}

async function launch(env: Record<string, string> = {}): Promise<Proc> {
  const port = await freePort();
  let out = "";
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      BEACON_DATA_DIR: dataDir,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      DATABASE_URL: "",
      LOG_LEVEL: "info",
      BEACON_WEB_DIR: "/nonexistent",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  return { child, output: () => out, url: `http://127.0.0.1:${port}` };
}

async function listening(p: Proc, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!p.output().includes("Beacon is listening")) {
    if (p.child.exitCode !== null) throw new Error(`Beacon exited (${p.child.exitCode}):\n${p.output()}`);
    if (Date.now() > deadline) throw new Error(`Beacon did not start:\n${p.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const exited = (p: Proc) =>
  new Promise<number | null>((resolve) => {
    if (p.child.exitCode !== null) resolve(p.child.exitCode);
    else p.child.once("exit", (code) => resolve(code));
  });

async function signIn(url: string): Promise<TestClient> {
  const anon = new TestClient(url);
  const d = await anon.ok<{ login: { token: string } }>(
    "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
    { e: ADMIN.email, p: ADMIN.password },
  );
  return anon.as(d.login.token);
}

const running: Proc[] = [];
afterAll(async () => {
  for (const p of running) if (p.child.exitCode === null) p.child.kill("SIGKILL");
  // An orphaned postgres from the hard-kill step is stopped by the last graceful run; make sure.
  const pidFile = path.join(dataDir, "pg", "postmaster.pid");
  if (fs.existsSync(pidFile)) {
    const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
    try {
      process.kill(pid, "SIGINT");
    } catch {}
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

// Each step starts Beacon as a user does (tsx compiling the server, PostgreSQL's initdb on the first):
// about 15 s on an idle 2-core machine, more when it is busy. The project's 30 s per test is too
// little; `listening` still bounds each start by itself.
describe("embedded PostgreSQL lifecycle", { timeout: 120_000 }, () => {
  let serviceId = "";
  let seqBeforeStop = "";

  it("starts on an empty folder with a demo catalogue, and stops gracefully on SIGTERM", async () => {
    const p = await launch();
    running.push(p);
    await listening(p);
    const anon = new TestClient(p.url);
    const s = await anon.ok<{ services: { name: string; group: string }[] }>("{ services { name group } }");
    expect(s.services.length).toBeGreaterThan(0);
    expect(s.services.every((x) => x.group.startsWith("Demo"))).toBe(true);

    const admin = await signIn(p.url);
    serviceId = await createService(admin, "Durable");
    await setServiceStatus(admin, serviceId, "MAJOR_OUTAGE");
    seqBeforeStop = (await anon.ok<{ statusSummary: { seq: string } }>("{ statusSummary { seq } }"))
      .statusSummary.seq;

    p.child.kill("SIGTERM");
    // Exit code 0 means it finished within main's shutdown deadline (it exits 1 past 8 s).
    expect(await exited(p)).toBe(0);
    expect(p.output()).toContain("embedded PostgreSQL stopped");
    expect(fs.existsSync(path.join(dataDir, "pg", "postmaster.pid"))).toBe(false);
  });

  it("restarts on the same data, and resumes events by seq across the restart", async () => {
    const p = await launch();
    running.push(p);
    await listening(p);
    const anon = new TestClient(p.url);
    const s = await anon.ok<{ services: { id: string; status: string }[] }>("{ services { id status } }");
    expect(s.services.find((x) => x.id === serviceId)?.status).toBe("MAJOR_OUTAGE");
    const admin = await signIn(p.url);
    await setServiceStatus(admin, serviceId, "OPERATIONAL");
    const sub = anon.subscribe<{ statusChanged: { service: { status: string } } }>(
      "subscription($s: String) { statusChanged(since: $s) { service { status } } }",
      { s: seqBeforeStop },
    );
    const [e] = await sub.waitFor(1, 10_000);
    expect(e!.statusChanged.service.status).toBe("OPERATIONAL");
    await sub.close();
    // No second demo catalogue on a database that has data.
    expect(s.services.filter((x) => x.id !== serviceId)).toHaveLength(5);

    p.child.kill("SIGKILL"); // hard kill: the embedded postgres is orphaned, its pid file left behind
    await exited(p);
    expect(fs.existsSync(path.join(dataDir, "pg", "postmaster.pid"))).toBe(true);
  });

  it("recovers after a hard kill (orphaned postgres and stale postmaster.pid)", async () => {
    const p = await launch();
    running.push(p);
    await listening(p);
    const anon = new TestClient(p.url);
    const s = await anon.ok<{ services: { id: string; status: string }[] }>("{ services { id status } }");
    expect(s.services.find((x) => x.id === serviceId)?.status).toBe("OPERATIONAL");
    p.child.kill("SIGINT");
    expect(await exited(p)).toBe(0);
  });

  it("restarts its embedded PostgreSQL when that dies (kill -9), and is ready again", async () => {
    const p = await launch({ BEACON_DB_RECONNECT_MAX_MS: "1000" });
    running.push(p);
    await listening(p);
    expect((await fetch(`${p.url}/readyz`)).status).toBe(200);
    const pidFile = path.join(dataDir, "pg", "postmaster.pid");
    const postmaster = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
    process.kill(postmaster, "SIGKILL");

    const deadline = Date.now() + 60_000;
    const ready = async () => (await fetch(`${p.url}/readyz`)).status === 200;
    while (!(p.output().includes("embedded PostgreSQL restarted") && (await ready()))) {
      if (p.child.exitCode !== null) throw new Error(`Beacon exited (${p.child.exitCode}):\n${p.output()}`);
      if (Date.now() > deadline) throw new Error(`not ready again:\n${p.output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(p.output()).toContain("embedded PostgreSQL exited unexpectedly; restarting it");
    expect(p.output()).toMatch(/events listener reconnected after \d+\.\ds/);
    expect(Number(fs.readFileSync(pidFile, "utf8").split("\n")[0])).not.toBe(postmaster);
    const anon = new TestClient(p.url);
    const s = await anon.ok<{ services: { id: string; status: string }[] }>("{ services { id status } }");
    expect(s.services.find((x) => x.id === serviceId)?.status).toBe("OPERATIONAL");
    // The restarted database is stopped cleanly with Beacon.
    p.child.kill("SIGTERM");
    expect(await exited(p)).toBe(0);
    expect(fs.existsSync(pidFile)).toBe(false);
  });

  it("refuses bad settings with a clear message before listening", async () => {
    const p = await launch({ PORT: "eighty", LOG_LEVEL: "loud" });
    running.push(p);
    expect(await exited(p)).toBe(78);
    expect(p.output()).toMatch(/PORT="eighty" must be a whole number/);
    expect(p.output()).toMatch(/LOG_LEVEL="loud" is not one of/);
    expect(p.output()).not.toContain("listening");
  });
});
