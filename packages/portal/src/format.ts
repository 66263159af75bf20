/** Display formatting only: amounts are never computed here. */

// Counts, instants and amounts: `formatCount`, `formatInstantUtc`, `formatMinorUnits` of @tollgate/core/display.

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
