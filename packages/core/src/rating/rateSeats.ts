import { invalid } from "../errors/TollgateError";
import { assertMinorUnits, roundLine } from "../money/currency";
import { Exact } from "../money/exact";

/** `seats` seats at `unitAmountMinor` each for a whole period, in minor units. */
export function rateSeats(unitAmountMinor: number, seats: number): number {
  assertMinorUnits(unitAmountMinor, "unitAmount");
  if (!Number.isSafeInteger(seats) || seats < 0) {
    throw invalid("invalid_seats", `seats are a whole number ≥ 0, not ${seats}`, "seats");
  }
  return roundLine(new Exact(unitAmountMinor).times(seats));
}
