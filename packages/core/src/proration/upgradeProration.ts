import { assertMinorUnits, roundLine } from "../money/currency";
import type { BillingPeriod } from "../time/billingPeriod";
import { exactShare } from "./exactShare";
import { type ProrationShare, type ProrationUnit, prorationShare } from "./prorationShare";

/** One line of a price change in the middle of a period. */
export interface ProrationLine {
  /** Integer minor units: negative for the credit. */
  amount: number;
  /** The price of the whole period this line prorates, in minor units. */
  periodAmount: number;
  /** The time it covers: from the change to the period's end. */
  from: Date;
  to: Date;
  share: ProrationShare;
}

export interface PriceChangeProration {
  /** Unused time on the old price, after the change. */
  credit: ProrationLine;
  /** Remaining time on the new price, after the change. */
  charge: ProrationLine;
}

/**
 * A change from `oldAmount` to `newAmount` (each the price of the whole period, in minor units)
 * at `at`: a credit for the unused time of the old price and a charge for the remaining time of
 * the new one, by the share of the period left (Stripe's two lines). A downgrade made now, not at
 * the period end, is the same two lines with a net credit.
 *
 * Rounding: each line is its exact amount rounded on its own (half away from zero), as Stripe
 * rounds its two invoice items, and an invoice's total is the sum of its rounded lines (DESIGN.md,
 * "Rounding"). So a preview equals what Stripe charges, to the cent; the net may differ from
 * (new − old) × share rounded once by one minor unit, which is Stripe's behaviour too
 * (docs/decisions/0004-proration-lines-round-on-their-own.md).
 */
export function upgradeProration(
  oldAmount: number,
  newAmount: number,
  period: BillingPeriod,
  at: Date,
  by: ProrationUnit = "second",
): PriceChangeProration {
  assertMinorUnits(oldAmount, "oldAmount");
  assertMinorUnits(newAmount, "newAmount");
  const share = prorationShare(period, at, period.to, by);
  const creditAmount = -roundLine(exactShare(oldAmount, share));
  const chargeAmount = roundLine(exactShare(newAmount, share));
  const line = (amount: number, periodAmount: number): ProrationLine => ({
    amount,
    periodAmount,
    from: at,
    to: period.to,
    share,
  });
  return {
    credit: line(creditAmount === 0 ? 0 : creditAmount, oldAmount),
    charge: line(chargeAmount, newAmount),
  };
}
