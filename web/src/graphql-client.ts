// THE GraphQL client of the Beacon web app. Everything that talks to the server goes through here:
//  - query / mutate: HTTP POST to same-origin /graphql with the bearer token from localStorage;
//  - subscribe: graphql-ws over ws(s)://<host>/graphql with automatic reconnect and backoff;
//  - connection state ("live" | "reconnecting" | "offline") for the live indicator.

// Documents are written with `graphql()` (./graphql.ts), so results and variables are typed from the
// schema. Live views use `liveQuery` (./live-query.ts), built on `subscribe` and the connection state.

import { type Client, createClient } from "graphql-ws";
import { documentText, type TypedDocument } from "./graphql";

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

async function request<T>(
  document: TypedDocument<T, never>,
  variables = {},
  signal?: AbortSignal,
): Promise<T> {
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
      body: JSON.stringify({ query: documentText(document), variables }),
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

export function query<T, V>(document: TypedDocument<T, V>, variables?: V, signal?: AbortSignal): Promise<T> {
  return request<T>(document, variables ?? {}, signal);
}

export function mutate<T, V>(document: TypedDocument<T, V>, variables?: V): Promise<T> {
  return request<T>(document, variables ?? {});
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
 * `liveQuery` (./live-query.ts) when the subscription must resume from the last seen `seq`.
 */
export function subscribe<T, V>(
  document: TypedDocument<T, V>,
  variables: V,
  onEvent: ((data: T) => void) | SubscriptionSink<T>,
): () => void {
  const sink: SubscriptionSink<T> = typeof onEvent === "function" ? { next: onEvent } : onEvent;
  return ensureClient().subscribe<T>(
    { query: documentText(document), variables: variables as Variables },
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
