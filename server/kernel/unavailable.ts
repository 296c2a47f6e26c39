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
  /Connection terminated/i, // pg: the server went away, or the connect timed out
  /Query read timeout/i, // pg: query_timeout
  /Client has encountered a connection error/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /canceling statement due to statement timeout/i,
];
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
  if (typeof e.code === "string" && (SOCKET_CODES.has(e.code) || SQLSTATES.test(e.code))) return true;
  if (typeof e.message === "string" && MESSAGES.some((m) => m.test(e.message as string))) return true;
  return [e.driverError, e.cause, e.originalError].some((inner) => isDatabaseUnavailable(inner, depth + 1));
}
