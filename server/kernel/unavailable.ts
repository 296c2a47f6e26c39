import type { Logger } from "./log";

/**
 * Whether an error means "the database is not answering" (down, restarting, hung, refusing
 * connections) rather than "this command is wrong". Such errors become SERVICE_UNAVAILABLE: the
 * caller's change was not saved and trying again later is the right move.
 *
 * The timeouts that turn a hung database into these errors are set in `createDataSource`
 * (BEACON_DB_CONNECT_TIMEOUT_MS for pool checkout and connecting, BEACON_DB_QUERY_TIMEOUT_MS per
 * query), so nothing waits forever.
 */
const MESSAGES = [
  /timeout exceeded when trying to connect/i, // pg-pool: connectionTimeoutMillis
  /^timeout expired$/i, // pg.Client: connectionTimeoutMillis (the availability heartbeat's own client)
  /Connection terminated/i, // pg: the server went away, or the connect timed out
  /Query read timeout/i, // pg: query_timeout
  /Client has encountered a connection error/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /canceling statement due to statement timeout/i,
];
// TypeORM releases a query runner whose connection emitted an error (the server went away mid-use);
// its next query, or the rollback after the failed one, then throws one of these instead of the
// connection's own error.
const RELEASED = new Set(["QueryRunnerAlreadyReleasedError", "QueryRunnerProviderAlreadyReleasedError"]);
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH"]);
// PostgreSQL SQLSTATEs: 57P01-57P03 shutdown / cannot connect now, 08xxx connection exceptions,
// 53300 too many connections, 57014 statement timeout, 55000 object not in prerequisite state
// (e.g. the database does not allow connections now), 3D000 the database does not exist (yet).
const SQLSTATES = /^(57P0[123]|08\d\d\d|53300|57014|55000|3D000)$/;

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 5) return false;
  const e = error as {
    message?: unknown;
    code?: unknown;
    driverError?: unknown;
    cause?: unknown;
    originalError?: unknown;
  };
  if (error instanceof Error && RELEASED.has(error.name)) return true;
  if (typeof e.code === "string" && (SOCKET_CODES.has(e.code) || SQLSTATES.test(e.code))) return true;
  if (typeof e.message === "string" && MESSAGES.some((m) => m.test(e.message as string))) return true;
  return [e.driverError, e.cause, e.originalError].some((inner) => isDatabaseUnavailable(inner, depth + 1));
}

/** A failure seen this long after the previous one counts as a new outage (for sources with no "ok"). */
const OUTAGE_QUIET_MS = 60_000;

/**
 * For background loops that meet the database's outages (the event pump, outbox consumers, the job
 * runner): "database unavailable" is logged once per outage at warn, and its end at info when the
 * loop reports `ok()`; any other failure is a real fault, logged at error every time.
 */
export class OutageLog {
  private since: number | null = null;
  private lastFailure = 0;

  constructor(
    private readonly log: Logger,
    /** What is failing, for the messages ("event pump"). */
    private readonly what: string,
  ) {}

  failed(err: unknown, message: string, fields: Record<string, unknown> = {}): void {
    if (!isDatabaseUnavailable(err)) {
      this.log.error({ ...fields, err }, message);
      return;
    }
    const now = Date.now();
    if (this.since === null || now - this.lastFailure > OUTAGE_QUIET_MS) {
      this.since = now;
      const { code, message: reason } = err as { code?: unknown; message?: unknown };
      this.log.warn(
        { ...fields, reason: String(reason), code },
        `${this.what} cannot reach the database; retrying until it is back`,
      );
    }
    this.lastFailure = now;
  }

  ok(): void {
    if (this.since === null) return;
    const seconds = (Date.now() - this.since) / 1000;
    this.since = null;
    this.log.info(
      { downSeconds: seconds },
      `${this.what} reached the database again after ${seconds.toFixed(1)}s`,
    );
  }
}
