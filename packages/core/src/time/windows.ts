export const WINDOWS = ["hour", "day", "period", "never"] as const;
export type Window = (typeof WINDOWS)[number];

/**
 * When a usage window that contains `at` ends. `period` windows end with the billing period
 * (`periodEnd`); `never` windows do not reset.
 */
export function windowEnd(window: Window, at: Date, periodEnd: Date | null): Date | null {
  switch (window) {
    case "hour":
      return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate(), at.getUTCHours() + 1));
    case "day":
      return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1));
    case "period":
      return periodEnd;
    case "never":
      return null;
  }
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * `windowEnd` in epoch milliseconds, with no Date built: the check hot path. UTC hours and days
 * are whole multiples of their length since the epoch (JavaScript time has no leap seconds).
 */
export function windowEndMs(window: Window, atMs: number, periodEndMs: number | null): number | null {
  switch (window) {
    case "hour":
      return Math.floor(atMs / HOUR_MS) * HOUR_MS + HOUR_MS;
    case "day":
      return Math.floor(atMs / DAY_MS) * DAY_MS + DAY_MS;
    case "period":
      return periodEndMs;
    case "never":
      return null;
  }
}

/**
 * When the usage window that contains `atMs` began, in epoch ms (`counterWindow`'s start with
 * no Date built): `period` windows begin with the billing period, or at the epoch when there
 * is none, as `never` windows do.
 */
export function windowStartMs(window: Window, atMs: number, periodStartMs: number | null): number {
  switch (window) {
    case "hour":
      return Math.floor(atMs / HOUR_MS) * HOUR_MS;
    case "day":
      return Math.floor(atMs / DAY_MS) * DAY_MS;
    case "period":
      return periodStartMs ?? 0;
    case "never":
      return 0;
  }
}
