import { dunningStage } from "@tollgate/core";
import { type Queryable, tables } from "@tollgate/store";
import { and, eq } from "drizzle-orm";
import { writeAudit } from "../audit/writeAudit";
import type { Actor, CustomerRef, EngineDeps } from "../context";
import { emitEvent } from "../events/emitEvent";
import { enqueueJob, type Job, jobCustomer } from "../scheduler/jobs";

const SCHEDULER: Actor = { id: "scheduler", role: "system" };

/**
 * After a failed payment, one `dunning_stage` job for each later stage of core's schedule
 * (throttle, then suspend), each keyed by the subscription, the failure and the stage: a second
 * failure of the same run of non-payment enqueues nothing new.
 */
export async function scheduleDunning(
  tx: Queryable,
  ref: CustomerRef,
  standing: { provider: string; providerSubscriptionId: string; pastDueSince: Date; graceDays: number },
): Promise<void> {
  const base = {
    state: "past_due" as const,
    pastDueSince: standing.pastDueSince,
    graceDays: standing.graceDays,
  };
  for (let at = dunningStage(base, standing.pastDueSince).nextStageAt; at; ) {
    const stage = dunningStage(base, at);
    await enqueueJob(tx, {
      key: `dunning_stage:${standing.providerSubscriptionId}:${standing.pastDueSince.getTime()}:${stage.stage}`,
      kind: "dunning_stage",
      runAt: at,
      customerId: ref.customerId,
      env: ref.env,
      payload: {
        provider: standing.provider,
        providerSubscriptionId: standing.providerSubscriptionId,
        pastDueSince: standing.pastDueSince.toISOString(),
        stage: stage.stage,
      },
    });
    at = stage.nextStageAt;
  }
}

/**
 * The `dunning_stage` job: the subscription's payment is still past due since the same failure,
 * so its stage has moved on with time: audited, `payment_state_changed` emitted (SDK caches and
 * webhook endpoints hear of it when it happens), the cached entitlements dropped. A payment made
 * in the meantime, or a later failure run, makes it a no-op.
 */
export async function advanceDunning(deps: EngineDeps, job: Job): Promise<void> {
  const ref = jobCustomer(job);
  const provider = String(job.payload.provider);
  const providerSubscriptionId = String(job.payload.providerSubscriptionId);
  const stage = String(job.payload.stage);
  const p = tables.providerSubscriptions;
  const moved = await deps.db.transaction(async (tx) => {
    const [held] = await tx
      .select()
      .from(p)
      .where(and(eq(p.provider, provider), eq(p.providerSubscriptionId, providerSubscriptionId)));
    const since = held?.paymentState === "past_due" ? held.pastDueSince : null;
    if (!since || since.toISOString() !== job.payload.pastDueSince) return false;
    const now = deps.clock();
    await writeAudit(tx, {
      actor: SCHEDULER,
      action: "payment.dunning_advanced",
      targetType: "provider_subscription",
      targetId: providerSubscriptionId,
      customerId: ref.customerId,
      env: ref.env,
      before: null,
      after: { stage, pastDueSince: since },
      reason: `payment past due since ${since.toISOString()}: ${stage} on the plan's schedule`,
    });
    await emitEvent(tx, ref, {
      type: "payment_state_changed",
      key: `${providerSubscriptionId}:${since.getTime()}:${stage}`,
      payload: { providerSubscriptionId, from: "past_due", to: "past_due", stage, at: now },
      at: now,
    });
    return true;
  });
  if (moved) deps.cache.invalidateCustomer(ref);
}
