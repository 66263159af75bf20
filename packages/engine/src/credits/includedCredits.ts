import type { Queryable } from "@tollgate/store";
import type { CustomerRef } from "../context";
import type { CustomerEntitlements } from "../entitlements/loadEntitlements";
import { newId } from "../ids";
import { insertGrant } from "./grants";

/** The key of a period's included grant: one per customer and period start. */
export const includedKey = (periodStart: Date) => `included:${periodStart.toISOString()}`;

/**
 * What the plan includes for the current period: credits per seat × seats, expiring with the
 * period unless the contract says they never expire. Null when nothing is included (no plan, no
 * period, zero or unlimited credits).
 */
export function includedGrant(entitlements: CustomerEntitlements, seats: number) {
  const { effective, period } = entitlements;
  if (!effective || !period || effective.credits.unlimited || effective.credits.perSeat <= 0) return null;
  return {
    grantKey: includedKey(period.from),
    amount: effective.credits.perSeat * Math.max(1, seats),
    expiresAt: effective.credits.neverExpire ? null : period.to,
  };
}

/**
 * Grants the current period's included credits if they are not granted yet (lazily, on first
 * use in the period; the unique grant key makes it happen once). Answers whether it granted.
 */
export async function ensureIncludedGrant(
  tx: Queryable,
  ref: CustomerRef,
  entitlements: CustomerEntitlements,
  at: Date,
): Promise<boolean> {
  const included = includedGrant(entitlements, entitlements.seats);
  if (!included) return false;
  return insertGrant(
    tx,
    ref,
    {
      id: newId("cg"),
      source: "included",
      priority: 50,
      reason: "included in the plan for the period",
      ...included,
    },
    at,
  );
}
