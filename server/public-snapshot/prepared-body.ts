import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { promisify } from "node:util";
import zlib from "node:zlib";
import Negotiator from "negotiator";

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);

/** A response body serialized and compressed once, served many times without any work. */
export interface PreparedBody {
  type: string;
  etag: string;
  identity: Buffer;
  gzip: Buffer;
  br: Buffer;
}

/**
 * Serializes once and compresses once (zlib's thread pool, so the event loop keeps serving the
 * previous snapshot meanwhile). The ETag names the snapshot's seq and the content, so two instances
 * holding the same state give the same ETag behind a load balancer without sticky sessions.
 */
export async function prepareBody(content: string, type: string, seq: string): Promise<PreparedBody> {
  const identity = Buffer.from(content, "utf8");
  const [gz, br] = await Promise.all([
    gzip(identity, { level: 9 }),
    brotli(identity, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 9,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: identity.length,
      },
    }),
  ]);
  const hash = createHash("sha1").update(identity).digest("base64url").slice(0, 16);
  return { type, etag: `"${seq}-${hash}"`, identity, gzip: gz, br };
}

const ENCODINGS = ["br", "gzip", "identity"];
/** negotiator 1.x takes our preference among equally acceptable encodings (its @types are 0.6). */
type PreferringNegotiator = Negotiator & {
  encoding(available: readonly string[], options: { preferred: readonly string[] }): string | undefined;
};
/** Longer Accept-Encoding headers are not parsed: identity is always acceptable and costs nothing. */
const MAX_ACCEPT_ENCODING = 256;
const MAX_IF_NONE_MATCH = 4096;

export interface SendOptions {
  cacheControl: string;
  vary: string;
  headers?: Record<string, string>;
}

/** Writes a prepared body: picks bytes by Accept-Encoding, answers a matching If-None-Match with 304. */
export function sendPrepared(
  req: IncomingMessage,
  res: ServerResponse,
  body: PreparedBody,
  options: SendOptions,
): void {
  res.setHeader("Cache-Control", options.cacheControl);
  res.setHeader("Vary", options.vary);
  res.setHeader("ETag", body.etag);
  for (const [k, v] of Object.entries(options.headers ?? {})) res.setHeader(k, v);
  const inm = req.headers["if-none-match"];
  if (typeof inm === "string" && inm.length <= MAX_IF_NONE_MATCH && matches(inm, body.etag)) {
    res.statusCode = 304;
    res.end();
    return;
  }
  const accept = req.headers["accept-encoding"];
  const encoding =
    typeof accept === "string" && accept.length <= MAX_ACCEPT_ENCODING
      ? (new Negotiator({ headers: { "accept-encoding": accept } }) as PreferringNegotiator).encoding(
          ENCODINGS,
          {
            preferred: ENCODINGS,
          },
        )
      : "identity";
  const bytes = encoding === "br" ? body.br : encoding === "gzip" ? body.gzip : body.identity;
  res.statusCode = 200;
  res.setHeader("Content-Type", body.type);
  if (encoding === "br" || encoding === "gzip") res.setHeader("Content-Encoding", encoding);
  res.setHeader("Content-Length", bytes.length);
  res.end(req.method === "HEAD" ? undefined : bytes);
}

/** If-None-Match is a list of (possibly weak) ETags, or `*`. */
function matches(header: string, etag: string): boolean {
  if (header.trim() === "*") return true;
  return header.split(",").some((t) => t.trim().replace(/^W\//, "") === etag);
}
