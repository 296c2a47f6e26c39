import pino, { type Logger } from "pino";

export type { Logger };

/** Structured JSON logs on stdout; one logger per process, children per component. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { app: "beacon" }, timestamp: pino.stdTimeFunctions.isoTime });
}
