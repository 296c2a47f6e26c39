// One definition of "the database is not answering" for GraphQL and HTTP errors alike.

import { randomUUID } from "node:crypto";
import type { ErrorRequestHandler, RequestHandler } from "express";
import { BeaconError } from "../kernel/errors";
import type { Logger } from "../kernel/log";
import { isDatabaseUnavailable } from "../kernel/unavailable";

/**
 * The HTTP side of the one error mapper: whatever goes wrong outside GraphQL execution (a body that
 * is not JSON, too large, wrongly encoded, the database down under /api/*) is answered as JSON on
 * /graphql and /api/*, as a plain text page elsewhere — never express's HTML page with a stack
 * trace and absolute paths, whatever NODE_ENV is.
 */

interface HttpProblem {
  status: number;
  code: string;
  message: string;
  retryAfterSeconds?: number;
}

/** body-parser's errors carry `type` and `status`; each gets a message saying what to send instead. */
function describe(err: unknown): HttpProblem | null {
  // A refusal of ours raised outside GraphQL (e.g. a rate limit): its code, message and status.
  if (err instanceof BeaconError) {
    const http = err.extensions.http as { status?: number } | undefined;
    const retry = err.extensions.retryAfterSeconds;
    return {
      status: http?.status ?? 400,
      code: err.code,
      message: err.message,
      ...(typeof retry === "number" ? { retryAfterSeconds: retry } : {}),
    };
  }
  const e = err as { type?: unknown; status?: unknown; statusCode?: unknown; limit?: unknown };
  const status =
    typeof e?.status === "number" ? e.status : typeof e?.statusCode === "number" ? e.statusCode : 0;
  switch (e?.type) {
    case "entity.parse.failed":
      return {
        status: 400,
        code: "BAD_REQUEST",
        message: 'The request body is not valid JSON. Send {"query": "...", "variables": {...}}.',
      };
    case "entity.too.large":
      return {
        status: 413,
        code: "PAYLOAD_TOO_LARGE",
        message: `The request body is larger than the ${typeof e.limit === "number" ? `${Math.round(e.limit / 1024)} kB` : "allowed"} limit. Send less at once.`,
      };
    case "encoding.unsupported":
      return {
        status: 415,
        code: "UNSUPPORTED_MEDIA_TYPE",
        message: "Unsupported Content-Encoding. Send the body uncompressed, or as gzip, deflate or br.",
      };
    case "charset.unsupported":
      return {
        status: 415,
        code: "UNSUPPORTED_MEDIA_TYPE",
        message: "Unsupported charset. Send the body as UTF-8.",
      };
    case "request.aborted":
    case "request.size.invalid":
    case "stream.encoding.set":
    case "stream.not.readable":
      return {
        status: 400,
        code: "BAD_REQUEST",
        message: "The request body could not be read. Send it again.",
      };
  }
  if (status >= 400 && status < 500) {
    return {
      status,
      code: "BAD_REQUEST",
      message: "The request could not be understood. Check it and try again.",
    };
  }
  return null;
}

/** A request that reached a JSON endpoint (for the shape of the answer). */
const wantsJson = (path: string) => path.startsWith("/graphql") || path.startsWith("/api/");

/**
 * POST /graphql must carry a JSON body (express.json() only parses application/json); anything else
 * gets 415 with what to send, instead of Apollo's 500 "req.body is not set".
 */
export const requireJsonBody: RequestHandler = (req, res, next) => {
  if (req.method !== "POST" || req.body !== undefined) return next();
  res.status(415).json({
    errors: [
      {
        message: "Send the operation as JSON with Content-Type: application/json.",
        extensions: { code: "UNSUPPORTED_MEDIA_TYPE" },
      },
    ],
  });
};

/** No route answered: the same shapes as every other error here, never express's HTML page. */
export const notFoundHandler: RequestHandler = (req, res) => {
  const message = `Nothing at ${req.method} ${req.path.slice(0, 200)}. The API is POST /graphql; the public JSON is under /api/v2/.`;
  res.status(404);
  if (req.path.startsWith("/graphql")) {
    res.json({ errors: [{ message, extensions: { code: "NOT_FOUND" } }] });
  } else if (req.path.startsWith("/api/")) {
    res.json({ error: { code: "NOT_FOUND", message } });
  } else {
    res.type("text/plain").send(`${message}\n`);
  }
};

/** Express's last error handler. Client mistakes are logged at debug; real faults at error, with an id. */
export function httpErrorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    let problem = describe(err);
    let errorId: string | undefined;
    if (problem) {
      log.debug(
        { path: req.path, status: problem.status, type: (err as { type?: string })?.type },
        "bad HTTP request",
      );
    } else {
      errorId = randomUUID();
      const unavailable = isDatabaseUnavailable(err);
      problem = unavailable
        ? {
            status: 503,
            code: "SERVICE_UNAVAILABLE",
            message: `The status data is unavailable right now (error id ${errorId}). Try again in a moment.`,
          }
        : {
            status: 500,
            code: "INTERNAL_SERVER_ERROR",
            message: `Something went wrong on our side (error id ${errorId}). Try again; if it keeps happening, report this id.`,
          };
      log.error(
        { err, errorId, path: req.path },
        unavailable ? "database unavailable" : "unexpected HTTP error",
      );
    }
    res.status(problem.status);
    if (problem.retryAfterSeconds !== undefined)
      res.setHeader("Retry-After", String(problem.retryAfterSeconds));
    else if (problem.status === 503) res.setHeader("Retry-After", "5");
    if (wantsJson(req.path)) {
      res.json(
        req.path.startsWith("/graphql")
          ? {
              errors: [
                {
                  message: problem.message,
                  extensions: {
                    code: problem.code,
                    ...(errorId ? { errorId } : {}),
                    ...(problem.retryAfterSeconds !== undefined
                      ? { retryAfterSeconds: problem.retryAfterSeconds }
                      : {}),
                  },
                },
              ],
            }
          : { error: { code: problem.code, message: problem.message, ...(errorId ? { errorId } : {}) } },
      );
    } else {
      res.type("text/plain").send(`${problem.message}\n`);
    }
  };
}
