import type { DataSource } from "typeorm";
import type { Backoff } from "../kernel/backoff";
import type { Logger } from "../kernel/log";
import { PgListener, type PgListenerState } from "../kernel/pg-listener";
import { OutageLog } from "../kernel/unavailable";
import { CoalescingPump } from "./coalescing-pump";
import type { EventRecord } from "./event.entity";
import { eventsAfter, NOTIFY_CHANNEL } from "./outbox";
import { FanoutStats } from "./shared-fanout";

export type EventFilter = (e: EventRecord) => boolean;

const PAGE = 500;
/** A subscriber that falls this far behind is cut off and resumes by seq; it never holds up others. */
export const MAX_QUEUE = 2000;
/** The safety net for a lost NOTIFY (BEACON_EVENT_POLL_MS); a reconnect catches up by itself. */
const POLL_MS = 2000;
/**
 * Recently dispatched events kept in memory: a subscription resuming from a seq they cover replays
 * from here, not from PostgreSQL. After a deploy every open page resumes at once, nearly all from
 * the last few events; ten thousand replay reads would queue on the pool (docs/performance.md).
 */
export const RECENT_EVENTS = 1024;

export interface EventHubOptions {
  pollMs?: number;
  /** Reconnecting the LISTEN connection (BEACON_DB_RECONNECT_MAX_MS). */
  backoff?: Backoff;
  connectTimeoutMs?: number;
  /** The backoff's jitter source (tests). */
  random?: () => number;
  /** Hears the LISTEN connection's losses (PgListenerOptions.onConnectionLost). */
  onConnectionLost?: (err: unknown) => void;
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
  /** Resolves the live-only start once the subscriber is positioned (startLive). */
  positioned: (() => void) | null;
}

/**
 * Per-instance fan-out of the outbox. One LISTEN connection wakes the pump; the pump reads every
 * event above the last one it dispatched, in seq order, and hands each to the matching subscribers.
 * Since seq order is commit order, reading `seq > last` can never skip an event.
 */
export class EventHub {
  private last = 0n;
  /** Every event with seq > recentFloor and <= last, in seq order (the newest RECENT_EVENTS). */
  private recent: EventRecord[] = [];
  private recentFloor = 0n;
  /** Live-only subscribers waiting to be positioned after the last committed event (one read for all). */
  private positioning: Subscriber[] = [];
  private readonly positioner = new CoalescingPump(() => this.positionBatch(), {
    onError: (err) => this.log.error({ err }, "positioning live subscribers failed unexpectedly"),
  });
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
      ...(options.onConnectionLost ? { onConnectionLost: options.onConnectionLost } : {}),
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
    this.recentFloor = this.last;
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
      const rows = await eventsAfter(this.db.manager, this.last.toString(), PAGE);
      for (const e of rows) {
        // Parsed once per event, not once per subscriber: at 10,000 subscribers that is 10,000 BigInts.
        const seq = BigInt(e.seq);
        this.last = seq;
        this.remember(e);
        for (const s of this.subscribers) this.offer(s, e, seq);
      }
      if (rows.length > 0) this.notifyDispatched();
      if (rows.length < PAGE) return;
    }
  }

  private remember(e: EventRecord): void {
    this.recent.push(e);
    if (this.recent.length > RECENT_EVENTS * 2) {
      // Trimmed in halves: amortised O(1) per event.
      const drop = this.recent.length - RECENT_EVENTS;
      this.recentFloor = BigInt(this.recent[drop - 1]!.seq);
      this.recent = this.recent.slice(drop);
    }
  }

  /** The dispatched events after `after`, if memory still holds all of them; null if not. */
  private recentAfter(after: bigint): EventRecord[] | null {
    if (after < this.recentFloor) return null;
    // Binary search for the first event with seq > after.
    let lo = 0;
    let hi = this.recent.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (BigInt(this.recent[mid]!.seq) <= after) lo = mid + 1;
      else hi = mid;
    }
    return this.recent.slice(lo);
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

  private offer(s: Subscriber, e: EventRecord, seq: bigint): void {
    if (s.closed || s.failed) return;
    if (s.replaying) {
      s.buffer.push(e);
      return;
    }
    this.deliver(s, e, true, seq);
  }

  /** Live delivery is capped per subscriber; a replayed backlog is not (the client asked for it). */
  private deliver(s: Subscriber, e: EventRecord, capped = true, seq = BigInt(e.seq)): void {
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
      positioned: null,
    };
    // Registered before reading the backlog: whatever the pump dispatches meanwhile is buffered.
    this.subscribers.add(s);
    const replay = live ? this.startLive(s) : s.replaying ? this.replay(s) : Promise.resolve();
    const close = () => {
      s.closed = true;
      this.subscribers.delete(s);
      s.wake?.();
    };
    // Awaited only until it settles: every later event skips that extra turn of the microtask queue.
    let positioned = false;
    const settled = replay.finally(() => {
      positioned = true;
    });
    const iterator: AsyncIterableIterator<EventRecord> = {
      next: async () => {
        if (!positioned) await settled;
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

  /**
   * Positions a live-only subscriber after the last committed event, then hands it what is
   * buffered. Subscribers arriving together share one read of the counter: a read that began after
   * each of them arrived (CoalescingPump), so none is positioned before an event it must not get.
   */
  private startLive(s: Subscriber): Promise<void> {
    return new Promise<void>((resolve) => {
      s.positioned = resolve;
      this.positioning.push(s);
      this.positioner.request();
    });
  }

  private async positionBatch(): Promise<void> {
    const batch = this.positioning;
    this.positioning = [];
    if (batch.length === 0) return;
    let committed: bigint | null = null;
    let failure: Error | null = null;
    try {
      committed = await this.committedSeq();
    } catch (err) {
      failure = err instanceof Error ? err : new Error(String(err));
    }
    for (const s of batch) {
      if (failure) s.failed = failure;
      else if (committed !== null && committed > s.cursor) s.cursor = committed;
      this.goLive(s);
      s.positioned?.();
      s.positioned = null;
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
      // Recent events come from memory (what the pump dispatched); older ones from the database.
      const recent = this.recentAfter(s.cursor);
      if (recent) {
        for (const e of recent) this.deliver(s, e, false);
        return;
      }
      let after = s.cursor;
      while (!s.closed) {
        const rows = await eventsAfter(this.db.manager, after.toString(), PAGE);
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
    await this.positioner.idle();
  }
}
