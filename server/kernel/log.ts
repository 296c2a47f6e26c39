import pino, { type DestinationStream, type Logger } from "pino";

export type { Logger };

/**
 * Values a failed statement carried (TypeORM's QueryFailedError keeps `parameters`; PostgreSQL's
 * `detail` quotes the offending row): they may be passwords, tokens or personal data, so they never
 * reach the log. The statement text itself (placeholders only) is kept for diagnosis.
 */
export const REDACTED_PATHS = [
  "err.parameters",
  "err.detail",
  "err.driverError.parameters",
  "err.driverError.detail",
  "err.cause.parameters",
  "err.cause.detail",
  "variables",
  "req.headers.authorization",
  "req.headers.cookie",
];

/** Structured JSON logs on stdout; one logger per process, children per component. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: "beacon" },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    },
    destination,
  );
}
