import type { BillingInterval, BillingPeriod } from "./billingPeriod";

/**
 * The calendar-aligned period containing `at`: the UTC month or year it falls in, half-open.
 * The alternative to `billingPeriod`'s anniversary alignment, which counts from an anchor.
 */
export function calendarPeriod(interval: BillingInterval, at: Date): BillingPeriod {
  const year = at.getUTCFullYear();
  if (interval === "year") {
    return { from: new Date(Date.UTC(year, 0, 1)), to: new Date(Date.UTC(year + 1, 0, 1)) };
  }
  const month = at.getUTCMonth();
  return { from: new Date(Date.UTC(year, month, 1)), to: new Date(Date.UTC(year, month + 1, 1)) };
}

/** Whether `anchor` starts a UTC calendar month (or year): periods counted from it are calendar periods. */
export const isCalendarAnchor = (anchor: Date, interval: BillingInterval): boolean =>
  calendarPeriod(interval, anchor).from.getTime() === anchor.getTime();
