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
