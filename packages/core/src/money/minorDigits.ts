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

/** Digits of the currency's minor unit: 2, or 0 for Stripe's zero-decimal currencies. No imports: browser bundles use it. */
export function minorDigits(currency: string): number {
  return ZERO_DECIMAL.has(currency.toLowerCase()) ? 0 : 2;
}
