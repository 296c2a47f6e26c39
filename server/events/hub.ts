import type { DataSource } from "typeorm";
import type { Backoff } from "../kernel/backoff";
import type { Logger } from "../kernel/log";
import { PgListener, type PgListenerState } from "../kernel/pg-listener";
import { OutageLog } from "../kernel/unavailable";
import { CoalescingPump } from "./coalescing-pump";
import { EventRecord } from "./event.entity";
import { NOTIFY_CHANNEL } from "./outbox";
import { FanoutStats } from "./shared-fanout";

export type EventFilter = (e: EventRecord) => boolean;

const PAGE = 500;
/** A subscriber that falls this far behind is cut off and resumes by seq; it never holds up others. */
export const MAX_QUEUE = 2000;
/** The safety net for a lost NOTIFY (BEACON_EVENT_POLL_MS); a reconnect catches up by itself. */
const POLL_MS = 2000;

export interface EventHubOptions {
  pollMs?: number;
  /** Reconnecting the LISTEN connection (BEACON_DB_RECONNECT_MAX_MS). */
  backoff?: Backoff;
  connectTimeoutMs?: number;
  /** The backoff's jitter source (tests). */
  random?: () => number;
}

export const DEFAULT_RECONNECT: Backoff = { initialMs: 250, maxMs: 5000 };

/** Validates a client-supplied `since`; null when absent. */
export function parseSeq(since: string | null | undefined): string | null {
  if (since === null || since === undefined || since === "") return null;
  if (!/^\d{1,19}$/.test(since)) {
    throw new Error("since must be a seq number as returned by a snapshot (e.g. statusSummary.seq)");
  }
  return since;
}

export class SubscriberTooSlowError extends Error {
  constructor(public readonly lastSeq: string) {
    super(`This subscription fell too far behind and was closed; subscribe again with since: "${lastSeq}".`);
  }
}

interface Subscriber {
  filter: EventFilter;
  /** Highest seq handed to this subscriber (or skipped as not matching). */
  cursor: bigint;
  replaying: boolean;
  buffer: EventRecord[];
  queue: EventRecord[];
  wake: (() => void) | null;
  failed: Error | null;
  closed: boolean;
}

/**
 * Per-instance fan-out of the outbox. One LISTEN connection wakes the pump; the pump reads every
 * event above the last one it dispatched, in seq order, and hands each to the matching subscribers.
 * Since seq order is commit order, reading `seq > last` can never skip an event.
 */
export class EventHub {
  private last = 0n;
  private readonly listener: PgListener;
  private readonly subscribers = new Set<Subscriber>();
  private readonly dispatchListeners = new Set<(lastSeq: string) => void>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly outage: OutageLog;
  private readonly pump = new CoalescingPump(() => this.dispatchPages(), {
    onSuccess: () => this.outage.ok(),
    onError: (err) => this.outage.failed(err, "event pump failed; will retry"),
    active: () => !this.stopped,
  });
  /** Executions of the public status stream per event (shared fan-out: 1; per subscriber: N). */
  readonly fanout = new FanoutStats();

  constructor(
    url: string,
    private readonly db: DataSource,
    private readonly log: Logger,
    private readonly options: EventHubOptions = {},
  ) {
    this.outage = new OutageLog(log, "event pump");
    // Events committed while the connection was away woke nobody: a reconnect reads `seq > last`,
    // which dispatches each of them once (subscribers' cursors drop anything already handed over).
    this.listener = new PgListener({
      url,
      channels: [NOTIFY_CHANNEL],
      name: "events",
      log,
      onNotification: () => this.wake(),
      onReconnect: () => this.wake(),
      backoff: options.backoff ?? DEFAULT_RECONNECT,
      connectTimeoutMs: options.connectTimeoutMs ?? 3000,
      ...(options.random ? { random: options.random } : {}),
    });
  }

  /** The LISTEN connection (readiness: /readyz). */
  get listenerState(): PgListenerState {
    return this.listener.state;
  }

  get lastSeq(): string {
    return this.last.toString();
  }

  /** Clients' subscriptions (in-process listeners registered with `onDispatched` are not counted). */
  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /**
   * For in-process consumers that read the outbox themselves (deliveries, the public snapshot): called
   * with the last dispatched seq after each pass that dispatched something. A wake-up only, never the
   * events: such a consumer keeps its own cursor. Returns the function that unregisters it.
   */
  onDispatched(listener: (lastSeq: string) => void): () => void {
    this.dispatchListeners.add(listener);
    return () => this.dispatchListeners.delete(listener);
  }

  async start(): Promise<void> {
    this.last = await this.committedSeq();
    await this.listener.start();
    this.timer = setInterval(() => this.wake(), this.options.pollMs ?? POLL_MS);
    this.timer.unref();
  }

  /** Coalesces wake-ups: at most one pass runs, and one more follows if woken meanwhile. */
  wake(): void {
    this.pump.request();
  }

  /** Resolves once everything committed before the call has been dispatched (used by tests). */
  async drain(): Promise<void> {
    this.wake();
    await this.pump.idle();
  }

  private async dispatchPages(): Promise<void> {
    while (!this.stopped) {
      const rows = await this.db
        .getRepository(EventRecord)
        .createQueryBuilder("e")
        .where("e.seq > :last", { last: this.last.toString() })
        .orderBy("e.seq", "ASC")
        .limit(PAGE)
        .getMany();
      for (const e of rows) {
        this.last = BigInt(e.seq);
        for (const s of this.subscribers) this.offer(s, e);
      }
      if (rows.length > 0) this.notifyDispatched();
      if (rows.length < PAGE) return;
    }
  }

  private notifyDispatched(): void {
    const last = this.last.toString();
    for (const listener of this.dispatchListeners) {
      try {
        listener(last);
      } catch (err) {
        this.log.error({ err }, "an event dispatch listener failed");
      }
    }
  }

  private offer(s: Subscriber, e: EventRecord): void {
    if (s.closed || s.failed) return;
    if (s.replaying) {
      s.buffer.push(e);
      return;
    }
    this.deliver(s, e);
  }

  /** Live delivery is capped per subscriber; a replayed backlog is not (the client asked for it). */
  private deliver(s: Subscriber, e: EventRecord, capped = true): void {
    const seq = BigInt(e.seq);
    if (seq <= s.cursor) return;
    s.cursor = seq;
    if (!s.filter(e)) return;
    if (capped && s.queue.length >= MAX_QUEUE) {
      s.failed = new SubscriberTooSlowError((seq - 1n).toString());
    } else {
      s.queue.push(e);
    }
    s.wake?.();
  }

  /**
   * Events matching `filter`: first those after `since` (replayed from the database), then live,
   * each exactly once and in seq order. Without `since`, live only.
   */
  subscribe(filter: EventFilter, since: string | null | undefined): AsyncIterableIterator<EventRecord> {
    const live = since === null || since === undefined;
    const start = live ? this.last : BigInt(since);
    const s: Subscriber = {
      filter,
      cursor: start,
      // "Live only" starts after the last event committed when the subscription arrives. The pump may
      // not have dispatched that one yet (its NOTIFY can still be in flight), so `this.last` is not
      // enough: an event committed before the client subscribed would be delivered as if it were new.
      replaying: live || start < this.last,
      buffer: [],
      queue: [],
      wake: null,
      failed: null,
      closed: false,
    };
    // Registered before reading the backlog: whatever the pump dispatches meanwhile is buffered.
    this.subscribers.add(s);
    const replay = live ? this.startLive(s) : s.replaying ? this.replay(s) : Promise.resolve();
    const close = () => {
      s.closed = true;
      this.subscribers.delete(s);
      s.wake?.();
    };
    const iterator: AsyncIterableIterator<EventRecord> = {
      next: async () => {
        await replay;
        while (true) {
          if (s.queue.length > 0) return { value: s.queue.shift()!, done: false };
          if (s.failed) {
            close();
            throw s.failed;
          }
          if (s.closed) return { value: undefined, done: true };
          await new Promise<void>((resolve) => {
            s.wake = resolve;
          });
          s.wake = null;
        }
      },
      return: async () => {
        close();
        return { value: undefined, done: true };
      },
      throw: async (err: unknown) => {
        close();
        throw err;
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  /** Positions a live-only subscriber after the last committed event, then hands it what is buffered. */
  private async startLive(s: Subscriber): Promise<void> {
    try {
      const committed = await this.committedSeq();
      if (committed > s.cursor) s.cursor = committed;
    } catch (err) {
      s.failed = err instanceof Error ? err : new Error(String(err));
    } finally {
      this.goLive(s);
    }
  }

  /** Ends a subscriber's catching up: what the pump buffered for it meanwhile is delivered now. */
  private goLive(s: Subscriber): void {
    s.replaying = false;
    for (const e of s.buffer) this.deliver(s, e);
    s.buffer = [];
  }

  /** The seq of the last committed event (the counter row is only written by committing commands). */
  private async committedSeq(): Promise<bigint> {
    const rows: { value: string }[] = await this.db.query(
      "SELECT value::text AS value FROM counter WHERE name = 'event'",
    );
    return BigInt(rows[0]?.value ?? "0");
  }

  private async replay(s: Subscriber): Promise<void> {
    try {
      let after = s.cursor;
      while (!s.closed) {
        const rows = await this.db
          .getRepository(EventRecord)
          .createQueryBuilder("e")
          .where("e.seq > :after", { after: after.toString() })
          .orderBy("e.seq", "ASC")
          .limit(PAGE)
          .getMany();
        for (const e of rows) {
          this.deliver(s, e, false);
          after = BigInt(e.seq);
        }
        if (rows.length < PAGE) break;
      }
    } catch (err) {
      s.failed = err instanceof Error ? err : new Error(String(err));
    } finally {
      this.goLive(s);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    for (const s of this.subscribers) {
      s.closed = true;
      s.wake?.();
    }
    this.subscribers.clear();
    await this.listener.stop();
    await this.pump.idle();
  }
}
