import pino, { type Logger } from "pino";

/** Structured JSON logs; `LOG_LEVEL` sets the level (silent in tests by default). */
export function createLogger(
  level = process.env.LOG_LEVEL ?? (process.env.VITEST ? "silent" : "info"),
): Logger {
  return pino({ level, base: { service: "tollgate" } });
}
