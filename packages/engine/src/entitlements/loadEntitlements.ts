import {
  applyDunning,
  billingPeriod,
  type Dunning,
  dunningStage,
  type EffectivePlan,
  type Feature,
  type Interval,
  resolve,
  TollgateError,
} from "@tollgate/core";
import { type Queryable, tables } from "@tollgate/store";
import { and, eq } from "drizzle-orm";
import { featureMap, findPlan, findPlanVersionById } from "../catalog/loadCatalog";
import type { CustomerRef } from "../context";
import { type CreditState, loadCreditState } from "../credits/creditBalance";
import { type Customer, requireCustomer } from "../customers/loadCustomer";
import { type Counters, loadCounters } from "../metering/counters";
import { listOverrideSets } from "../overrides/loadOverrideSets";
import { countSeats } from "../seats/countSeats";
import { listSubscriptions, type Subscription, subscriptionAt } from "../subscriptions/loadSubscriptions";

/** A customer's resolved entitlements at one instant, and until when that answer holds. */
export interface CustomerEntitlements {
  customer: Customer;
  subscription: Subscription | null;
  effective: EffectivePlan | null;
  period: (Interval & { to: Date }) | null;
  /** The payment standing of the contract's own provider subscription (never another's). */
  dunning: Dunning;
  /** `period.from` and `period.to` in epoch ms (null without a period), for the check hot path. */
  periodStartMs: number | null;
  periodEndMs: number | null;
  /** The last boundary at or before the instant resolved (ms): the answer holds from here… */
  validFrom: number;
  /** …to the next instant at which a contract, override set or period boundary changes it (ms). */
  validUntil: number;
  /** Usage in the windows containing the instant resolved; kept current by metering. */
  counters: Counters;
  /** When the counters were last read from the database (ms); other processes write them too. */
  countersReadAt: number;
  /** Active seats. */
  seats: number;
  /** The credit balance; kept current by metering. */
  credits: CreditState;
}

/** Loads the rows that decide a customer's entitlements and resolves them at `at`. */
export async function loadEntitlements(
  db: Queryable,
  ref: CustomerRef,
  at: Date,
  loadFeatures: () => Promise<Map<string, Feature>> = () => featureMap(db),
): Promise<CustomerEntitlements> {
  const customer = await requireCustomer(db, ref);
  const [subscriptions, overrideSets, counters, seats] = await Promise.all([
    listSubscriptions(db, ref),
    listOverrideSets(db, ref),
    loadCounters(db, ref, at),
    countSeats(db, ref),
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
      periodStartMs: null,
      periodEndMs: null,
      dunning: NO_DUNNING,
      ...validity(boundaries, at),
      counters,
      countersReadAt: at.getTime(),
      seats,
      credits: (await loadCreditState(db, ref, null, null, seats, at)).credits,
    };
  }
  const [plan, planVersion, features] = await Promise.all([
    findPlan(db, subscription.planKey),
    findPlanVersionById(db, subscription.planVersionId),
    loadFeatures(),
  ]);
  if (!plan || !planVersion) {
    throw new TollgateError(
      "internal",
      "plan_version_missing",
      `subscription ${subscription.id} names a missing plan version`,
    );
  }
  const resolved = resolve({ plan, planVersion, features, overrideSets, addOns: [], at });
  const dunning = await loadDunning(db, subscription, resolved.paymentGraceDays, at);
  if (dunning.nextStageAt) boundaries.push(dunning.nextStageAt);
  const effective = applyDunning(resolved, dunning);
  const period = billingPeriod(subscription.billingAnchor, planVersion.interval, at);
  boundaries.push(period.from, period.to);
  const { credits, holdsLapseAt } = await loadCreditState(db, ref, effective, period, seats, at);
  boundaries.push(holdsLapseAt);
  return {
    customer,
    subscription,
    effective,
    period,
    periodStartMs: period.from.getTime(),
    periodEndMs: period.to.getTime(),
    dunning,
    ...validity(boundaries, at),
    counters,
    countersReadAt: at.getTime(),
    seats,
    credits,
  };
}

const NO_DUNNING: Dunning = { stage: "ok", since: null, nextStageAt: null };

/** The dunning stage of the contract's provider subscription at `at` (ok when it has none). */
async function loadDunning(
  db: Queryable,
  subscription: Subscription,
  graceDays: number,
  at: Date,
): Promise<Dunning> {
  if (!subscription.providerSubscriptionId) return NO_DUNNING;
  const p = tables.providerSubscriptions;
  const [row] = await db
    .select({ state: p.paymentState, pastDueSince: p.pastDueSince })
    .from(p)
    .where(
      and(
        eq(p.customerId, subscription.customerId),
        eq(p.env, subscription.env),
        eq(p.providerSubscriptionId, subscription.providerSubscriptionId),
      ),
    );
  if (!row) return NO_DUNNING;
  return dunningStage({ state: row.state, pastDueSince: row.pastDueSince, graceDays }, at);
}

/** The boundaries around `at`: the answer resolved at `at` holds on [validFrom, validUntil). */
function validity(instants: readonly (Date | null)[], at: Date): { validFrom: number; validUntil: number } {
  const t = at.getTime();
  let validFrom = Number.NEGATIVE_INFINITY;
  let validUntil = Number.POSITIVE_INFINITY;
  for (const instant of instants) {
    if (!instant) continue;
    const ms = instant.getTime();
    if (ms > t && ms < validUntil) validUntil = ms;
    if (ms <= t && ms > validFrom) validFrom = ms;
  }
  return { validFrom, validUntil };
}
