import { randomUUID } from "node:crypto";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { ArgumentValidationError } from "type-graphql";
import { type Decision, ErrorCode } from "../domain/vocabulary";
import type { Logger } from "./log";
import { isDatabaseUnavailable } from "./unavailable";

/** A refusal the client can act on: a code from the contract and a message saying what to do. */
export class BeaconError extends GraphQLError {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    extra: Record<string, unknown> = {},
  ) {
    super(message, { extensions: { code, ...extra } });
    this.name = "BeaconError";
  }
}

export const notFound = (what: string, id: string) =>
  new BeaconError(
    ErrorCode.NOT_FOUND,
    `No ${what} with id "${id}" exists. Check the id, or list them first.`,
  );

export const badInput = (field: string, message: string) =>
  new BeaconError(ErrorCode.BAD_USER_INPUT, message, { field });

/** Unwrap a domain Decision or throw its refusal as a BeaconError. */
export function orThrow<T>(d: Decision<T>, extra: Record<string, unknown> = {}): T {
  if (d.ok) return d.value;
  throw new BeaconError(d.code, d.message, extra);
}

const KNOWN_CODES = new Set<string>([
  ...Object.values(ErrorCode),
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_FOUND",
  "OPERATION_RESOLUTION_FAILURE",
]);

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string) => UUID_RE.test(s);

/** What a caller is told when the database is not answering (SERVICE_UNAVAILABLE). */
export const DATABASE_UNAVAILABLE_MESSAGE =
  "The database is not answering right now, so nothing was saved. Try again in a minute; the public status page keeps showing the last known state.";

/**
 * The one error mapper (HTTP and WebSocket). Known refusals pass through; argument validation
 * becomes BAD_USER_INPUT naming the fields; anything else is logged with an id and reaches the
 * client as a generic message with that id. Never a stack trace. `onUnavailable` hears of every
 * error that means the database is not answering (kernel/database-availability.ts then refuses the
 * next requests at once).
 */
export function createErrorFormatter(log: Logger, onUnavailable: (err: unknown) => void = () => {}) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
    if (original instanceof ArgumentValidationError) {
      const fields = original.extensions.validationErrors as
        | { property: string; constraints?: Record<string, string> }[]
        | undefined;
      const details = (fields ?? []).map((v) => ({
        field: v.property,
        problems: Object.values(v.constraints ?? {}),
      }));
      const summary = details.map((d) => `${d.field}: ${d.problems.join(", ")}`).join("; ");
      return {
        message: `Invalid input. ${summary || "Check the arguments."}`,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: ErrorCode.BAD_USER_INPUT, fields: details },
      };
    }
    // graphql-js's parser token limit (Apollo's parseOptions.maxTokens): say which limit it was.
    const tokens = /Document contains more th\w+ (\d+) tokens/.exec(formatted.message);
    if (tokens) {
      return {
        message: `This operation has more than ${tokens[1]} tokens, the limit. Send a shorter operation.`,
        extensions: { code: ErrorCode.BAD_USER_INPUT, limit: "tokens" },
      };
    }
    // An operation limit (see operation-limits.ts); Apollo files it under GRAPHQL_VALIDATION_FAILED.
    if (typeof formatted.extensions?.limit === "string") {
      const { stacktrace: _s, http: _h, ...extensions } = formatted.extensions;
      return { ...formatted, extensions: { ...extensions, code: ErrorCode.BAD_USER_INPUT } };
    }
    // Apollo's own request refusals (e.g. an APQ hash that does not match) carry an HTTP 4xx status.
    const http =
      original instanceof GraphQLError
        ? (original.extensions?.http as { status?: number } | undefined)
        : undefined;
    if (http?.status && http.status >= 400 && http.status < 500 && !formatted.extensions?.code) {
      return { message: formatted.message, extensions: { code: "BAD_REQUEST" } };
    }
    if (
      http?.status &&
      http.status >= 400 &&
      http.status < 500 &&
      formatted.extensions?.code === "INTERNAL_SERVER_ERROR"
    ) {
      return { message: formatted.message, extensions: { code: "BAD_REQUEST" } };
    }
    const code = formatted.extensions?.code;
    if (typeof code === "string" && KNOWN_CODES.has(code)) {
      const { stacktrace: _drop, http: _http, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    // Apollo reports unparseable variable values with this code and a clear message.
    if (
      code === "INTERNAL_SERVER_ERROR" &&
      !(original instanceof Error && !(original instanceof GraphQLError))
    ) {
      if (formatted.message.startsWith("Variable ")) {
        return { message: formatted.message, extensions: { code: ErrorCode.BAD_USER_INPUT } };
      }
    }
    if (original instanceof GraphQLError && !original.originalError && !code) {
      // Plain GraphQL execution errors (e.g. a scalar that does not parse): the message is safe.
      return {
        message: formatted.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: ErrorCode.BAD_USER_INPUT },
      };
    }
    if (isDatabaseUnavailable(original)) {
      log.warn({ err: original, path: formatted.path }, "database unavailable while handling a request");
      onUnavailable(original);
      return {
        message: DATABASE_UNAVAILABLE_MESSAGE,
        path: formatted.path,
        extensions: { code: ErrorCode.SERVICE_UNAVAILABLE },
      };
    }
    const errorId = randomUUID();
    log.error({ err: original, errorId, path: formatted.path }, "unexpected error while handling a request");
    return {
      message: `Something went wrong on our side (error id ${errorId}). Try again; if it keeps happening, report this id.`,
      path: formatted.path,
      extensions: { code: "INTERNAL_SERVER_ERROR", errorId },
    };
  };
}
