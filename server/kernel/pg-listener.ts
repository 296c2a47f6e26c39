import pg from "pg";
import { type Backoff, backoffDelay } from "./backoff";
import type { Logger } from "./log";

export interface PgListenerOptions {
  url: string;
  /** Channels to LISTEN on (constants of the code, never client input). */
  channels: string[];
  /** Names the connection in logs and readiness ("events", "presence"). */
  name: string;
  log: Logger;
  onNotification: (n: pg.Notification) => void;
  /**
   * Called after every reconnect (not after the first connect): notifications sent while the
   * connection was away are lost, so whatever they would have woken must catch up here.
   */
  onReconnect?: () => void;
  backoff: Backoff;
  /** Connecting gives up after this (a hung server accepts the TCP connection and says nothing). */
  connectTimeoutMs: number;
  /**
   * How often a connected listener checks that the server still answers. A hung server or a
   * half-open connection never errors by itself: without this, "connected" would be a lie.
   */
  checkEveryMs?: number;
  /** The jitter's source, [0, 1) (injected like the clock: tests make the backoff predictable). */
  random?: () => number;
  /**
   * Hears every loss of the connection and every failed reconnect (kernel/database-availability.ts:
   * the check above is often the first to notice a database that stopped answering).
   */
  onConnectionLost?: (err: unknown) => void;
}

export interface PgListenerState {
  connected: boolean;
  /** When the current outage began (null while connected). */
  downSince: Date | null;
  /** Successful reconnects since start. */
  reconnects: number;
  /** The PostgreSQL backend serving the connection (pg_stat_activity.pid); null while down. */
  backendPid: number | null;
}

/**
 * One LISTEN connection that stays connected: after an error or an end it reconnects with capped
 * exponential backoff and jitter (kernel/backoff.ts), forever, until `stop`. Logs once per outage
 * at warn, and "reconnected after Ns" at info. Used by the event hub and the presence hub.
 */
export class PgListener {
  private client: pg.Client | null = null;
  private stopped = false;
  private attempt = 0;
  private downSince: number | null = null;
  private reconnects = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private checkTimer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: PgListenerOptions) {}

  get connected(): boolean {
    return this.client !== null;
  }

  get state(): PgListenerState {
    return {
      connected: this.connected,
      downSince: this.downSince === null ? null : new Date(this.downSince),
      reconnects: this.reconnects,
      backendPid: (this.client as (pg.Client & { processID?: number }) | null)?.processID ?? null,
    };
  }

  /** The first connection: throws when the database cannot be reached, so a start fails loudly. */
  async start(): Promise<void> {
    this.client = await this.connect();
    const every = this.opts.checkEveryMs ?? 15_000;
    this.checkTimer = setInterval(() => void this.check(), every);
    this.checkTimer.unref();
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.opts.url,
      connectionTimeoutMillis: this.opts.connectTimeoutMs,
      keepAlive: true,
      application_name: `beacon-${this.opts.name}`,
    });
    client.on("notification", (n) => this.opts.onNotification(n));
    client.on("error", (err) => this.lost(client, err));
    client.on("end", () => this.lost(client, new Error("the database closed the connection")));
    try {
      await client.connect();
      for (const channel of this.opts.channels)
        await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
    } catch (err) {
      client.end().catch(() => {});
      throw err;
    }
    return client;
  }

  /** Only the current connection counts: a late error or end from a replaced one is ignored. */
  private lost(client: pg.Client, err: unknown): void {
    if (this.stopped || client !== this.client) return;
    this.client = null;
    client.end().catch(() => {});
    this.failed(err);
  }

  private failed(err: unknown): void {
    this.opts.onConnectionLost?.(err);
    if (this.downSince === null) {
      this.downSince = Date.now();
      this.opts.log.warn(
        { err, listener: this.opts.name },
        `${this.opts.name} listener lost its database connection; reconnecting with backoff until it is back`,
      );
    } else {
      this.opts.log.debug({ err, listener: this.opts.name, attempt: this.attempt }, "still reconnecting");
    }
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retryTimer) return;
    const delay = backoffDelay(this.attempt++, this.opts.backoff, this.opts.random ?? Math.random);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.reconnect();
    }, delay);
  }

  private async reconnect(): Promise<void> {
    let client: pg.Client;
    try {
      client = await this.connect();
    } catch (err) {
      if (!this.stopped) this.failed(err);
      return;
    }
    if (this.stopped) {
      client.end().catch(() => {});
      return;
    }
    this.client = client;
    const seconds = this.downSince === null ? 0 : (Date.now() - this.downSince) / 1000;
    this.opts.log.info(
      { listener: this.opts.name, attempts: this.attempt, downSeconds: seconds },
      `${this.opts.name} listener reconnected after ${seconds.toFixed(1)}s`,
    );
    this.downSince = null;
    this.attempt = 0;
    this.reconnects++;
    try {
      this.opts.onReconnect?.();
    } catch (err) {
      this.opts.log.error({ err, listener: this.opts.name }, "catching up after a reconnect failed");
    }
  }

  private async check(): Promise<void> {
    const client = this.client;
    if (!client) return;
    try {
      await client.query({ text: "SELECT 1", query_timeout: this.opts.connectTimeoutMs } as pg.QueryConfig);
    } catch (err) {
      this.lost(client, err);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.checkTimer) clearInterval(this.checkTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }
}
