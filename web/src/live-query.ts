// liveQuery: a snapshot (which reflects a `seq`) + a subscription `since: seq`, resumed after every
// reconnect with `since: lastSeq`, deduplicated by seq, so nothing is missed and nothing shown twice.
// It talks to the server only through graphql-client's `subscribe` and connection state.

import type { TypedDocument } from "./graphql";
import {
  backoffDelay,
  type ConnectionState,
  type GraphQLRequestError,
  onConnectionState,
  type SubscriptionSink,
  subscribe,
  toRequestError,
  type Variables,
} from "./graphql-client";

/** Compares two event sequence numbers (decimal strings of any length). */
export function compareSeq(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

export function maxSeq(seqs: Iterable<string | null | undefined>): string | null {
  let best: string | null = null;
  for (const seq of seqs) {
    if (seq != null && (best === null || compareSeq(seq, best) > 0)) best = seq;
  }
  return best;
}

/** How a live query reaches the server; injected in unit tests. */
export interface LiveTransport {
  subscribe(
    document: TypedDocument<unknown, never>,
    variables: Variables,
    sink: SubscriptionSink<unknown>,
  ): () => void;
  onConnectionState(listener: (state: ConnectionState) => void): () => void;
}

export const defaultTransport: LiveTransport = {
  subscribe: (document, variables, sink) => subscribe(document, variables as never, sink),
  onConnectionState,
};

export interface LiveQueryOptions<S, E, D = unknown> {
  /** Loads the snapshot and the `seq` it reflects (null if unknown: the subscription starts "now"). */
  load: () => Promise<{ snapshot: S; seq: string | null }>;
  /** The subscription document; it must take `$since: String`. */
  subscription: TypedDocument<D, never>;
  variables?: Variables;
  /** Picks the event out of the subscription's data, e.g. `(data) => data.statusChanged`. */
  eventOf: (data: D) => E | null | undefined;
  seqOf: (event: E) => string;
  apply: (state: S, event: E) => S;
  onState: (state: S) => void;
  onError?: (error: GraphQLRequestError) => void;
}

export interface LiveQueryHandle<S> {
  stop(): void;
  /** Reloads the snapshot and resubscribes from its seq. */
  resync(): void;
  /** Applies a local change (e.g. a mutation's answer) to the live state. */
  update(change: (state: S) => S): void;
  lastSeq(): string | null;
}

/**
 * Snapshot, then `subscribe(since: seq)`. Every event with a seq not greater than the last one seen
 * is dropped (replays after a reconnect overlap). When the connection drops, the subscription is
 * disposed; when it is live again, a new one starts with `since: lastSeq`. If the subscription fails
 * (e.g. the server no longer replays events that old: SNAPSHOT_REQUIRED) the snapshot is reloaded.
 */
export function liveQuery<S, E, D = unknown>(
  options: LiveQueryOptions<S, E, D>,
  transport: LiveTransport = defaultTransport,
): LiveQueryHandle<S> {
  let stopped = false;
  let state: S | undefined;
  let lastSeq: string | null = null;
  let loaded = false;
  let loading = false;
  let live = false;
  let generation = 0;
  let dispose: (() => void) | null = null;
  let loadFailures = 0;
  /** Reloads because the server said SNAPSHOT_REQUIRED, since the last event received. */
  let snapshotReloads = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const unsubscribe = () => {
    generation++;
    const d = dispose;
    dispose = null;
    d?.();
  };

  const startSubscription = () => {
    if (stopped || !loaded || !live || dispose) return;
    const mine = ++generation;
    dispose = transport.subscribe(
      options.subscription,
      { ...options.variables, since: lastSeq },
      {
        next: (data) => {
          if (mine !== generation || stopped || state === undefined) return;
          const event = options.eventOf(data as D);
          if (!event) return;
          const seq = options.seqOf(event);
          snapshotReloads = 0;
          if (lastSeq !== null && compareSeq(seq, lastSeq) <= 0) return; // seen already
          lastSeq = seq;
          state = options.apply(state, event);
          options.onState(state);
        },
        error: (error) => {
          if (mine !== generation || stopped) return;
          dispose = null;
          // `since` is older than the server replays (BEACON_REPLAY_MAX_EVENTS, docs/events.md): the
          // snapshot is the way back, at once; only if it keeps happening, with the usual backoff.
          if (error.code === "SNAPSHOT_REQUIRED" && snapshotReloads++ === 0) {
            resync();
            return;
          }
          options.onError?.(error);
          if (error.code === "UNAUTHENTICATED" || error.code === "FORBIDDEN") return;
          scheduleResync();
        },
        complete: () => {
          if (mine !== generation || stopped) return;
          // The server ended the stream: start again from where we were.
          dispose = null;
          startSubscription();
        },
      },
    );
  };

  const load = async () => {
    if (stopped || loading) return;
    loading = true;
    try {
      const { snapshot, seq } = await options.load();
      if (stopped) return;
      loadFailures = 0;
      state = snapshot;
      lastSeq = seq;
      loaded = true;
      options.onState(snapshot);
      startSubscription();
    } catch (error) {
      if (stopped) return;
      loadFailures++;
      options.onError?.(toRequestError(error));
      const code = toRequestError(error).code;
      if (code !== "UNAUTHENTICATED" && code !== "FORBIDDEN" && code !== "NOT_FOUND") scheduleResync();
    } finally {
      loading = false;
    }
  };

  const scheduleResync = () => {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => resync(), backoffDelay(loadFailures));
  };

  const resync = () => {
    if (stopped) return;
    unsubscribe();
    loaded = false;
    void load();
  };

  const unlisten = transport.onConnectionState((connection) => {
    live = connection === "live";
    if (live) startSubscription();
    else unsubscribe();
  });

  void load();

  return {
    stop() {
      stopped = true;
      clearTimeout(retryTimer);
      unlisten();
      unsubscribe();
    },
    resync,
    update(change) {
      if (stopped || state === undefined) return;
      state = change(state);
      options.onState(state);
    },
    lastSeq: () => lastSeq,
  } satisfies LiveQueryHandle<S>;
}
