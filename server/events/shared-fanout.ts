import {
  createSourceEventStream,
  type ExecutionArgs,
  type ExecutionResult,
  execute,
  type GraphQLError,
  type GraphQLFormattedError,
  subscribe,
} from "graphql";
import type { WebSocket } from "ws";
import { shareKeyOf } from "./shareable";

/** How many executions of the public status stream happened, per event. Exposed for tests and ops. */
export class FanoutStats {
  /** Executions of `statusChanged` for one event (its resolver ran), whether shared or not. */
  executions = 0;
  /** Results that were executed once and serialized once for every subscriber of one shape. */
  sharedPayloads = 0;
  /** `next` frames written from a shared payload (one per subscriber per event). */
  sharedFrames = 0;
  private readonly bySeq = new Map<string, number>();
  private static readonly KEEP = 4096;

  /** Called by the statusChanged resolver, i.e. once per execution of the operation for an event. */
  executed(seq: string): void {
    this.executions++;
    const n = this.bySeq.get(seq);
    if (n === undefined) {
      this.bySeq.set(seq, 1);
      if (this.bySeq.size > FanoutStats.KEEP) this.bySeq.delete(this.bySeq.keys().next().value!);
    } else {
      this.bySeq.set(seq, n + 1);
    }
  }

  /** How many times the statusChanged operation was executed for the event with this seq. */
  executionsOf(seq: string): number {
    return this.bySeq.get(seq) ?? 0;
  }
}

export interface SharedFanoutOptions {
  /** BEACON_SHARED_FANOUT: off means graphql's own `subscribe` for everything (the baseline). */
  enabled: boolean;
  stats: FanoutStats;
  /**
   * A fresh context for one shared execution: an anonymous caller's. A shared result therefore can
   * never hold more than an anonymous subscriber may see, even if the allow-list were wrong.
   */
  anonymousContext(): object;
  /** The same error mapping the per-subscriber path applies in graphql-ws's onNext. */
  formatErrors(errors: readonly GraphQLError[]): GraphQLFormattedError[];
  /** Bounds of the per-event memo (entries per shape). */
  maxEntries?: number;
  ttlMs?: number;
}

interface Target {
  socket: WebSocket;
  id: string;
}

interface Entry {
  at: number;
  result: Promise<ExecutionResult>;
  /** The serialized `payload` of the `next` message, made on first use. */
  payload: Promise<Buffer> | null;
  /** The same bytes once made: later subscribers of the event take them without an await. */
  bytes: Buffer | null;
}

const DONE = { done: true, value: undefined } as const;
const TAIL = Buffer.from("}");
/**
 * A frame is handed to a socket holding less than this (not yet flushed) without waiting for it to
 * be flushed; past it, the subscriber waits for its frame to be written before taking the next
 * event, as graphql-ws's own `send` always does. The wait for every frame cost a promise and a
 * callback per subscriber per event, a measurable part of fan-out at 10,000 subscribers
 * (docs/performance.md); a backed-up client is still held back, and cut off by the hub's queue cap.
 */
const SEND_WITHOUT_WAITING_BYTES = 64 * 1024;

/**
 * Shared execution and serialization for public subscriptions (DESIGN.md, "Fan-out").
 *
 * Each subscriber keeps its own source stream from the EventHub (so `since` replay, ordering and the
 * slow-subscriber cutoff are untouched), but the execution of one event for one operation shape is
 * memoised: key = (printed document, operation name, variables without `since`, event seq). The
 * result is serialized once into the `next` message's payload, and each subscriber's frame is that
 * payload with its own message id in front, written straight to its socket.
 */
export class SharedFanout {
  /** share key -> memo seq -> entry. */
  private readonly memo = new Map<string, Map<string, Entry>>();
  private readonly maxShapes = 256;
  private readonly targets = new WeakMap<object, Target>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;

  constructor(private readonly options: SharedFanoutOptions) {
    this.maxEntries = options.maxEntries ?? 2048;
    this.ttlMs = options.ttlMs ?? 30_000;
  }

  get enabled(): boolean {
    return this.options.enabled;
  }

  /**
   * Ties a subscription's context to its socket and message id (from graphql-ws's `context`
   * callback), so a shared payload can be framed for it without going through JSON.stringify again.
   */
  bind(contextValue: object, socket: WebSocket, id: string): void {
    if (this.options.enabled) this.targets.set(contextValue, { socket, id });
  }

  /** graphql-ws's `subscribe` option. */
  readonly subscribe = async (
    args: ExecutionArgs,
  ): Promise<AsyncGenerator<ExecutionResult> | AsyncIterable<ExecutionResult> | ExecutionResult> => {
    const key = this.options.enabled ? shareKeyOf(args) : null;
    if (key === null) return subscribe(args);
    // The subscriber's own source stream, created with its own context and arguments.
    const source = await createSourceEventStream(args);
    if (!(Symbol.asyncIterator in Object(source))) return source as ExecutionResult;
    const iterator = (source as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    const target = this.targets.get(args.contextValue as object);
    return target ? this.writeDirect(iterator, args, key, target) : this.yieldShared(iterator, args, key);
  };

  private entry(args: ExecutionArgs, key: string, event: unknown): Entry {
    const e = event as { seq?: unknown; replayed?: unknown; projectedAt?: unknown } | null;
    const now = Date.now();
    // A replayed event is projected at delivery from the current public state (status-page/
    // replay-now.ts): its result depends on the views it was projected from (named by
    // `projectedAt`), not only on its seq; without that name it is never memoised.
    const memoSeq =
      typeof e?.seq !== "string"
        ? null
        : e.replayed !== true
          ? e.seq
          : typeof e.projectedAt === "string"
            ? `${e.seq}@${e.projectedAt}`
            : null;
    // Keyed by shape first: the share key is one interned string per shape (shareable.ts), so the
    // lookup per subscriber and event hashes nothing new.
    let bySeq = memoSeq === null ? undefined : this.memo.get(key);
    if (bySeq && memoSeq !== null) {
      const hit = bySeq.get(memoSeq);
      if (hit && now - hit.at <= this.ttlMs) return hit;
    }
    const result = Promise.resolve().then(() =>
      execute({ ...args, contextValue: this.options.anonymousContext(), rootValue: event }),
    );
    const entry: Entry = { at: now, result, payload: null, bytes: null };
    if (memoSeq !== null) {
      if (!bySeq) {
        bySeq = new Map();
        this.memo.set(key, bySeq);
        while (this.memo.size > this.maxShapes) this.memo.delete(this.memo.keys().next().value!);
      }
      const shape = bySeq;
      shape.delete(memoSeq);
      shape.set(memoSeq, entry);
      while (shape.size > this.maxEntries) shape.delete(shape.keys().next().value!);
      result.catch(() => shape.delete(memoSeq));
    }
    return entry;
  }

  private payload(entry: Entry): Promise<Buffer> {
    entry.payload ??= entry.result.then((r) => {
      this.options.stats.sharedPayloads++;
      const { errors, ...rest } = r;
      const payload = errors ? { ...rest, errors: this.options.formatErrors(errors) } : rest;
      entry.bytes = Buffer.from(JSON.stringify(payload));
      return entry.bytes;
    });
    return entry.payload;
  }

  /** Frames are written here; graphql-ws only sees the stream end (complete) or fail (error). */
  private writeDirect(
    source: AsyncIterator<unknown>,
    args: ExecutionArgs,
    key: string,
    target: Target,
  ): AsyncGenerator<ExecutionResult> {
    const head = Buffer.from(`{"id":${JSON.stringify(target.id)},"type":"next","payload":`);
    let closed = false;
    const close = async () => {
      closed = true;
      await source.return?.();
    };
    const generator: AsyncGenerator<ExecutionResult> = {
      next: async () => {
        try {
          while (true) {
            const step = await source.next();
            if (step.done || closed) return DONE;
            const entry = this.entry(args, key, step.value);
            const payload = entry.bytes ?? (await this.payload(entry));
            // The client may have completed the subscription meanwhile: send nothing more for it.
            if (closed) return DONE;
            let sent = send(target.socket, Buffer.concat([head, payload, TAIL]));
            if (typeof sent !== "boolean") sent = await sent;
            if (sent) this.options.stats.sharedFrames++;
          }
        } catch (err) {
          await close().catch(() => {});
          throw err;
        }
      },
      return: async () => {
        await close();
        return DONE;
      },
      throw: async (err: unknown) => {
        await close();
        throw err;
      },
      [Symbol.asyncIterator]() {
        return generator;
      },
    };
    return generator;
  }

  /** Shared execution only (graphql-ws serializes): for a context that was not bound to a socket. */
  private yieldShared(
    source: AsyncIterator<unknown>,
    args: ExecutionArgs,
    key: string,
  ): AsyncGenerator<ExecutionResult> {
    const generator: AsyncGenerator<ExecutionResult> = {
      next: async () => {
        const step = await source.next();
        if (step.done) return DONE;
        return { done: false, value: await this.entry(args, key, step.value).result };
      },
      return: async () => {
        await source.return?.();
        return DONE;
      },
      throw: async (err: unknown) => {
        await source.return?.();
        throw err;
      },
      [Symbol.asyncIterator]() {
        return generator;
      },
    };
    return generator;
  }
}

/**
 * Writes a text frame; false when the socket is no longer open (graphql-ws then ends the
 * subscription). On a backed-up socket (SEND_WITHOUT_WAITING_BYTES) a promise that resolves once the
 * frame is flushed, like graphql-ws's ws adapter; otherwise true at once.
 */
function send(socket: WebSocket, data: Buffer): boolean | Promise<boolean> {
  if (socket.readyState !== socket.OPEN) return false;
  if (socket.bufferedAmount < SEND_WITHOUT_WAITING_BYTES) {
    // A write that fails closes the socket (ws), which ends the subscription through graphql-ws.
    socket.send(data, { binary: false });
    return true;
  }
  return new Promise((resolve, reject) => {
    socket.send(data, { binary: false }, (err) => (err ? reject(err) : resolve(true)));
  });
}
