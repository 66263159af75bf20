import { rateSeats } from "../rating/rateSeats";
import type { BillingPeriod } from "../time/billingPeriod";
import type { ProrationUnit } from "./prorationShare";
import { type PriceChangeProration, upgradeProration } from "./upgradeProration";

/**
 * Seats changed from `seats.from` to `seats.to` at `at`: a credit for the unused time of the old
 * seat count and a charge for the remaining time of the new one, prorated by whole UTC days
 * unless told `second` — the same two lines, and the same rounding, as any price change.
 */
export function prorateSeatChange(
  unitAmountMinor: number,
  seats: { from: number; to: number },
  period: BillingPeriod,
  at: Date,
  by: ProrationUnit = "day",
): PriceChangeProration {
  return upgradeProration(
    rateSeats(unitAmountMinor, seats.from),
    rateSeats(unitAmountMinor, seats.to),
    period,
    at,
    by,
  );
}
