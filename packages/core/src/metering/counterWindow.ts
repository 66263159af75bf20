import type { Interval } from "../time/interval";
import { type Window, windowEnd } from "../time/windows";

/** The start of the `never` window: every instant belongs to it. */
export const NEVER_WINDOW_START = new Date(0);

/**
 * The usage window that contains `at`: hour and day windows are UTC-aligned, `period` is the
 * billing period (`period`), `never` is one window from the epoch on.
 */
export function counterWindow(
  window: Window,
  at: Date,
  period: Interval | null,
): { start: Date; end: Date | null } {
  switch (window) {
    case "hour":
      return {
        start: new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate(), at.getUTCHours())),
        end: windowEnd("hour", at, null),
      };
    case "day":
      return {
        start: new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate())),
        end: windowEnd("day", at, null),
      };
    case "period":
      return period ? { start: period.from, end: period.to } : { start: NEVER_WINDOW_START, end: null };
    case "never":
      return { start: NEVER_WINDOW_START, end: null };
  }
}

/** How far a timestamp may run ahead of the receiving clock (clock skew), in ms. */
export const FUTURE_SKEW_MS = 5 * 60_000;
/** How long after its window closed a late event is still accepted, by default (72 h). */
export const DEFAULT_LATE_WINDOW_MS = 72 * 3_600_000;

export type Timeliness = "current" | "backfill" | "too_late" | "in_future";

/**
 * Whether an event stamped `timestamp`, counted in a window ending `windowEnd`, may be accepted
 * at `now`: a window that has closed takes late events (backfill) for `lateWindowMs` more.
 */
export function timeliness(
  timestamp: Date,
  windowEnd: Date | null,
  now: Date,
  lateWindowMs: number,
): Timeliness {
  if (timestamp.getTime() > now.getTime() + FUTURE_SKEW_MS) return "in_future";
  if (windowEnd === null || windowEnd.getTime() > now.getTime()) return "current";
  return now.getTime() - windowEnd.getTime() <= lateWindowMs ? "backfill" : "too_late";
}
