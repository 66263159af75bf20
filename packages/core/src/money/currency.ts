import type Decimal from "decimal.js";
import { invalid, unprocessable } from "../errors/TollgateError";
import { Exact } from "./exact";
import { minorDigits } from "./minorDigits";

export { minorDigits };

/**
 * An exact amount in **minor** units of the currency, as a decimal string that may carry
 * fractions of the minor unit ("49382.68" is $493.8268). Rated amounts stay precise
 * until `roundLine` turns them into an invoice line's integer amount.
 */
export type PreciseAmount = string;

/** Refuses an amount that is not integer minor units held exactly by a number. */
export function assertMinorUnits(amount: number, param: string): void {
  if (!Number.isSafeInteger(amount)) {
    throw invalid("invalid_amount", `${param} must be integer minor units, not ${amount}`, param);
  }
}

/** An amount in major units ("0.0004", 199) as an exact amount in minor units. */
export function toMinorUnits(amountInMajorUnits: Decimal.Value, currency: string): Decimal {
  return new Exact(amountInMajorUnits).times(new Exact(10).pow(minorDigits(currency)));
}

/** Integer minor units in major units, as a plain decimal string: 1500 usd → "15.00", 1500 jpy → "1500". */
export function toMajorUnits(amountMinor: number, currency: string): string {
  const digits = minorDigits(currency);
  return new Exact(amountMinor).div(new Exact(10).pow(digits)).toFixed(digits);
}

/**
 * The one rounding rule: an exact amount in minor units becomes an integer, half away from
 * zero. Apply it once per invoice line or decision, never to parts of a sum: an invoice's total
 * is the sum of its rounded lines. Refuses an amount beyond a safe integer rather than lose a cent.
 */
export function roundLine(amountInMinorUnits: Decimal.Value): number {
  const rounded = new Exact(amountInMinorUnits).toDecimalPlaces(0, Exact.ROUND_HALF_UP);
  if (rounded.abs().greaterThan(Number.MAX_SAFE_INTEGER)) {
    throw unprocessable("amount_out_of_range", `${rounded.toFixed()} minor units is beyond a safe integer`);
  }
  return rounded.isZero() ? 0 : rounded.toNumber(); // never -0 for a credit that rounds to nothing
}

/** An amount in major units as integer minor units, by the one rounding rule (`roundLine`). */
export function roundToCurrency(amountInMajorUnits: Decimal.Value, currency: string): number {
  return roundLine(toMinorUnits(amountInMajorUnits, currency));
}

/** quantity × a unit price in major units ("0.0004"), as integer minor units. */
export function priceUnits(quantity: number, unitAmount: string, currency: string): number {
  return roundToCurrency(new Exact(unitAmount).times(quantity), currency);
}
