import type { Entitlement } from "../types";

/**
 * Whether `quantity` more of a feature is allowed, from a cached entitlement alone. A feature
 * the plan does not grant, or grants disabled, is refused. Past a metered limit, `block` and
 * `throttle` refuse (a throttle's per-minute admission is the server's to count: ask `check`),
 * while `grace`, `billable_overage` and `allow` admit.
 */
export function allowsFrom(entitlement: Entitlement | undefined, quantity = 1): boolean {
  if (!entitlement?.enabled) return false;
  if (entitlement.type !== "metered" || entitlement.unlimited || entitlement.limit === null) return true;
  if (entitlement.enforcement !== "block" && entitlement.enforcement !== "throttle") return true;
  return (entitlement.remaining ?? 0) >= quantity;
}
