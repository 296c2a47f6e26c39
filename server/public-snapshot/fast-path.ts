import type { IncomingMessage, ServerResponse } from "node:http";
import querystring from "node:querystring";
import { graphqlKey, type PublicGraphqlRequests } from "./graphql-cache";
import {
  type BaseHeaders,
  bytesOf,
  type PreparedBody,
  Route,
  Variant,
  variantOf,
  wireHeaders,
} from "./prepared-body";
import { httpKey, type PublicSnapshot } from "./snapshot";

/**
 * The snapshot's reads, answered in the `node:http` request listener before express
 * (docs/performance.md, "The fast path"). A read the snapshot holds costs a key lookup, the
 * `If-None-Match` and `Accept-Encoding` checks, the per-IP count and one `writeHead` with a header
 * list made once per body; everything else (a key the snapshot does not hold yet, a signed-in
 * request, anything unusual about the request) goes to express unchanged, which answers it exactly
 * as before: the express routes for the same paths stay behind this one.
 */
export interface FastPathOptions {
  snapshot: PublicSnapshot;
  requests: PublicGraphqlRequests;
  /** The headers express's middleware would set first (helmet), made once per Host. */
  baseHeaders(req: IncomingMessage): BaseHeaders;
  /**
   * Counts an anonymous request against its address (the in-memory per-IP limit express applies on
   * /api and /graphql). False: over the limit — express then refuses it without counting it again.
   */
  admit(req: IncomingMessage): Promise<boolean>;
  /** Authorization or the session cookie: such a request is never answered from the shared snapshot. */
  carriesCredentials(req: IncomingMessage): boolean;
}

/** Hands the request to express, as if the fast path were not there. */
export type Fallback = () => void;
export type FastPath = (req: IncomingMessage, res: ServerResponse, fallback: Fallback) => void;

/** POST bodies read here: the status page's queries are about 2 kB; larger ones are express's. */
const MAX_FAST_BODY = 64 * 1024;
/** Raw requests (GET URL, POST body) remembered with their snapshot key. */
const MAX_REMEMBERED = 1024;
/** What express.json() parses (body-parser: application/json, UTF-8). */
const JSON_TYPE = /^application\/json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;
/** body-parser's strict mode: a JSON body must be an object or an array. */
const FIRST_CHAR = /^[ \t\n\r]*([^ \t\n\r])/;
const ROOT = httpKey("/");

const BODY_ERROR = Symbol("beacon.fastPathBodyError");
type WithBody = IncomingMessage & { body?: unknown; [BODY_ERROR]?: Error };

/**
 * The error express.json() would have raised for a body the fast path already read (it cannot be
 * read twice): passed on by `fastPathBodyError` in express's /graphql chain, so the answer is the
 * same 400 as before.
 */
export function bodyErrorOf(req: IncomingMessage): Error | undefined {
  return (req as WithBody)[BODY_ERROR];
}

function parseFailed(message: string): Error {
  return Object.assign(new SyntaxError(message), {
    status: 400,
    statusCode: 400,
    type: "entity.parse.failed",
  });
}

export function publicFastPath(o: FastPathOptions): FastPath {
  // Raw request -> snapshot key: the same URL or body again costs a Map lookup, not a parse.
  const keys = new Map<string, string>();
  const keyOf = (raw: string, params: () => unknown): string | null => {
    const known = keys.get(raw);
    if (known !== undefined) return known;
    const request = o.requests.read(params());
    if (request === null) return null;
    const key = graphqlKey(request);
    if (keys.size >= MAX_REMEMBERED) keys.clear();
    keys.set(raw, key);
    return key;
  };

  const write = (
    req: IncomingMessage,
    res: ServerResponse,
    body: PreparedBody,
    route: Route,
    fallback: Fallback,
  ) => {
    let headers: string[];
    let variant: Variant;
    try {
      variant = variantOf(req, body);
      headers = wireHeaders(body, route, variant, o.baseHeaders(req));
    } catch {
      // Whatever went wrong (a Host the security headers cannot take), express answers it as before.
      return fallback();
    }
    if (variant === Variant.NOT_MODIFIED) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, headers);
    res.end(req.method === "HEAD" ? undefined : bytesOf(body, variant));
  };

  const answer = (
    req: IncomingMessage,
    res: ServerResponse,
    body: PreparedBody | undefined,
    route: Route,
    fallback: Fallback,
  ) => {
    if (body === undefined) return fallback();
    if (route === Route.PAGE) return write(req, res, body, route, fallback);
    o.admit(req).then(
      (admitted) => (admitted ? write(req, res, body, route, fallback) : fallback()),
      () => fallback(),
    );
  };

  const readPost = (req: IncomingMessage, res: ServerResponse, fallback: Fallback) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("error", () => {
      // The client went away mid-body: nothing to answer.
      if (!res.headersSent) res.destroy();
    });
    req.on("end", () => {
      let text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString("utf8");
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      let parsed: unknown;
      const parse = () => {
        if (parsed !== undefined) return parsed;
        const first = FIRST_CHAR.exec(text)?.[1];
        if (first !== "{" && first !== "[") throw parseFailed("The body is not a JSON object or array.");
        parsed = JSON.parse(text);
        return parsed;
      };
      let key: string | null;
      try {
        key = keyOf(text, parse);
      } catch (err) {
        (req as WithBody)[BODY_ERROR] =
          err instanceof SyntaxError ? parseFailed(err.message) : (err as Error);
        return fallback();
      }
      const body = key === null ? undefined : o.snapshot.get(key);
      if (body === undefined) {
        // Express takes it from here with the body already parsed (express.json() sees it read).
        try {
          (req as WithBody).body = parse();
        } catch (err) {
          (req as WithBody)[BODY_ERROR] = parseFailed((err as Error).message);
        }
        return fallback();
      }
      answer(req, res, body, Route.GRAPHQL, () => {
        (req as WithBody).body = parse();
        fallback();
      });
    });
  };

  return (req, res, fallback) => {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q < 0 ? url : url.slice(0, q);
    const method = req.method;
    if (method === "GET" || method === "HEAD") {
      if (path === "/") return answer(req, res, o.snapshot.get(ROOT), Route.PAGE, fallback);
      if (path.startsWith("/api/v2/")) {
        return answer(req, res, o.snapshot.get(httpKey(path)), Route.API, fallback);
      }
      if (path === "/graphql" && method === "GET" && q >= 0 && !o.carriesCredentials(req)) {
        const key = keyOf(url, () => querystring.parse(url.slice(q + 1)));
        return answer(req, res, key === null ? undefined : o.snapshot.get(key), Route.GRAPHQL, fallback);
      }
      return fallback();
    }
    if (method === "POST" && path === "/graphql" && isSmallJson(req) && !o.carriesCredentials(req)) {
      return readPost(req, res, fallback);
    }
    fallback();
  };
}

function isSmallJson(req: IncomingMessage): boolean {
  const h = req.headers;
  const type = h["content-type"];
  if (type === undefined || !(type === "application/json" || JSON_TYPE.test(type))) return false;
  if (h["content-encoding"] !== undefined || h["transfer-encoding"] !== undefined) return false;
  const length = Number(h["content-length"]);
  return length > 0 && length <= MAX_FAST_BODY;
}
