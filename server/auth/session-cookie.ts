import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { parse, serialize } from "cookie";
import type { SessionCookieJar } from "../kernel/context";
import { type Authenticated, authenticate, authenticateSession } from "./auth.service";

/**
 * The browser's session (docs/security.md, "Sessions in the browser"). The web app never sees its
 * token: `login` over HTTP sets it as an HttpOnly, SameSite=Strict cookie scoped to /graphql (the
 * HTTP endpoint and the WebSocket upgrade), Secure when Beacon is served over https. Partners and
 * scripts keep sending `Authorization: Bearer <token or API key>`, which always wins over a cookie.
 *
 * CSRF: a cookie is used on HTTP only when the request also carries the `x-beacon-csrf` header.
 * A cross-site page cannot add a custom header (or send a JSON body) without a CORS preflight,
 * which Beacon never grants, so a forged request arrives without it and runs anonymously: every
 * private operation answers UNAUTHENTICATED and nothing changes. On the WebSocket upgrade, which
 * has no preflight and cannot carry custom headers from a browser, the cookie is used only when
 * the Origin is Beacon's own (cross-site WebSocket hijacking).
 */
export const SESSION_COOKIE = "beacon_session";
export const CSRF_HEADER = "x-beacon-csrf";
const COOKIE_PATH = "/graphql";

const CSRF_PROBLEM = `The session cookie is only accepted with the '${CSRF_HEADER}: 1' header (the Beacon web app sends it). Other clients send 'Authorization: Bearer <token or API key>'.`;
const ORIGIN_PROBLEM =
  "The session cookie is only accepted on WebSockets opened from Beacon's own pages; other clients send { authorization: 'Bearer <token or API key>' } in connectionParams.";

const MAX_COOKIE_HEADER = 8192;

/** The session token in a Cookie header, if any. */
export function sessionTokenOf(cookieHeader: string | undefined): string | null {
  if (!cookieHeader || cookieHeader.length > MAX_COOKIE_HEADER) return null;
  return parse(cookieHeader)[SESSION_COOKIE] || null;
}

/** Whether an HTTP request is authenticated by the session cookie (so it is private, never cached). */
export function usesSessionCookie(headers: IncomingHttpHeaders): boolean {
  return (
    headers.authorization === undefined &&
    headers[CSRF_HEADER] !== undefined &&
    sessionTokenOf(headers.cookie) !== null
  );
}

/** Who is calling over HTTP: the Authorization header, else the session cookie with the CSRF header. */
export async function authenticateHttp(
  beacon: Parameters<typeof authenticate>[0],
  headers: IncomingHttpHeaders,
): Promise<Authenticated & { fromCookie: boolean }> {
  if (headers.authorization !== undefined) {
    return { ...(await authenticate(beacon, headers.authorization)), fromCookie: false };
  }
  const token = sessionTokenOf(headers.cookie);
  if (!token) return { principal: null, problem: null, fromCookie: false };
  if (headers[CSRF_HEADER] === undefined)
    return { principal: null, problem: CSRF_PROBLEM, fromCookie: false };
  return { ...(await authenticateSession(beacon, token)), fromCookie: true };
}

/** The Origin is this server's own: the Host it was reached at, or the configured public URL. */
export function isOwnOrigin(
  origin: string | undefined,
  host: string | undefined,
  publicUrl: string,
): boolean {
  if (origin === undefined) return true; // not a browser: browsers always send Origin on WebSockets
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.host === host) return true;
  try {
    return url.origin === new URL(publicUrl).origin;
  } catch {
    return false;
  }
}

/** Who is calling over graphql-ws: connectionParams' authorization, else the cookie of the upgrade. */
export function authenticateUpgrade(
  beacon: Parameters<typeof authenticate>[0],
  request: IncomingMessage,
  authorization: string | undefined,
): Promise<Authenticated> {
  if (authorization !== undefined) return authenticate(beacon, authorization);
  const token = sessionTokenOf(request.headers.cookie);
  if (!token) return Promise.resolve({ principal: null, problem: null });
  if (!isOwnOrigin(request.headers.origin, request.headers.host, beacon.config.publicUrl)) {
    return Promise.resolve({ principal: null, problem: ORIGIN_PROBLEM });
  }
  return authenticateSession(beacon, token);
}

/** Sets and clears the session cookie on one HTTP response. */
export function sessionCookieJar(res: ServerResponse, secure: boolean): SessionCookieJar {
  const write = (value: string, expires: Date) =>
    res.appendHeader(
      "Set-Cookie",
      serialize(SESSION_COOKIE, value, {
        httpOnly: true,
        sameSite: "strict",
        secure,
        path: COOKIE_PATH,
        expires,
      }),
    );
  return {
    set: (token, expiresAt) => write(token, expiresAt),
    clear: () => write("", new Date(0)),
  };
}
