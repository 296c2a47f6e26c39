/**
 * Capped exponential backoff with full jitter, for reconnecting to the database (the LISTEN
 * connections, the embedded PostgreSQL's supervisor): attempt n waits a uniformly random time in
 * [0, min(maxMs, initialMs * 2^n)].
 *
 * Why full jitter: after a database restart every instance (two LISTEN connections each) reconnects
 * at once; spreading the attempts over the whole window is what keeps them from arriving together
 * (the "Exponential Backoff And Jitter" comparison in the AWS Architecture Blog: full jitter does the
 * least work for the same completion time). Why capped: retries go on forever, and once the database
 * is back the wait until the next attempt is at most `maxMs` (BEACON_DB_RECONNECT_MAX_MS).
 *
 * Why not a library (exponential-backoff, p-retry): they own the retry loop and its sleeps, which
 * cannot be cancelled when Beacon stops and do not let the caller log once per outage; what is left
 * for them to do is this one line of arithmetic.
 */
export interface Backoff {
  initialMs: number;
  maxMs: number;
}

/** The wait before attempt `attempt` (0 for the first retry). `random` returns [0, 1). */
export function backoffDelay(attempt: number, backoff: Backoff, random: () => number): number {
  const ceiling = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(Math.max(attempt, 0), 30));
  return Math.floor(random() * ceiling);
}
