import type { PlanVersion } from "@tollgate/core";
import { type Queryable, tables } from "@tollgate/store";
import type { CustomerRef } from "../context";
import { newId } from "../ids";
import { one } from "../rows";
import { enqueueJob } from "../scheduler/jobs";
import { type Subscription, subscriptionFromRow } from "./loadSubscriptions";

const DAY = 86_400_000;

/**
 * Inserts a contract on `version` from `effectiveAt` (the caller has ended what it replaces).
 * A plan with a trial starts trialing, and the job that ends the trial is enqueued with it.
 */
export async function startContract(
  tx: Queryable,
  ref: CustomerRef,
  input: {
    planKey: string;
    version: PlanVersion;
    effectiveAt: Date;
    billingAnchor: Date;
    reason: string;
    now: Date;
    /** The provider subscription that bills this contract, when it continues one. */
    providerSubscriptionId?: string | null;
  },
): Promise<Subscription> {
  const { version, effectiveAt } = input;
  const trialEndsAt = version.trial ? new Date(effectiveAt.getTime() + version.trial.days * DAY) : null;
  const row = one(
    await tx
      .insert(tables.subscriptions)
      .values({
        customerId: ref.customerId,
        env: ref.env,
        id: newId("sub"),
        planKey: input.planKey,
        planVersionId: version.id,
        status: trialEndsAt ? "trialing" : "active",
        effectiveFrom: effectiveAt,
        effectiveTo: null,
        billingAnchor: input.billingAnchor,
        trialEndsAt,
        providerSubscriptionId: input.providerSubscriptionId ?? null,
        reason: input.reason,
        createdAt: input.now,
      })
      .returning(),
    "subscription",
  );
  const subscription = subscriptionFromRow(row);
  if (trialEndsAt) {
    await enqueueJob(tx, {
      key: `trial_expiry:${ref.env}:${ref.customerId}:${subscription.id}`,
      kind: "trial_expiry",
      runAt: trialEndsAt,
      customerId: ref.customerId,
      env: ref.env,
      payload: { subscriptionId: subscription.id },
    });
  }
  return subscription;
}
