import { minorDigits } from "./money/minorDigits";

/*
 * Display formatting shared by the CLI, the admin UI and the customer portal
 * (`@tollgate/core/display`): no imports beyond the currency table, so a browser bundle takes
 * nothing else of core. Amounts are only shown here, never computed.
 */

/** Integer minor units as the currency shows them: 4900 usd → "$49.00", 4900 jpy → "¥4,900". */
export function formatMinorUnits(amount: number, currency: string): string {
  const digits = minorDigits(currency);
  const format = new Intl.NumberFormat("en-US", {
    style: "currency",
    currency: currency.toUpperCase(),
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  // The digits placed by string, never by dividing: a safe integer's cents are never rounded.
  const sign = amount < 0 ? "-" : "";
  const whole = String(Math.abs(amount)).padStart(digits + 1, "0");
  const major = digits === 0 ? whole : `${whole.slice(0, -digits)}.${whole.slice(-digits)}`;
  return format.format(`${sign}${major}` as `${number}`);
}

/** A count as people read it: 1000000 → "1,000,000". */
export const formatCount = (n: number): string => n.toLocaleString("en-US");

/** An ISO instant as "2026-06-15 12:00 UTC": unambiguous wherever the reader is. */
export const formatInstantUtc = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/** A seat price as people read it: "$12.00 a seat a month past 5 included"; "" when seats are not billed. */
export function formatSeatPrice(
  seats: { price: number; included: number },
  plan: { currency: string; interval: string },
): string {
  if (seats.price <= 0) return "";
  const past = seats.included > 0 ? ` past ${formatCount(seats.included)} included` : "";
  return `${formatMinorUnits(seats.price, plan.currency)} a seat a ${plan.interval}${past}`;
}
