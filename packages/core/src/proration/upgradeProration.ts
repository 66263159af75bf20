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
 * Rounding: the two lines always sum to the exact net, (new − old) × share, rounded once
 * (half away from zero), so no minor unit is lost or made between them. The charge is its exact
 * amount rounded on its own, as Stripe rounds its line; the credit is the rounded net minus the
 * charge, so it stays within one minor unit of its exact amount and is never positive. Where
 * rounding the credit on its own would give the same net, it equals Stripe's credit line; where
 * it would not (about one change in four), it differs from Stripe's by one minor unit
 * (docs/decisions/0004-proration-lines-keep-the-net.md).
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
  const charge = exactShare(newAmount, share);
  const net = roundLine(charge.minus(exactShare(oldAmount, share)));
  const chargeAmount = roundLine(charge);
  const line = (amount: number, periodAmount: number): ProrationLine => ({
    amount,
    periodAmount,
    from: at,
    to: period.to,
    share,
  });
  return { credit: line(net - chargeAmount, oldAmount), charge: line(chargeAmount, newAmount) };
}
