import { assertMinorUnits, roundLine } from "../money/currency";
import type { BillingPeriod } from "../time/billingPeriod";
import { exactShare } from "./exactShare";
import { type ProrationUnit, prorationShare } from "./prorationShare";

/**
 * `amountMinor`, the price of the whole period, for the part [from, to) of it (to the period's
 * end by default), by the exact fraction of the period to the second (Stripe's rule), rounded
 * once as an invoice line. The whole period is the whole amount.
 */
export function prorate(amountMinor: number, period: BillingPeriod, from: Date, to = period.to): number {
  return prorateBy("second", amountMinor, period, from, to);
}

/** `prorate` counting whole UTC days, a started day as a whole one: for seat changes when configured. */
export function prorateByDays(
  amountMinor: number,
  period: BillingPeriod,
  from: Date,
  to = period.to,
): number {
  return prorateBy("day", amountMinor, period, from, to);
}

function prorateBy(unit: ProrationUnit, amountMinor: number, period: BillingPeriod, from: Date, to: Date) {
  assertMinorUnits(amountMinor, "amount");
  return roundLine(exactShare(amountMinor, prorationShare(period, from, to, unit)));
}
