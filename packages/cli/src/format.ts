import { minorDigits } from "@tollgate/core";

/** Integer minor units as the currency shows them: 4900 usd → "$49.00", 4900 jpy → "¥4,900". */
export function formatAmount(amount: number, currency: string): string {
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
export const formatCount = (n: number) => n.toLocaleString("en-US");

export type Align = "left" | "right";

/** Rows as aligned columns (the first row is the header), each cell padded to its column's width. */
export function formatTable(rows: readonly (readonly string[])[], align: readonly Align[] = []): string {
  const widths: number[] = [];
  for (const row of rows)
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length);
  return rows
    .map((row) =>
      row
        .map((cell, i) =>
          align[i] === "right" ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0),
        )
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}
