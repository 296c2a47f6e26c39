import type { IncomingMessage } from "node:http";
import type { Request, RequestHandler, Response } from "express";
import type { GraphQLError } from "graphql";
import proxyaddr from "proxy-addr";
import type { WebSocket } from "ws";
import { authenticateHttp, authenticateUpgrade, sessionTokenOf } from "../auth/session-cookie";
import type { Beacon, Principal } from "../kernel/context";
import { type Count, type LimitSpec, rateLimited, waitWords } from "../rate-limit";
import { clientAddress } from "./ws-guard";

/**
 * Per-IP rate limits in front of the anonymous ways in (docs/security.md, "Rate limits"): HTTP
 * (/graphql, /api/*, feeds), WebSocket connection attempts, and subscription starts on anonymous
 * sockets. All counted per instance in memory by rate-limiter-flexible (server/rate-limit/): the
 * snapshot answers those reads without the database and a reconnect storm must not wait on it
 * either; a counting write per request would undo both. Sign-in is counted in PostgreSQL.
 */
export interface Authenticated {
  principal: Principal | null;
  problem: string | null;
  fromCookie: boolean;
}

function specs(beacon: Beacon) {
  const l = beacon.config.limits;
  return {
    // Per instance, in memory: see LimitSpec.local (the reads it guards cost no database work).
    http: { name: "http-anonymous", points: l.httpPerMinute, durationSeconds: 60, local: true },
    // Also per instance: a reconnect storm after a deploy is thousands of connections and
    // subscriptions in seconds, each resuming by reading its missed events; a counting write per
    // connection on top starved the pool (npm run bench, storm).
    wsConnect: { name: "ws-connect", points: l.wsConnectionsPerMinute, durationSeconds: 60, local: true },
    wsSubscribe: {
      name: "ws-subscribe",
      points: l.wsSubscriptionsPerMinute,
      durationSeconds: 60,
      local: true,
    },
  } satisfies Record<string, LimitSpec>;
}

const ipOf = (req: Request) => req.ip ?? req.socket.remoteAddress ?? "unknown";

/** A count already made for this request before express (the fast path), so express does not count it twice. */
const COUNTED = Symbol("beacon.anonymousHttpCounted");
type Counted = IncomingMessage & { [COUNTED]?: Count };

/**
 * The anonymous HTTP limit for the public snapshot's fast path (public-snapshot/fast-path.ts),
 * before express: the same in-memory counter, keyed by the same address express's `req.ip` gives
 * (the TCP peer, or the client behind a trusted proxy). A refused request goes on to express,
 * which answers the 429 from this count instead of counting again.
 */
export function anonymousHttpAdmission(beacon: Beacon): (req: IncomingMessage) => Promise<boolean> {
  const spec = specs(beacon).http;
  const trust = beacon.config.trustProxy ? proxyaddr.compile(beacon.config.trustProxy) : null;
  return async (req) => {
    const ip = trust ? proxyaddr(req, trust) : (req.socket.remoteAddress ?? "unknown");
    const c = await beacon.rateLimits.count(spec, ip);
    if (!c.allowed) (req as Counted)[COUNTED] = c;
    return c.allowed;
  };
}

/** What the GraphQL context reuses instead of authenticating the request a second time. */
export const authenticatedOf = (res: Response): Authenticated | undefined =>
  res.locals.beaconAuth as Authenticated | undefined;

/**
 * Express middleware: an anonymous request (no credentials, or credentials that do not authenticate)
 * counts against its IP; past the limit it is refused with 429, Retry-After and the JSON error body
 * (through httpErrorHandler). With `authenticates`, a request that carries credentials (the
 * Authorization header or the session cookie) is authenticated here (once; the GraphQL context
 * reuses it) and a valid one is not counted.
 */
export function anonymousHttpLimit(
  beacon: Beacon,
  { authenticates }: { authenticates: boolean },
): RequestHandler {
  const spec = specs(beacon).http;
  return async (req, res, next) => {
    try {
      const credentials =
        req.headers.authorization !== undefined || sessionTokenOf(req.headers.cookie) !== null;
      if (authenticates && credentials) {
        // The database not answering: the GraphQL side answers that (at once, once it is known:
        // kernel/database-availability.ts), as it would without a limit.
        if (beacon.database.down) return next();
        const auth = await authenticateHttp(beacon, req.headers).catch((err: unknown) => {
          beacon.database.report(err);
          return null;
        });
        if (auth === null) return next();
        res.locals.beaconAuth = auth satisfies Authenticated;
        if (auth.principal) return next();
      }
      const c = (req as Counted)[COUNTED] ?? (await beacon.rateLimits.count(spec, ipOf(req)));
      if (c.allowed) return next();
      next(
        rateLimited(
          `Too many requests from your network address (limit ${spec.points} a minute without signing in). Try again in ${waitWords(c.msBeforeNext)}.`,
          c.msBeforeNext,
        ),
      );
    } catch (e) {
      next(e);
    }
  };
}

type VerifyDone = (ok: boolean, code?: number, message?: string, headers?: Record<string, string>) => void;
type Verify = (info: { req: IncomingMessage }, done: VerifyDone) => void;

/**
 * ws's `verifyClient`: after `first` (the open-sockets cap) lets a handshake through, counts the
 * attempt against its IP; past the limit, HTTP 429 with Retry-After before the upgrade (no socket).
 */
export function wsConnectionLimit(beacon: Beacon, first: Verify): Verify {
  const spec = specs(beacon).wsConnect;
  return (info, done) =>
    first(info, (ok, ...refusal) => {
      if (!ok) return done(ok, ...refusal);
      beacon.rateLimits
        .count(spec, clientAddress(info.req))
        .then((c) => {
          if (c.allowed) return done(true);
          const seconds = Math.max(1, Math.ceil(c.msBeforeNext / 1000));
          done(
            false,
            429,
            `Too many WebSocket connections from your address (limit ${spec.points} a minute). Try again in ${waitWords(c.msBeforeNext)}.`,
            { "Retry-After": String(seconds) },
          );
        })
        .catch(() => done(false, 503, "Try again in a moment.", { "Retry-After": "5" }));
    });
}

/**
 * Subscription starts. Sockets that signed in (connection_init with a valid credential) are not
 * counted; an anonymous socket's `subscribe` messages count against its IP, and past the limit that
 * operation gets a graphql-ws `error` message with `RATE_LIMITED` and `retryAfterSeconds` (the
 * socket and its other subscriptions carry on).
 */
export function wsSubscriptionLimit(beacon: Beacon) {
  const spec = specs(beacon).wsSubscribe;
  const signedIn = new WeakSet<WebSocket>();
  return {
    /** From onConnect: is this socket's credential valid? Anonymous unless it is. */
    async connected(socket: WebSocket, request: IncomingMessage, authorization: string | undefined) {
      if (authorization === undefined && sessionTokenOf(request.headers.cookie) === null) return;
      // The database not answering: counted as anonymous, the subscription itself will say more.
      const { principal } = await authenticateUpgrade(beacon, request, authorization).catch(() => ({
        principal: null,
      }));
      if (principal) signedIn.add(socket);
    },
    /** From onSubscribe: null to go on, or the errors to answer this operation with. */
    async check(socket: WebSocket, req: IncomingMessage): Promise<GraphQLError[] | null> {
      if (signedIn.has(socket)) return null;
      const c = await beacon.rateLimits.count(spec, clientAddress(req));
      if (c.allowed) return null;
      return [
        rateLimited(
          `Too many subscriptions started from your address (limit ${spec.points} a minute without signing in). Try again in ${waitWords(c.msBeforeNext)}.`,
          c.msBeforeNext,
        ),
      ];
    },
  };
}
