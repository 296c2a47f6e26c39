import type { Beacon } from "../kernel/context";
import type { PgListenerState } from "../kernel/pg-listener";
import { isDatabaseUnavailable } from "../kernel/unavailable";

/** A readiness probe answers within this, whatever the database does. */
export const READY_TIMEOUT_MS = 2000;

export interface ReadinessCheck {
  ok: boolean;
  /** Why not, in words (never a driver message: /readyz is public). */
  detail?: string;
  /** Migrations in the code that the database has not applied. */
  pending?: string[];
  /** When a listener's current outage began. */
  downSince?: string;
}

export interface ReadinessReport {
  ready: boolean;
  /** The names of the checks that failed; empty when ready. */
  notReady: string[];
  checks: {
    database: ReadinessCheck;
    migrations: ReadinessCheck;
    eventListener: ReadinessCheck;
    presenceListener: ReadinessCheck;
  };
}

class TimedOut extends Error {}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new TimedOut()), ms);
  });
  promise.catch(() => {}); // a query that loses the race may still fail later
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function listener(state: PgListenerState): ReadinessCheck {
  if (state.connected) return { ok: true };
  return {
    ok: false,
    detail: "the LISTEN connection is reconnecting",
    ...(state.downSince ? { downSince: state.downSince.toISOString() } : {}),
  };
}

/**
 * Readiness (GET /readyz): can this instance do its work now? The database answers a query within
 * READY_TIMEOUT_MS, every migration in the code is applied, and both LISTEN connections (events,
 * presence) are connected. Liveness (GET /healthz) is only "the process answers".
 */
export async function checkReadiness(beacon: Beacon, timeoutMs = READY_TIMEOUT_MS): Promise<ReadinessReport> {
  let database: ReadinessCheck = { ok: true };
  let migrations: ReadinessCheck;
  try {
    const rows: { name: string }[] = await within(
      beacon.db.query("SELECT name FROM schema_migration"),
      timeoutMs,
    );
    // Answered: requests needing the database are accepted again now, not only after the next probe.
    beacon.database.answered();
    const applied = new Set(rows.map((r) => r.name));
    // TypeORM names a migration by its `name`, else its class name (MigrationExecutor).
    const pending = beacon.db.migrations
      .map((m) => m.name ?? m.constructor.name)
      .filter((name) => !applied.has(name));
    migrations = pending.length
      ? { ok: false, detail: "migrations not applied yet; restart Beacon to apply them", pending }
      : { ok: true };
  } catch (err) {
    beacon.database.report(err);
    if (!(err instanceof TimedOut) && !isDatabaseUnavailable(err)) {
      beacon.log.error({ err }, "readiness query failed");
    }
    database = {
      ok: false,
      detail:
        err instanceof TimedOut
          ? `the database did not answer within ${timeoutMs} ms`
          : isDatabaseUnavailable(err)
            ? "the database cannot be reached"
            : "the database refused the readiness query (see the log)",
    };
    migrations = { ok: false, detail: "unknown while the database cannot be reached" };
  }
  const checks = {
    database,
    migrations,
    eventListener: listener(beacon.hub.listenerState),
    presenceListener: listener(beacon.presence.listenerState),
  };
  // "migrations" is named only when the database answered: otherwise the database is the reason.
  const notReady = Object.entries(checks)
    .filter(([name, c]) => !c.ok && !(name === "migrations" && !database.ok))
    .map(([name]) => name);
  return { ready: notReady.length === 0, notReady, checks };
}
