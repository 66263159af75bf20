import { offeredVersionAt } from "@tollgate/core";
import { tables } from "@tollgate/store";
import { and, eq } from "drizzle-orm";
import { writeAudit } from "../audit/writeAudit";
import { findPlanVersionById, listPlanVersions } from "../catalog/loadCatalog";
import type { Actor, EngineDeps } from "../context";
import { lockCustomer } from "../customers/loadCustomer";
import { emitEvent } from "../events/emitEvent";
import { type Job, jobCustomer } from "../scheduler/jobs";
import { endContractsAt } from "./assignPlan";
import { listSubscriptions, type Subscription } from "./loadSubscriptions";
import { startContract } from "./startContract";

const SCHEDULER: Actor = { id: "scheduler", role: "system" };

/**
 * The `trial_expiry` job: when a trial ends still trialing (not converted, not replaced), the
 * customer moves to the plan's fallback at the trial's end (or to no plan when it has none),
 * with a `trial_expired` event and an audit entry. Usage, credits and history stay as they were.
 * Idempotent: a trial already ended or replaced is left alone.
 */
export async function expireTrial(deps: EngineDeps, job: Job): Promise<void> {
  const ref = jobCustomer(job);
  const subscriptionId = job.payload.subscriptionId;
  if (typeof subscriptionId !== "string")
    throw new Error(`trial_expiry job ${job.key} lacks its subscription`);
  const changed = await deps.db.transaction(async (tx) => {
    await lockCustomer(tx, ref);
    const now = deps.clock();
    const subscriptions = await listSubscriptions(tx, ref);
    const trial = subscriptions.find((s) => s.id === subscriptionId);
    const endsAt = trial?.trialEndsAt;
    if (!trial || !endsAt || !stillTrialingAt(trial, endsAt)) return false;

    const version = await findPlanVersionById(tx, trial.planVersionId);
    const fallbackKey = version?.trial?.fallbackPlan ?? null;
    await endContractsAt(tx, subscriptions, endsAt, now);
    const t = tables.subscriptions;
    await tx
      .update(t)
      .set({ status: "canceled", canceledAt: now })
      .where(and(eq(t.customerId, ref.customerId), eq(t.env, ref.env), eq(t.id, trial.id)));

    let fallback: Subscription | null = null;
    if (fallbackKey) {
      const versions = await listPlanVersions(tx, fallbackKey);
      const fallbackVersion = offeredVersionAt(versions, endsAt);
      if (fallbackVersion) {
        fallback = await startContract(tx, ref, {
          planKey: fallbackKey,
          version: fallbackVersion,
          effectiveAt: endsAt,
          billingAnchor: endsAt,
          reason: `trial of ${trial.planKey} ended`,
          now,
        });
      }
    }
    await writeAudit(tx, {
      actor: SCHEDULER,
      action: "subscription.trial_expired",
      targetType: "subscription",
      targetId: trial.id,
      customerId: ref.customerId,
      env: ref.env,
      planKey: trial.planKey,
      before: trial,
      after: { fallback },
      reason: `trial of ${trial.planKey} ended at ${endsAt.toISOString()}`,
    });
    await emitEvent(tx, ref, {
      type: "trial_expired",
      key: trial.id,
      payload: {
        subscriptionId: trial.id,
        planKey: trial.planKey,
        trialEndedAt: endsAt,
        fallback: fallback && { subscriptionId: fallback.id, planKey: fallback.planKey },
      },
      at: now,
    });
    return true;
  });
  if (changed) deps.cache.invalidateCustomer(ref);
}

/** Still trialing at its end: not converted, canceled or replaced before then. */
const stillTrialingAt = (s: Subscription, endsAt: Date) =>
  s.status === "trialing" &&
  s.effectiveFrom.getTime() < endsAt.getTime() &&
  (s.effectiveTo === null || s.effectiveTo.getTime() > endsAt.getTime());
