/** Display formatting only: amounts are never computed here. */

const numbers = new Intl.NumberFormat("en-US");
export const formatNumber = (n: number): string => numbers.format(n);

/** `2026-07-15 12:00 UTC`: unambiguous wherever the customer is. */
export const formatInstant = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/** Minor units (4900 usd) as the currency writes them ($49.00). */
export function formatMinor(amount: number, currency: string): string {
  const format = new Intl.NumberFormat("en-US", { style: "currency", currency: currency.toUpperCase() });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** digits);
}

/** A unit price in major units, as a decimal string ("0.002" usd → $0.002). */
export const formatUnitPrice = (unitAmount: string, currency: string): string =>
  new Intl.NumberFormat("en-US", {
    style: "currency",
    currency: currency.toUpperCase(),
    maximumFractionDigits: 10,
  }).format(Number(unitAmount));

/** "run" → "runs" for counts other than one; units such as "GB" stay as they are. */
export const unitFor = (unit: string | null, count: number): string => {
  if (!unit) return "";
  return count === 1 || unit.toUpperCase() === unit ? unit : `${unit}s`;
};
