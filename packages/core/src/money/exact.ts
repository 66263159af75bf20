import Decimal from "decimal.js";

/**
 * Decimal with enough significant digits that a price (up to 24 digits) times a quantity, or an
 * amount times a share of a period, is never rounded before the one rounding of its line;
 * decimal.js's default of 20 would round it first. Internal to core: callers pass strings.
 */
export const Exact = Decimal.clone({ precision: 64 });

/** An exact decimal as a plain decimal string, never in exponent notation. */
export function toPrecise(value: Decimal): string {
  return value.toFixed();
}
