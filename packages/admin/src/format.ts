import { formatCount, formatInstantUtc } from "@tollgate/core/display";

/** An ISO instant as "2026-06-15 12:00 UTC", or a dash for none; the admin UI shows every time in UTC. */
export const formatInstant = (iso: string | null | undefined): string => (iso ? formatInstantUtc(iso) : "—");

/** A count, or a dash for none. */
export const formatNumber = (n: number | null | undefined): string =>
  n === null || n === undefined ? "—" : formatCount(n);
