import type { IncomingMessage, Server } from "node:http";
import proxyaddr from "proxy-addr";
import type { WebSocketServer } from "ws";
import type { Logger } from "../kernel/log";

/** Largest WebSocket frame accepted: the same 1 MB as an HTTP body (ws's default is 100 MiB). */
export const WS_MAX_PAYLOAD = 1024 * 1024;

const CLIENT = Symbol("beacon.clientAddress");

/**
 * Resolves, once per WebSocket upgrade, the client's address behind trusted proxies
 * (BEACON_TRUST_PROXY, the same rule Express applies to `req.ip` over HTTP). Registered before ws's
 * own upgrade listener, so the caps and limits below see it.
 */
export function resolveClientAddresses(server: Server, trustProxy: string[] | null): void {
  if (!trustProxy) return;
  const trust = proxyaddr.compile(trustProxy);
  server.prependListener("upgrade", (req: IncomingMessage & { [CLIENT]?: string }) => {
    req[CLIENT] = proxyaddr(req, trust);
  });
}

/** The address a request came from: the TCP peer, or the client behind a trusted proxy. */
export const clientAddress = (req: IncomingMessage & { [CLIENT]?: string }): string =>
  req[CLIENT] ?? req.socket.remoteAddress ?? "unknown";

/**
 * Caps open WebSockets per client address. Checked in `verifyClient`, so a refused client gets an
 * HTTP 429 before the upgrade and costs no socket. Concurrent handshakes from one address may pass
 * the check together and overshoot by a few; the cap is a guard against floods, not an exact quota.
 */
export function connectionCap(max: number) {
  const open = new Map<string, number>();
  return {
    /** Counts the server's sockets per address. */
    attach(wss: WebSocketServer): void {
      wss.on("connection", (socket, req) => {
        const ip = clientAddress(req);
        open.set(ip, (open.get(ip) ?? 0) + 1);
        socket.once("close", () => {
          const n = (open.get(ip) ?? 1) - 1;
          if (n <= 0) open.delete(ip);
          else open.set(ip, n);
        });
      });
    },
    verifyClient(
      info: { req: IncomingMessage },
      done: (ok: boolean, code?: number, message?: string, headers?: Record<string, string>) => void,
    ): void {
      const n = open.get(clientAddress(info.req)) ?? 0;
      if (n >= max) {
        done(false, 429, `Too many open connections from your address (limit ${max}); close some first.`, {
          "Retry-After": "10",
        });
        return;
      }
      done(true);
    },
    openFrom: (ip: string) => open.get(ip) ?? 0,
  };
}

/**
 * connectionParams come from the client as arbitrary JSON: only a string `authorization` (or
 * `Authorization`) is meaningful. Returns the token header or a message saying what is wrong.
 */
export function readConnectionParams(
  params: Readonly<Record<string, unknown>> | undefined,
): { authorization: string | undefined } | { problem: string } {
  if (params === undefined || params === null) return { authorization: undefined };
  if (typeof params !== "object" || Array.isArray(params)) {
    return {
      problem: 'connection_init payload must be an object such as { "authorization": "Bearer <token>" }.',
    };
  }
  const value = params.authorization ?? params.Authorization;
  if (value === undefined || value === null) return { authorization: undefined };
  if (typeof value !== "string" || value.length > 4096) {
    return { problem: 'connectionParams.authorization must be a string "Bearer <token>" (or be left out).' };
  }
  return { authorization: value };
}

/**
 * A client's protocol error (a frame over `maxPayload`, invalid UTF-8, a bad opcode: ws's
 * `WS_ERR_*` codes) is the client's mistake, and ws has already closed the socket with the right
 * code (1009, 1007, 1002). graphql-ws's ws adapter treats any socket `error` as an internal fault:
 * it prints "Internal error emitted on a WebSocket socket" to stderr and tries to close with 4500.
 * graphql-ws has no option for this, so such errors are logged at debug here and not passed on.
 */
export function quietClientProtocolErrors(wss: WebSocketServer, log: Logger): void {
  wss.on("connection", (socket, req) => {
    const emit = socket.emit.bind(socket);
    socket.emit = ((event: string | symbol, ...args: unknown[]) => {
      const code = (args[0] as { code?: unknown } | undefined)?.code;
      if (event === "error" && typeof code === "string" && code.startsWith("WS_ERR_")) {
        log.debug({ code, address: clientAddress(req) }, "WebSocket client protocol error; socket closed");
        return true;
      }
      return emit(event, ...args);
    }) as typeof socket.emit;
  });
}
