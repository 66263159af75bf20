import { invalid } from "../errors/TollgateError";
import type { BillingPeriod } from "../time/billingPeriod";

/** What proration counts: seconds (Stripe's rule) or whole UTC days (for seat changes, when configured). */
export type ProrationUnit = "second" | "day";

/** `count` of the period's `of` seconds or days: the share of the period a prorated line covers. */
export interface ProrationShare {
  unit: ProrationUnit;
  count: number;
  of: number;
}

const SECOND_MS = 1000;
const DAY_MS = 86_400_000;

/**
 * The share of `period` that [from, to) covers. By `second`, instants are truncated to the
 * whole second, as Stripe's proration timestamps are. By `day`, a started day counts as a whole
 * one: a change at 15:00 on March 10 covers 22 of March's 31 days (the 10th to the 31st).
 */
export function prorationShare(
  period: BillingPeriod,
  from: Date,
  to: Date,
  unit: ProrationUnit,
): ProrationShare {
  if (period.to <= period.from) {
    throw invalid("invalid_period", "a period must end after it starts", "period");
  }
  if (from < period.from || from > period.to) {
    throw invalid("outside_period", `${from.toISOString()} is outside the billing period`, "from");
  }
  if (to < from || to > period.to) {
    throw invalid("outside_period", `${to.toISOString()} is not between from and the period's end`, "to");
  }
  const count = unit === "second" ? secondsBetween(from, to) : daysBetween(from, to);
  const of = unit === "second" ? secondsBetween(period.from, period.to) : daysBetween(period.from, period.to);
  return { unit, count, of };
}

function secondsBetween(from: Date, to: Date): number {
  return Math.floor(to.getTime() / SECOND_MS) - Math.floor(from.getTime() / SECOND_MS);
}

function daysBetween(from: Date, to: Date): number {
  return Math.ceil((to.getTime() - from.getTime()) / DAY_MS);
}
