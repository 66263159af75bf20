import { addQuantities } from "../metering/aggregate";
import type { GrantBalance } from "./creditGrant";

/**
 * The order grants are burned in: soonest expiry first (grants that never expire last), then by
 * priority (lower first), then oldest first — DESIGN.md's rule.
 */
export function burnOrder(grants: readonly GrantBalance[]): GrantBalance[] {
  return [...grants].sort(
    (a, b) =>
      (a.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY) -
        (b.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY) ||
      a.priority - b.priority ||
      a.createdAt.getTime() - b.createdAt.getTime() ||
      a.id.localeCompare(b.id),
  );
}

/** The credits usable at `at`: the remaining amounts of grants not yet expired. */
export function usableBalance(grants: readonly GrantBalance[], at: Date): number {
  let balance = 0;
  for (const g of grants) {
    if (g.remaining > 0 && (g.expiresAt === null || g.expiresAt > at))
      balance = addQuantities(balance, g.remaining);
  }
  return balance;
}

/**
 * How a debit of `cost` credits is taken from the grants usable at `at`, in burn order; null
 * when they do not hold enough (a balance never goes below zero).
 */
export function planDebit(
  grants: readonly GrantBalance[],
  cost: number,
  at: Date,
): { grantId: string; amount: number }[] | null {
  if (cost <= 0) return [];
  const usable = burnOrder(
    grants.filter((g) => g.remaining > 0 && (g.expiresAt === null || g.expiresAt > at)),
  );
  const taken: { grantId: string; amount: number }[] = [];
  let left = cost;
  for (const grant of usable) {
    if (left <= 0) break;
    const amount = Math.min(grant.remaining, left);
    taken.push({ grantId: grant.id, amount });
    left = addQuantities(left, -amount);
  }
  return left > 0 ? null : taken;
}
