// THE GraphQL client of the Beacon web app. Everything that talks to the server goes through here:
//  - query / mutate: HTTP POST to same-origin /graphql with the bearer token from localStorage;
//  - subscribe: graphql-ws over ws(s)://<host>/graphql with automatic reconnect and backoff;
//  - liveQuery: snapshot (which reflects a `seq`) + subscription `since: seq`, resumed after every
//    reconnect with `since: lastSeq`, deduplicated by seq, so nothing is missed and nothing shown twice;
//  - connection state ("live" | "reconnecting" | "offline") for the live indicator.

import { type Client, createClient } from "graphql-ws";

export const TOKEN_KEY = "beacon.token";
const ENDPOINT = "/graphql";

export type Variables = Record<string, unknown>;
export type ConnectionState = "live" | "reconnecting" | "offline";

// ---------------------------------------------------------------------------------------------
// Errors

export interface GraphQLErrorLike {
  message: string;
  extensions?: { code?: string; [key: string]: unknown };
  path?: ReadonlyArray<string | number>;
}

/** What every failed request rejects with: the server's message verbatim and `extensions.code`. */
export class GraphQLRequestError extends Error {
  readonly extensions: { code: string; [key: string]: unknown };
  readonly errors: GraphQLErrorLike[];

  constructor(errors: GraphQLErrorLike[]) {
    const first = errors[0] ?? { message: "Unknown error" };
    super(first.message);
    this.name = "GraphQLRequestError";
    this.errors = errors;
    this.extensions = { ...first.extensions, code: first.extensions?.code ?? "INTERNAL_SERVER_ERROR" };
  }

  get code(): string {
    return this.extensions.code;
  }
}

export function isGraphQLRequestError(error: unknown): error is GraphQLRequestError {
  return error instanceof GraphQLRequestError;
}

/** Normalises anything thrown (fetch failure, close event, GraphQL errors) into a GraphQLRequestError. */
export function toRequestError(error: unknown): GraphQLRequestError {
  if (error instanceof GraphQLRequestError) return error;
  if (Array.isArray(error)) return new GraphQLRequestError(error as GraphQLErrorLike[]);
  if (error && typeof error === "object" && "code" in error && "reason" in error) {
    const close = error as { code: number; reason: string };
    return new GraphQLRequestError([
      {
        message: close.reason || `Connection closed (${close.code})`,
        extensions: { code: "CONNECTION_CLOSED" },
      },
    ]);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new GraphQLRequestError([{ message, extensions: { code: "NETWORK_ERROR" } }]);
}

// ---------------------------------------------------------------------------------------------
// Token

type Listener = () => void;
const tokenListeners = new Set<Listener>();

export function getToken(): string | null {
  try {
    return globalThis.localStorage?.getItem(TOKEN_KEY) ?? null;
  } catch {
    return null;
  }
}

/** Stores (or clears) the bearer token; live connections are re-established with the new identity. */
export function setToken(token: string | null): void {
  try {
    if (token) localStorage.setItem(TOKEN_KEY, token);
    else localStorage.removeItem(TOKEN_KEY);
  } catch {
    // storage unavailable (private mode): the session lasts as long as the page
  }
  for (const listener of tokenListeners) listener();
  resetConnection();
}

export function onTokenChange(listener: Listener): () => void {
  tokenListeners.add(listener);
  return () => tokenListeners.delete(listener);
}

// ---------------------------------------------------------------------------------------------
// HTTP: query / mutate

interface ExecutionResult<T> {
  data?: T | null;
  errors?: GraphQLErrorLike[];
}

async function request<T>(document: string, variables: Variables = {}, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/graphql-response+json, application/json",
  };
  const token = getToken();
  if (token) headers.authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(ENDPOINT, {
      method: "POST",
      headers,
      body: JSON.stringify({ query: document, variables }),
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new GraphQLRequestError([
      {
        message: "Cannot reach the Beacon server. Check your connection and try again.",
        extensions: { code: "NETWORK_ERROR", cause: String(error) },
      },
    ]);
  }
  let body: ExecutionResult<T> | undefined;
  try {
    body = (await response.json()) as ExecutionResult<T>;
  } catch {
    body = undefined;
  }
  if (body?.errors?.length) throw new GraphQLRequestError(body.errors);
  if (!response.ok || !body?.data) {
    throw new GraphQLRequestError([
      {
        message: `The server answered ${response.status} ${response.statusText}`.trim(),
        extensions: { code: `HTTP_${response.status}` },
      },
    ]);
  }
  return body.data;
}

export function query<T>(document: string, variables?: Variables, signal?: AbortSignal): Promise<T> {
  return request<T>(document, variables, signal);
}

export function mutate<T>(document: string, variables?: Variables): Promise<T> {
  return request<T>(document, variables);
}

// ---------------------------------------------------------------------------------------------
// WebSocket: connection state and subscribe

let connectionState: ConnectionState = "reconnecting";
const stateListeners = new Set<(state: ConnectionState) => void>();
let wsClient: Client | null = null;
let failedAttempts = 0;
const OFFLINE_AFTER_FAILED_ATTEMPTS = 4;

function setConnectionState(next: ConnectionState): void {
  if (next === connectionState) return;
  connectionState = next;
  for (const listener of [...stateListeners]) listener(next);
}

function browserOffline(): boolean {
  return typeof navigator !== "undefined" && navigator.onLine === false;
}

function disconnectedState(): ConnectionState {
  return browserOffline() || failedAttempts >= OFFLINE_AFTER_FAILED_ATTEMPTS ? "offline" : "reconnecting";
}

if (typeof window !== "undefined") {
  window.addEventListener("offline", () => setConnectionState("offline"));
  window.addEventListener("online", () => {
    if (connectionState !== "live") setConnectionState("reconnecting");
  });
}

function socketUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === "https:" ? "wss:" : "ws:"}//${host}${ENDPOINT}`;
}

/** Exponential backoff with full jitter, capped at 30 s. */
export function backoffDelay(retries: number): number {
  const cap = Math.min(30_000, 1_000 * 2 ** retries);
  return Math.round(cap / 2 + Math.random() * (cap / 2));
}

function ensureClient(): Client {
  if (wsClient) return wsClient;
  let pongTimer: ReturnType<typeof setTimeout> | undefined;
  let activeSocket: WebSocket | null = null;
  const client = createClient({
    url: socketUrl,
    lazy: false,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, backoffDelay(retries))),
    keepAlive: 10_000,
    connectionParams: () => {
      const token = getToken();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    onNonLazyError: (error) => {
      // A fatal close (for example 4401/4403 for an expired token): start over, anonymously if need be.
      const code = (error as { code?: number } | null)?.code;
      if (code === 4401 || code === 4403) {
        try {
          localStorage.removeItem(TOKEN_KEY);
        } catch {}
        for (const listener of tokenListeners) listener();
      }
      if (wsClient === client) wsClient = null;
      failedAttempts++;
      setConnectionState(disconnectedState());
      setTimeout(() => {
        if (!wsClient && stateListeners.size > 0) ensureClient();
      }, backoffDelay(failedAttempts));
    },
  });
  client.on("opened", (socket) => {
    activeSocket = socket as WebSocket;
  });
  client.on("connected", () => {
    failedAttempts = 0;
    setConnectionState("live");
  });
  client.on("closed", () => {
    activeSocket = null;
    if (pongTimer) clearTimeout(pongTimer);
    if (connectionState === "live") failedAttempts = 0;
    else failedAttempts++;
    setConnectionState(disconnectedState());
  });
  // Detect half-open sockets: if a ping is not answered within 5 s, drop the socket and reconnect.
  client.on("ping", (received) => {
    if (received) return;
    pongTimer = setTimeout(() => {
      if (activeSocket?.readyState === WebSocket.OPEN) activeSocket.close(4408, "Request Timeout");
    }, 5_000);
  });
  client.on("pong", (received) => {
    if (received && pongTimer) clearTimeout(pongTimer);
  });
  wsClient = client;
  return client;
}

/** Drops the current socket; the client reconnects (with the current token) and live queries resume. */
export function resetConnection(): void {
  wsClient?.terminate();
}

export function getConnectionState(): ConnectionState {
  return connectionState;
}

/** Listens to the connection state; the listener is called at once with the current state. */
export function onConnectionState(listener: (state: ConnectionState) => void): () => void {
  ensureClient();
  stateListeners.add(listener);
  listener(connectionState);
  return () => {
    stateListeners.delete(listener);
  };
}

export interface SubscriptionSink<T> {
  next(data: T): void;
  error?(error: GraphQLRequestError): void;
  complete?(): void;
}

/**
 * Subscribes over graphql-ws. graphql-ws re-sends the same operation after a reconnect; use
 * `liveQuery` when the subscription must resume from the last seen `seq`.
 */
export function subscribe<T>(
  document: string,
  variables: Variables,
  onEvent: ((data: T) => void) | SubscriptionSink<T>,
): () => void {
  const sink: SubscriptionSink<T> = typeof onEvent === "function" ? { next: onEvent } : onEvent;
  return ensureClient().subscribe<T>(
    { query: document, variables },
    {
      next: (result) => {
        if (result.errors?.length) sink.error?.(new GraphQLRequestError(result.errors as GraphQLErrorLike[]));
        else if (result.data) sink.next(result.data as T);
      },
      error: (error) => sink.error?.(toRequestError(error)),
      complete: () => sink.complete?.(),
    },
  );
}

// ---------------------------------------------------------------------------------------------
// liveQuery: snapshot + resumable subscription

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
  subscribe(document: string, variables: Variables, sink: SubscriptionSink<unknown>): () => void;
  onConnectionState(listener: (state: ConnectionState) => void): () => void;
}

export const defaultTransport: LiveTransport = { subscribe, onConnectionState };

export interface LiveQueryOptions<S, E> {
  /** Loads the snapshot and the `seq` it reflects (null if unknown: the subscription starts "now"). */
  load: () => Promise<{ snapshot: S; seq: string | null }>;
  /** The subscription document; it must take `$since: String`. */
  subscription: string;
  variables?: Variables;
  /** Picks the event out of the subscription's data, e.g. `(data) => data.statusChanged`. */
  eventOf: (data: unknown) => E | null | undefined;
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
 * (e.g. the server no longer has events that old) the snapshot is reloaded.
 */
export function liveQuery<S, E>(
  options: LiveQueryOptions<S, E>,
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
          const event = options.eventOf(data);
          if (!event) return;
          const seq = options.seqOf(event);
          if (lastSeq !== null && compareSeq(seq, lastSeq) <= 0) return; // seen already
          lastSeq = seq;
          state = options.apply(state, event);
          options.onState(state);
        },
        error: (error) => {
          if (mine !== generation || stopped) return;
          dispose = null;
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
