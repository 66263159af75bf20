import { contains } from "@tollgate/core";
import { type Queryable, tables } from "@tollgate/store";
import { and, asc, eq } from "drizzle-orm";
import type { CustomerRef, Env } from "../context";

export type SubscriptionStatus = (typeof tables.subscriptions.$inferSelect)["status"];

export interface Subscription {
  id: string;
  customerId: string;
  env: Env;
  planKey: string;
  planVersionId: string;
  status: SubscriptionStatus;
  effectiveFrom: Date;
  effectiveTo: Date | null;
  billingAnchor: Date;
  trialEndsAt: Date | null;
  canceledAt: Date | null;
  providerSubscriptionId: string | null;
  providerPriceId: string | null;
  reason: string;
  createdAt: Date;
}

export const subscriptionFromRow = (row: typeof tables.subscriptions.$inferSelect): Subscription => ({
  ...row,
});

/** Every contract of the customer, oldest first: the plan history as effective-dated rows. */
export async function listSubscriptions(db: Queryable, ref: CustomerRef): Promise<Subscription[]> {
  const t = tables.subscriptions;
  const rows = await db
    .select()
    .from(t)
    .where(and(eq(t.customerId, ref.customerId), eq(t.env, ref.env)))
    .orderBy(asc(t.effectiveFrom), asc(t.createdAt));
  return rows.map(subscriptionFromRow);
}

/** The contract in force at `at`, if any; ranges never overlap, so there is at most one. */
export function subscriptionAt(subscriptions: readonly Subscription[], at: Date): Subscription | undefined {
  return subscriptions.find((s) => contains({ from: s.effectiveFrom, to: s.effectiveTo }, at));
}
