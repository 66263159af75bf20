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
 * The one rounding rule: an amount in major units (a decimal) becomes integer minor units,
 * half away from zero. Apply it once per invoice line or decision, never to parts of a sum.
 */
export function roundToCurrency(amountInMajorUnits: Decimal.Value, currency: string): number {
  return new Decimal(amountInMajorUnits)
    .times(new Decimal(10).pow(minorDigits(currency)))
    .toDecimalPlaces(0, Decimal.ROUND_HALF_UP)
    .toNumber();
}

/** quantity × a unit price in major units ("0.0004"), as integer minor units. */
export function priceUnits(quantity: number, unitAmount: string, currency: string): number {
  return roundToCurrency(new Decimal(unitAmount).times(quantity), currency);
}
