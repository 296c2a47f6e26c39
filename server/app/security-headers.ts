import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { RequestHandler } from "express";
import helmet from "helmet";
import type { BeaconConfig } from "../kernel/config";
import { PLAIN_PAGE_CSS } from "../kernel/plain-page";
import type { BaseHeaders } from "../public-snapshot/prepared-body";

/**
 * Response headers every Beacon answer carries (helmet; docs/security.md, "Browser headers").
 *
 * The Content-Security-Policy allows only Beacon's own scripts, styles, images and connections:
 * no inline script (the status page's first-paint data travels in a non-executable
 * `<script type="application/json">` block), no inline style attribute in served HTML (React's
 * `style={...}` is applied through the CSSOM, which CSP does not govern), no eval, no plugins, no
 * framing. Neither the status page nor the war room may be framed: embedding is not a feature,
 * and a framed war room could be clickjacked. The one inline style allowed is the mail-link pages'
 * fixed stylesheet (kernel/plain-page.ts), by its hash: any other inline style is still refused.
 */

const PLAIN_PAGE_STYLE = `'sha256-${createHash("sha256").update(PLAIN_PAGE_CSS).digest("base64")}'`;

// A Host header is client input: only a plain host[:port] goes into the policy.
const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** 'self' and graphql-ws to this same host: CSP 3 lets 'self' cover ws(s), older engines need it spelled out. */
const connectSources = (req: IncomingMessage): string => {
  const host = req.headers.host;
  return host && HOST.test(host) ? `'self' ws://${host} wss://${host}` : "'self'";
};

function helmetFor(config: Pick<BeaconConfig, "publicUrl">): RequestHandler {
  const https = config.publicUrl.startsWith("https:");
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", PLAIN_PAGE_STYLE],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'"],
        connectSrc: [connectSources],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        // Only behind https: on plain http it would send the browser to an https port nobody listens on.
        upgradeInsecureRequests: https ? [] : null,
      },
    },
    xFrameOptions: { action: "deny" },
    referrerPolicy: { policy: "no-referrer" },
    // Browsers ignore HSTS over http; sending it there only confuses whoever reads the headers.
    strictTransportSecurity: https ? { maxAge: 365 * 24 * 3600, includeSubDomains: false } : false,
  });
}

/**
 * Express middleware setting the security headers. helmet's own middleware is a chain of a dozen
 * that recompute the same values on every request; here helmet computes them once per Host
 * (`securityHeaderLists`, shared with the fast path) and each request gets that list: the same
 * headers, at a fraction of the cost on every request express answers (signed-in GraphQL among them).
 */
export function securityHeaders(lists: (req: IncomingMessage) => BaseHeaders): RequestHandler {
  return (req, res, next) => {
    const { list } = lists(req);
    for (let i = 0; i < list.length; i += 2) res.setHeader(list[i]!, list[i + 1]!);
    next();
  };
}

/** Distinct Host headers whose security headers are remembered (a client can send any). */
const MAX_HOSTS = 32;

/**
 * The same headers as `securityHeaders`, as flat [name, value, ...] lists for a response written
 * in one `writeHead` before express (public-snapshot/fast-path.ts). Made by running the very same
 * helmet middleware against a recording response, once per Host header (the policy names the host
 * for WebSocket connections), so the two paths cannot drift apart.
 */
export function securityHeaderLists(
  config: Pick<BeaconConfig, "publicUrl">,
): (req: IncomingMessage) => BaseHeaders {
  const middleware = helmetFor(config) as unknown as (
    req: IncomingMessage,
    res: { setHeader(name: string, value: unknown): void; removeHeader(name: string): void },
    next: (err?: unknown) => void,
  ) => void;
  const byHost = new Map<string, BaseHeaders>();
  const make = (req: IncomingMessage): string[] => {
    const list: string[] = [];
    let failure: unknown = null;
    middleware(
      req,
      { setHeader: (name, value) => list.push(name, String(value)), removeHeader: () => {} },
      (err) => {
        failure = err ?? null;
      },
    );
    if (failure) throw failure;
    return list;
  };
  return (req) => {
    const host = req.headers.host ?? "";
    const known = byHost.get(host);
    if (known) return known;
    const list = make(req);
    if (byHost.size >= MAX_HOSTS) return { id: -1, list };
    const made: BaseHeaders = { id: byHost.size + 1, list };
    byHost.set(host, made);
    return made;
  };
}
