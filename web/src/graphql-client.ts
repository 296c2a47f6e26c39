// THE GraphQL client of the Beacon web app. Everything that talks to the server goes through here:
//  - query / mutate: HTTP POST to same-origin /graphql; a signed-in browser is identified by the
//    HttpOnly session cookie the server set at login (never readable here, so never in storage),
//    and every request carries the x-beacon-csrf header the server requires to accept that cookie;
//  - publicQuery: the status page's anonymous reads as GET with an automatic persisted query (the
//    document's SHA-256 instead of its text), so a CDN or the browser can cache them by URL;
//  - subscribe: graphql-ws over ws(s)://<host>/graphql (the upgrade carries the cookie) with
//    automatic reconnect and backoff;
//  - connection state ("live" | "reconnecting" | "offline") for the live indicator.

// Documents are written with `graphql()` (./graphql.ts), so results and variables are typed from the
// schema. Live views use `liveQuery` (./live-query.ts), built on `subscribe` and the connection state.

import { type Client, createClient } from "graphql-ws";
import { documentText, type TypedDocument } from "./graphql";

const ENDPOINT = "/graphql";
/** The server accepts the session cookie only with this header (server/auth/session-cookie.ts). */
const CSRF_HEADER = "x-beacon-csrf";

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
// Session: the cookie is the server's business; the client only hears when it starts or ends.

type SessionEndListener = (message: string) => void;
const sessionEndListeners = new Set<SessionEndListener>();

/**
 * Called when the server says the caller is not (or no longer) signed in: a session that expired,
 * went idle or was revoked elsewhere. The war room then shows the sign-in form.
 */
export function onSessionEnded(listener: SessionEndListener): () => void {
  sessionEndListeners.add(listener);
  return () => sessionEndListeners.delete(listener);
}

function reportErrors(errors: readonly GraphQLErrorLike[] | undefined): void {
  const refusal = errors?.find((e) => e.extensions?.code === "UNAUTHENTICATED");
  if (!refusal) return;
  for (const listener of [...sessionEndListeners]) listener(refusal.message);
}

/** After signing in or out: live connections are re-established with the new identity. */
export function sessionChanged(): void {
  resetConnection();
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
    [CSRF_HEADER]: "1",
  };
  return send<T>(
    ENDPOINT,
    {
      method: "POST",
      credentials: "same-origin",
      headers,
      body: JSON.stringify({ query: documentText(document), variables }),
      signal,
    },
    signal,
  );
}

/** One HTTP exchange: the data, or a GraphQLRequestError with the server's words. */
async function send<T>(url: string, init: RequestInit, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, init);
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
  if (body?.errors?.length) {
    reportErrors(body.errors);
    throw new GraphQLRequestError(body.errors);
  }
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

// The SHA-256 of each document's text, computed once (Web Crypto is async).
const documentHashes = new Map<string, Promise<string>>();
function hashOf(text: string): Promise<string> {
  let hash = documentHashes.get(text);
  if (!hash) {
    hash = crypto.subtle
      .digest("SHA-256", new TextEncoder().encode(text))
      .then((buf) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, "0")).join(""));
    documentHashes.set(text, hash);
  }
  return hash;
}

/**
 * An anonymous public read (the status page's own queries) as a cacheable GET with an automatic
 * persisted query: first the document's hash only; if the server does not know it yet
 * (PERSISTED_QUERY_NOT_FOUND), once more with the text, after which the hash alone does. No cookie
 * and no CSRF header: the answer is the same for everyone, which is what lets it be cached. Where
 * Web Crypto is missing (plain http on a non-local host) it falls back to POST.
 */
export async function publicQuery<T, V>(
  document: TypedDocument<T, V>,
  variables?: V,
  signal?: AbortSignal,
): Promise<T> {
  const text = documentText(document);
  if (!globalThis.crypto?.subtle)
    return request<T>(document as TypedDocument<T, never>, variables ?? {}, signal);
  const params = new URLSearchParams({
    variables: JSON.stringify(variables ?? {}),
    extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: await hashOf(text) } }),
  });
  // Not a "simple" request, so Apollo's CSRF prevention lets the GET through; same-origin, no preflight.
  // no-cache: the browser revalidates (a 304 by ETag costs nothing) rather than reuse an answer up
  // to max-age old, so a refetch after a live event sees that event; shared caches still serve it.
  const init: RequestInit = {
    method: "GET",
    cache: "no-cache",
    credentials: "omit",
    headers: {
      accept: "application/graphql-response+json, application/json",
      "apollo-require-preflight": "1",
    },
    signal,
  };
  try {
    return await send<T>(`${ENDPOINT}?${params}`, init, signal);
  } catch (e) {
    if (!(e instanceof GraphQLRequestError) || e.code !== "PERSISTED_QUERY_NOT_FOUND") throw e;
    params.set("query", text);
    return send<T>(`${ENDPOINT}?${params}`, init, signal);
  }
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
    onNonLazyError: () => {
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

/** Drops the current socket; the client reconnects (with the current cookie) and live queries resume. */
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
        if (result.errors?.length) {
          reportErrors(result.errors as GraphQLErrorLike[]);
          sink.error?.(new GraphQLRequestError(result.errors as GraphQLErrorLike[]));
        } else if (result.data) sink.next(result.data as T);
      },
      error: (error) => {
        const failure = toRequestError(error);
        reportErrors(failure.errors);
        sink.error?.(failure);
      },
      complete: () => sink.complete?.(),
    },
  );
}
