import pg from "pg";
import { ErrorCode } from "../domain/vocabulary";
import { BeaconError, DATABASE_UNAVAILABLE_MESSAGE } from "./errors";
import type { Logger } from "./log";
import { isDatabaseUnavailable } from "./unavailable";

/** `SELECT 1` on `client`: null when answered, else the error. */
async function selectOne(client: pg.Client, timeoutMs: number): Promise<unknown> {
  try {
    await client.query({ text: "SELECT 1", query_timeout: timeoutMs } as pg.QueryConfig);
    return null;
  } catch (err) {
    return err;
  }
}

const isTimeout = (err: unknown) => err instanceof Error && /timeout/i.test(err.message);

/** How long a refused caller is told to wait before trying again. */
const RETRY_AFTER_SECONDS = 5;

/** The refusal of a request that needs the database while it is down: 503 with Retry-After. */
export const databaseUnavailable = () =>
  new BeaconError(ErrorCode.SERVICE_UNAVAILABLE, DATABASE_UNAVAILABLE_MESSAGE, {
    retryAfterSeconds: RETRY_AFTER_SECONDS,
    http: { status: 503, headers: new Map([["retry-after", String(RETRY_AFTER_SECONDS)]]) },
  });

export interface DatabaseAvailabilityOptions {
  url: string;
  /** A probe gives up connecting, and then answering, after this (BEACON_DB_CONNECT_TIMEOUT_MS). */
  timeoutMs: number;
  /** Between the end of one probe and the next while down. */
  probeEveryMs?: number;
  /** While up: a `SELECT 1` this often on a connection of its own (absent or 0: none). */
  heartbeatEveryMs?: number;
  /** The heartbeat's connect and query give up after this; either failing marks the database down. */
  heartbeatTimeoutMs?: number;
  log: Logger;
}

/**
 * Whether PostgreSQL answers, as far as this instance has seen: down from the first time a request,
 * a snapshot build, /readyz or a LISTEN connection's check meets it not answering
 * (kernel/unavailable.ts), up again once a probe of its own (a fresh connection, `SELECT 1`) or
 * /readyz is answered.
 *
 * Why: each request that needs the database otherwise waits out its own timeouts
 * (BEACON_DB_CONNECT_TIMEOUT_MS for a connection, BEACON_DB_QUERY_TIMEOUT_MS per query, 15 s by
 * default) before it can say SERVICE_UNAVAILABLE; a signed-in write, authenticated twice on its way,
 * took 30 s with the database process stopped. While down, such requests are refused at once; the
 * public side keeps answering from its snapshot, and nothing else changes. A false alarm (one
 * statement timing out on a server that still answers) costs at most one probe interval.
 *
 * The heartbeat is what notices first when nothing else is using the database: without it the first
 * request after a hang waited out BEACON_DB_QUERY_TIMEOUT_MS (15 s) before anyone knew. Its timeout is
 * generous (5 s for a `SELECT 1`) so a busy server or a briefly blocked event loop is not taken for
 * a hung one.
 */
export class DatabaseAvailability {
  private downSince: number | null = null;
  private probing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private wakeProbe: (() => void) | null = null;
  private stopped = false;

  private heartbeatTimer: NodeJS.Timeout | null = null;
  private heartbeatClient: pg.Client | null = null;

  constructor(private readonly o: DatabaseAvailabilityOptions) {
    if (o.heartbeatEveryMs) this.scheduleHeartbeat(o.heartbeatEveryMs);
  }

  private scheduleHeartbeat(every: number): void {
    if (this.stopped) return;
    this.heartbeatTimer = setTimeout(() => {
      void this.beat().finally(() => this.scheduleHeartbeat(every));
    }, every);
    this.heartbeatTimer.unref();
  }

  /**
   * One heartbeat while up, on a kept connection. A kept connection that fails without timing out
   * may be the only thing broken (the server restarted since it was opened): a fresh one decides.
   * A timeout, or a fresh connection failing, marks the database down.
   */
  private async beat(): Promise<void> {
    if (this.stopped || this.downSince !== null) return;
    const timeoutMs = this.o.heartbeatTimeoutMs ?? 5000;
    const kept = this.heartbeatClient;
    if (kept) {
      const err = await selectOne(kept, timeoutMs);
      if (err === null) return;
      this.heartbeatClient = null;
      kept.end().catch(() => {});
      if (isTimeout(err)) return this.report(err);
    }
    if (this.stopped || this.downSince !== null) return;
    const fresh = this.client(timeoutMs, "beacon-heartbeat");
    const err = await fresh.connect().then(
      () => selectOne(fresh, timeoutMs),
      (e: unknown) => e,
    );
    if (err === null && !this.stopped) {
      this.heartbeatClient = fresh;
      return;
    }
    fresh.end().catch(() => {});
    if (err !== null) this.report(err);
  }

  private client(timeoutMs: number, name: string): pg.Client {
    const client = new pg.Client({
      connectionString: this.o.url,
      connectionTimeoutMillis: timeoutMs,
      application_name: name,
    });
    // A hung server may leave a failed client erroring later: nothing to do with it but drop it.
    client.on("error", () => {});
    return client;
  }

  get down(): boolean {
    return this.downSince !== null;
  }

  /** Throws SERVICE_UNAVAILABLE (503) at once while the database is known not to answer. */
  assertUp(): void {
    if (this.downSince !== null) throw databaseUnavailable();
  }

  /** An error met while using the database: one that means "not answering" marks it down. */
  report(err: unknown): void {
    if (this.stopped || this.downSince !== null || !isDatabaseUnavailable(err)) return;
    this.downSince = Date.now();
    const { message, code } = err as { message?: unknown; code?: unknown };
    this.o.log.warn(
      { reason: String(message), code },
      "the database is not answering: requests that need it are refused at once until a probe gets an answer",
    );
    this.probing = this.probeUntilUp();
  }

  /** The database answered a query elsewhere (readiness): up at once, without waiting for the probe. */
  answered(): void {
    if (this.downSince === null) return;
    this.up();
    this.wakeProbe?.();
  }

  private up(): void {
    const seconds = (Date.now() - (this.downSince ?? Date.now())) / 1000;
    this.downSince = null;
    this.o.log.info({ downSeconds: seconds }, `the database answers again after ${seconds.toFixed(1)}s`);
  }

  private async probeUntilUp(): Promise<void> {
    const every = this.o.probeEveryMs ?? 1000;
    while (!this.stopped && this.downSince !== null) {
      await new Promise<void>((resolve) => {
        this.wakeProbe = resolve;
        this.timer = setTimeout(resolve, every);
        this.timer.unref();
      });
      this.wakeProbe = null;
      if (this.stopped || this.downSince === null) return;
      if ((await this.answers()) && this.downSince !== null) this.up();
    }
  }

  private async answers(): Promise<boolean> {
    const client = this.client(this.o.timeoutMs, "beacon-probe");
    try {
      await client.connect();
      await client.query({ text: "SELECT 1", query_timeout: this.o.timeoutMs } as pg.QueryConfig);
      return true;
    } catch {
      return false;
    } finally {
      // Not awaited: ending a connection to a server that does not answer may wait on it.
      client.end().catch(() => {});
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.heartbeatTimer) clearTimeout(this.heartbeatTimer);
    this.heartbeatClient?.end().catch(() => {});
    this.heartbeatClient = null;
    this.wakeProbe?.();
    await this.probing;
  }
}
