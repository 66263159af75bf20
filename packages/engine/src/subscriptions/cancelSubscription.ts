import { notFound, unprocessable } from "@tollgate/core";
import { type Queryable, tables } from "@tollgate/store";
import { and, eq } from "drizzle-orm";
import { writeAudit } from "../audit/writeAudit";
import type { AdminCommand, CustomerRef, EngineDeps } from "../context";
import { lockCustomer } from "../customers/loadCustomer";
import { emitEvent } from "../events/emitEvent";
import { enqueueJob } from "../scheduler/jobs";
import { endContractsAt } from "./assignPlan";
import { listSubscriptions, subscriptionAt } from "./loadSubscriptions";

/** Ends the customer's contract now (or at `effectiveAt`) and cancels any scheduled change. */
export async function cancelSubscription(
  deps: EngineDeps,
  ref: CustomerRef,
  input: { effectiveAt?: Date | undefined },
  command: AdminCommand,
): Promise<{ canceledAt: Date; effectiveTo: Date }> {
  const result = await deps.db.transaction((tx) => cancelSubscriptionInTx(tx, deps, ref, input, command));
  deps.cache.invalidateCustomer(ref);
  return result;
}

/** The same inside the caller's transaction (which then invalidates the customer's cache). */
export async function cancelSubscriptionInTx(
  tx: Queryable,
  deps: EngineDeps,
  ref: CustomerRef,
  input: { effectiveAt?: Date | undefined },
  command: AdminCommand,
  /** True when the payment provider reported the cancellation: nothing to send back to it. */
  fromProvider = false,
): Promise<{ canceledAt: Date; effectiveTo: Date }> {
  await lockCustomer(tx, ref);
  const now = deps.clock();
  const at = input.effectiveAt ?? now;
  if (at.getTime() < now.getTime() - 60_000) {
    throw unprocessable("effective_at_in_past", "a cancellation cannot be back-dated", "effectiveAt");
  }
  const subscriptions = await listSubscriptions(tx, ref);
  const current = subscriptionAt(subscriptions, now);
  if (!current) throw notFound("no_subscription", `customer ${ref.customerId} has no plan in force`);
  await endContractsAt(tx, subscriptions, at, now);
  const t = tables.subscriptions;
  await tx
    .update(t)
    .set({ status: "canceled", canceledAt: now })
    .where(and(eq(t.customerId, ref.customerId), eq(t.env, ref.env), eq(t.id, current.id)));
  await writeAudit(tx, {
    ...command,
    action: "subscription.canceled",
    targetType: "subscription",
    targetId: current.id,
    customerId: ref.customerId,
    env: ref.env,
    planKey: current.planKey,
    before: current,
    after: { ...current, status: "canceled", canceledAt: now, effectiveTo: at },
  });
  await emitEvent(tx, ref, {
    type: "plan_changed",
    key: `canceled:${current.id}`,
    payload: {
      subscriptionId: current.id,
      from: { planKey: current.planKey },
      to: null,
      change: "canceled",
      effectiveAt: at,
      scheduled: at.getTime() > now.getTime(),
    },
    at: now,
  });
  if (current.providerSubscriptionId && !fromProvider) {
    await enqueueJob(tx, {
      key: `provider_cancel:${ref.env}:${ref.customerId}:${current.id}`,
      kind: "provider_cancel",
      runAt: now,
      customerId: ref.customerId,
      env: ref.env,
      payload: {
        providerSubscriptionId: current.providerSubscriptionId,
        atPeriodEnd: at.getTime() > now.getTime(),
      },
    });
  }
  return { canceledAt: now, effectiveTo: at };
}
