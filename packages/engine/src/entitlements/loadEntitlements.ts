import { billingPeriod, type EffectivePlan, type Interval, resolve, TollgateError } from "@tollgate/core";
import type { Queryable } from "@tollgate/store";
import { featureMap, findPlan, findPlanVersionById } from "../catalog/loadCatalog";
import type { CustomerRef } from "../context";
import { type Customer, requireCustomer } from "../customers/loadCustomer";
import { listOverrideSets } from "../overrides/loadOverrideSets";
import { listSubscriptions, type Subscription, subscriptionAt } from "../subscriptions/loadSubscriptions";

/** A customer's resolved entitlements at one instant, and until when that answer holds. */
export interface CustomerEntitlements {
  customer: Customer;
  subscription: Subscription | null;
  effective: EffectivePlan | null;
  period: (Interval & { to: Date }) | null;
  /** The next instant at which a contract, override set or period boundary changes the answer (ms). */
  validUntil: number;
}

/** Loads the rows that decide a customer's entitlements and resolves them at `at`. */
export async function loadEntitlements(
  db: Queryable,
  ref: CustomerRef,
  at: Date,
): Promise<CustomerEntitlements> {
  const customer = await requireCustomer(db, ref);
  const [subscriptions, overrideSets] = await Promise.all([
    listSubscriptions(db, ref),
    listOverrideSets(db, ref),
  ]);
  const boundaries = [
    ...subscriptions.flatMap((s) => [s.effectiveFrom, s.effectiveTo]),
    ...overrideSets.flatMap((o) => [o.effectiveFrom, o.effectiveTo]),
  ];
  const subscription = subscriptionAt(subscriptions, at) ?? null;
  if (!subscription) {
    return {
      customer,
      subscription,
      effective: null,
      period: null,
      validUntil: nextBoundary(boundaries, at),
    };
  }
  const [plan, planVersion, features] = await Promise.all([
    findPlan(db, subscription.planKey),
    findPlanVersionById(db, subscription.planVersionId),
    featureMap(db),
  ]);
  if (!plan || !planVersion) {
    throw new TollgateError(
      "internal",
      "plan_version_missing",
      `subscription ${subscription.id} names a missing plan version`,
    );
  }
  const effective = resolve({ plan, planVersion, features, overrideSets, addOns: [], at });
  const period = billingPeriod(subscription.billingAnchor, planVersion.interval, at);
  boundaries.push(period.to);
  return { customer, subscription, effective, period, validUntil: nextBoundary(boundaries, at) };
}

function nextBoundary(instants: readonly (Date | null)[], at: Date): number {
  let next = Number.POSITIVE_INFINITY;
  for (const instant of instants) {
    if (instant && instant.getTime() > at.getTime() && instant.getTime() < next) next = instant.getTime();
  }
  return next;
}
