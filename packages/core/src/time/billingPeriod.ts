import type { Interval } from "./interval";

export type BillingInterval = "month" | "year";

/** A billing period: half-open [from, to) in UTC, always closed. */
export type BillingPeriod = Interval & { to: Date };

/**
 * The anchor moved by `months` whole months, keeping its day and clamping to the month's last
 * day: Jan 31 + 1 → Feb 28 (29 in a leap year), Jan 31 + 2 → Mar 31. Always counted from the
 * anchor, never chained, so a clamped month does not shorten the ones after it.
 */
export function addMonthsClamped(anchor: Date, months: number): Date {
  const year = anchor.getUTCFullYear();
  const month = anchor.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(anchor.getUTCDate(), lastDay);
  return new Date(
    Date.UTC(
      year,
      month,
      day,
      anchor.getUTCHours(),
      anchor.getUTCMinutes(),
      anchor.getUTCSeconds(),
      anchor.getUTCMilliseconds(),
    ),
  );
}

/** The half-open billing period [start, end) anchored at `anchor` that contains `at`. */
export function billingPeriod(anchor: Date, interval: BillingInterval, at: Date): BillingPeriod {
  const step = interval === "year" ? 12 : 1;
  const monthsApart =
    (at.getUTCFullYear() - anchor.getUTCFullYear()) * 12 + (at.getUTCMonth() - anchor.getUTCMonth());
  let n = Math.floor(monthsApart / step);
  while (addMonthsClamped(anchor, n * step) > at) n -= 1;
  while (addMonthsClamped(anchor, (n + 1) * step) <= at) n += 1;
  return { from: addMonthsClamped(anchor, n * step), to: addMonthsClamped(anchor, (n + 1) * step) };
}

/** A monthly amount for a whole period of `interval`: twelve months' worth for a yearly one. */
export const perInterval = (monthly: number, interval: BillingInterval): number =>
  interval === "year" ? monthly * 12 : monthly;
