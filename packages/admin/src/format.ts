/** Integer minor units shown in their currency, e.g. 4900 usd → "$49.00". */
export function formatMoney(minor: number, currency: string): string {
  const format = new Intl.NumberFormat("en", { style: "currency", currency: currency.toUpperCase() });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** digits);
}

/** An ISO instant as "2026-06-15 12:00 UTC"; the admin UI shows every time in UTC. */
export const formatInstant = (iso: string | null | undefined): string =>
  iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : "—";

export const formatNumber = (n: number | null | undefined): string =>
  n === null || n === undefined ? "—" : n.toLocaleString("en");
