import Decimal from "decimal.js";

/** Currencies whose minor unit is the major unit (Stripe's zero-decimal list). */
const ZERO_DECIMAL = new Set([
  "bif",
  "clp",
  "djf",
  "gnf",
  "jpy",
  "kmf",
  "krw",
  "mga",
  "pyg",
  "rwf",
  "ugx",
  "vnd",
  "vuv",
  "xaf",
  "xof",
  "xpf",
]);

export function minorDigits(currency: string): number {
  return ZERO_DECIMAL.has(currency.toLowerCase()) ? 0 : 2;
}

/**
 * Decimal with enough significant digits that a price (up to 24 digits) times a quantity is never
 * rounded before the one rounding below; decimal.js's default of 20 would round it first.
 */
const Exact = Decimal.clone({ precision: 64 });

/**
 * The one rounding rule: an amount in major units (a decimal) becomes integer minor units,
 * half away from zero. Apply it once per invoice line or decision, never to parts of a sum.
 */
export function roundToCurrency(amountInMajorUnits: Decimal.Value, currency: string): number {
  return new Exact(amountInMajorUnits)
    .times(new Exact(10).pow(minorDigits(currency)))
    .toDecimalPlaces(0, Exact.ROUND_HALF_UP)
    .toNumber();
}

/** quantity × a unit price in major units ("0.0004"), as integer minor units. */
export function priceUnits(quantity: number, unitAmount: string, currency: string): number {
  return roundToCurrency(new Exact(unitAmount).times(quantity), currency);
}
