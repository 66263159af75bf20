import { seatsBilled } from "@tollgate/core";
import { type Queryable, tables } from "@tollgate/store";
import { and, eq, like, or } from "drizzle-orm";
import type { CustomerRef } from "../context";
import type { CustomerEntitlements } from "../entitlements/loadEntitlements";
import { newId } from "../ids";
import { insertGrant } from "./grants";

/** The key of a period's included grant: one per customer and period start. */
export const includedKey = (periodStart: Date) => `included:${periodStart.toISOString()}`;

/** The key of a top-up to `target` credits in all, when seats were added during the period. */
const topUpKey = (periodStart: Date, target: number) => `${includedKey(periodStart)}:upto:${target}`;

/** Whether a grant key is one of the period's included grants (the first or a top-up). */
export const isIncludedIn = (grantKey: string | null, periodStart: Date) =>
  grantKey !== null &&
  (grantKey === includedKey(periodStart) || grantKey.startsWith(`${includedKey(periodStart)}:`));

/** What is still to grant for the period: the target less what its included grants gave. */
export function includedPending(
  target: number,
  grants: readonly { grantKey: string | null; amount: number }[],
  periodStart: Date,
): number {
  const granted = grants
    .filter((g) => isIncludedIn(g.grantKey, periodStart))
    .reduce((sum, g) => sum + g.amount, 0);
  return Math.max(0, target - granted);
}

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
    amount: effective.credits.perSeat * seatsBilled(seats),
    expiresAt: effective.credits.neverExpire ? null : period.to,
  };
}

/**
 * Grants the current period's included credits if they are not granted yet (lazily, on first
 * use in the period; the unique grant key makes it happen once), and tops them up when seats
 * were added since: the period's included grants always add up to credits per seat × the most
 * seats held (seats removed take nothing back). Answers whether it granted.
 */
export async function ensureIncludedGrant(
  tx: Queryable,
  ref: CustomerRef,
  entitlements: CustomerEntitlements,
  at: Date,
): Promise<boolean> {
  const included = includedGrant(entitlements, entitlements.seats);
  const period = entitlements.period;
  if (!included || !period) return false;
  const g = tables.creditGrants;
  const granted = await tx
    .select({ grantKey: g.grantKey, amount: g.amount })
    .from(g)
    .where(
      and(
        eq(g.customerId, ref.customerId),
        eq(g.env, ref.env),
        or(eq(g.grantKey, included.grantKey), like(g.grantKey, `${included.grantKey}:%`)),
      ),
    );
  const pending = includedPending(included.amount, granted, period.from);
  if (pending === 0) return false;
  const first = granted.length === 0;
  return insertGrant(
    tx,
    ref,
    {
      id: newId("cg"),
      source: "included",
      priority: 50,
      reason: first ? "included in the plan for the period" : `included for seats added during the period`,
      grantKey: first ? included.grantKey : topUpKey(period.from, included.amount),
      amount: pending,
      expiresAt: included.expiresAt,
    },
    at,
  );
}
