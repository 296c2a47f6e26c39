import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { promisify } from "node:util";
import zlib from "node:zlib";
import Negotiator from "negotiator";

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);

/**
 * Compression levels of the snapshot's bodies. Every body is compressed once per change, not per
 * read, but a change is exactly when writers wait: gzip 6 and brotli 5 give nearly the bytes of
 * 9/9 (a few per cent more on the status page) for a fraction of the CPU (docs/performance.md).
 */
const GZIP_LEVEL = 6;
const BROTLI_QUALITY = 5;

export const PUBLIC_CACHE_CONTROL = "public, max-age=5, stale-while-revalidate=30";

/** Where a body is served: its Cache-Control, Vary and CORS headers differ (docs/performance.md). */
export const Route = { PAGE: 0, API: 1, GRAPHQL: 2 } as const;
export type Route = (typeof Route)[keyof typeof Route];

const ROUTE_HEADERS: Record<Route, readonly string[]> = {
  [Route.PAGE]: ["Cache-Control", PUBLIC_CACHE_CONTROL, "Vary", "Accept-Encoding"],
  [Route.API]: ["Cache-Control", PUBLIC_CACHE_CONTROL, "Vary", "Accept-Encoding"],
  [Route.GRAPHQL]: ["Cache-Control", PUBLIC_CACHE_CONTROL, "Vary", "Authorization, Accept-Encoding"],
};
const ROUTE_TAIL: Record<Route, readonly string[]> = {
  [Route.PAGE]: [],
  [Route.API]: ["Access-Control-Allow-Origin", "*"],
  [Route.GRAPHQL]: [],
};

/** Which bytes (or none: 304) a request gets. */
export const Variant = { BR: 0, GZIP: 1, IDENTITY: 2, NOT_MODIFIED: 3 } as const;
export type Variant = (typeof Variant)[keyof typeof Variant];

/** A response body serialized and compressed once, served many times without any work. */
export interface PreparedBody {
  type: string;
  etag: string;
  /** The snapshot seq this body is labelled with (X-Beacon-Snapshot-Seq). */
  seq: string;
  /** Content hash (sha1, base64url): same content, same compressed bytes (reused across generations). */
  hash: string;
  identity: Buffer;
  gzip: Buffer;
  br: Buffer;
  /** Response header lists made on first use, per (route, variant, security headers); see `wireHeaders`. */
  wire: Map<number, string[]>;
}

const contentHash = (bytes: Buffer) => createHash("sha1").update(bytes).digest("base64url").slice(0, 16);

/**
 * Serializes once and compresses once (zlib's thread pool, so the event loop keeps serving the
 * previous snapshot meanwhile). The ETag names the snapshot's seq and the content, so two instances
 * holding the same state give the same ETag behind a load balancer without sticky sessions.
 *
 * `previous` (the last generation's body for the same key): when the content is the same, its
 * compressed bytes are reused and nothing is compressed again — most bodies do not change with a
 * given event (a service's status change leaves the incident history as it was).
 */
export async function prepareBody(
  content: string,
  type: string,
  seq: string,
  previous?: PreparedBody,
): Promise<PreparedBody> {
  const identity = Buffer.from(content, "utf8");
  const hash = contentHash(identity);
  const etag = `"${seq}-${hash}"`;
  if (previous && previous.hash === hash && previous.type === type) {
    return { ...previous, etag, seq, wire: new Map() };
  }
  const [gz, br] = await Promise.all([
    gzip(identity, { level: GZIP_LEVEL }),
    brotli(identity, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: identity.length,
      },
    }),
  ]);
  return { type, etag, seq, hash, identity, gzip: gz, br, wire: new Map() };
}

const ENCODINGS = ["br", "gzip", "identity"];
/** negotiator 1.x takes our preference among equally acceptable encodings (its @types are 0.6). */
type PreferringNegotiator = Negotiator & {
  encoding(available: readonly string[], options: { preferred: readonly string[] }): string | undefined;
};
/** Longer Accept-Encoding headers are not parsed: identity is always acceptable and costs nothing. */
const MAX_ACCEPT_ENCODING = 256;
const MAX_IF_NONE_MATCH = 4096;
/** Distinct Accept-Encoding values remembered (clients send a handful); beyond it, negotiated each time. */
const MAX_REMEMBERED_ENCODINGS = 256;
const encodings = new Map<string, Variant>();

/** The encoding a request's Accept-Encoding asks for: br, then gzip, then identity (negotiator). */
export function encodingOf(accept: string | string[] | undefined): Variant {
  if (typeof accept !== "string" || accept.length > MAX_ACCEPT_ENCODING) return Variant.IDENTITY;
  const known = encodings.get(accept);
  if (known !== undefined) return known;
  const chosen = (
    new Negotiator({ headers: { "accept-encoding": accept } }) as PreferringNegotiator
  ).encoding(ENCODINGS, { preferred: ENCODINGS });
  const variant = chosen === "br" ? Variant.BR : chosen === "gzip" ? Variant.GZIP : Variant.IDENTITY;
  if (encodings.size < MAX_REMEMBERED_ENCODINGS) encodings.set(accept, variant);
  return variant;
}

/** The variant a request gets: 304 for a matching If-None-Match, else by Accept-Encoding. */
export function variantOf(req: IncomingMessage, body: PreparedBody): Variant {
  const inm = req.headers["if-none-match"];
  if (typeof inm === "string" && inm.length <= MAX_IF_NONE_MATCH && matches(inm, body.etag)) {
    return Variant.NOT_MODIFIED;
  }
  return encodingOf(req.headers["accept-encoding"]);
}

export const bytesOf = (body: PreparedBody, variant: Variant): Buffer =>
  variant === Variant.BR ? body.br : variant === Variant.GZIP ? body.gzip : body.identity;

/** Headers every response carries before ours (the security headers), made once per Host. */
export interface BaseHeaders {
  /** Small and stable per distinct list, or -1 for a list not worth remembering. */
  id: number;
  list: readonly string[];
}

const NO_BASE: BaseHeaders = { id: 0, list: [] };

/**
 * The complete header list of one response, in `writeHead`'s flat [name, value, ...] form: the base
 * (security) headers, then ours in a fixed order. Made once per (route, variant, base) and kept on
 * the body, so a read writes a prebuilt list.
 */
export function wireHeaders(
  body: PreparedBody,
  route: Route,
  variant: Variant,
  base: BaseHeaders = NO_BASE,
): string[] {
  const slot = base.id < 0 ? -1 : base.id * 16 + route * 4 + variant;
  const known = slot < 0 ? undefined : body.wire.get(slot);
  if (known) return known;
  const list = [
    ...base.list,
    ...ROUTE_HEADERS[route],
    "ETag",
    body.etag,
    "X-Beacon-Snapshot-Seq",
    body.seq,
    ...ROUTE_TAIL[route],
  ];
  if (variant !== Variant.NOT_MODIFIED) {
    list.push("Content-Type", body.type);
    if (variant === Variant.BR) list.push("Content-Encoding", "br");
    else if (variant === Variant.GZIP) list.push("Content-Encoding", "gzip");
    list.push("Content-Length", String(bytesOf(body, variant).length));
  }
  if (slot >= 0) body.wire.set(slot, list);
  return list;
}

/**
 * Writes a prepared body through a response that may already carry headers (express: helmet's):
 * picks bytes by Accept-Encoding, answers a matching If-None-Match with 304. The pre-express path
 * (fast-path.ts) writes the same headers in one `writeHead`.
 */
export function sendPrepared(
  req: IncomingMessage,
  res: ServerResponse,
  body: PreparedBody,
  route: Route,
): void {
  const variant = variantOf(req, body);
  const list = wireHeaders(body, route, variant);
  for (let i = 0; i < list.length; i += 2) res.setHeader(list[i]!, list[i + 1]!);
  if (variant === Variant.NOT_MODIFIED) {
    res.statusCode = 304;
    res.end();
    return;
  }
  res.statusCode = 200;
  res.end(req.method === "HEAD" ? undefined : bytesOf(body, variant));
}

/** If-None-Match is a list of (possibly weak) ETags, or `*`. */
function matches(header: string, etag: string): boolean {
  if (header === etag) return true;
  if (header.trim() === "*") return true;
  return header.split(",").some((t) => t.trim().replace(/^W\//, "") === etag);
}
