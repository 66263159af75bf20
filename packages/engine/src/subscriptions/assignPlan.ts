import {
  assertAssignable,
  billingPeriod,
  calendarPeriod,
  contains,
  isCalendarAnchor,
  notFound,
  type Plan,
  PlanKey,
  type PlanVersion,
  unprocessable,
} from "@tollgate/core";
import { type Queryable, tables } from "@tollgate/store";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { writeAudit } from "../audit/writeAudit";
import { findPlanVersionById, listPlanVersions, requirePlan } from "../catalog/loadCatalog";
import type { AdminCommand, CustomerRef, EngineDeps, Env } from "../context";
import { lockCustomer } from "../customers/loadCustomer";
import { emitEvent } from "../events/emitEvent";
import { enqueueJob } from "../scheduler/jobs";
import { listSubscriptions, type Subscription, subscriptionAt } from "./loadSubscriptions";
import { startContract } from "./startContract";

export const AssignPlanInput = z.object({
  planKey: PlanKey,
  version: z.number().int().positive().optional(),
  effectiveAt: z.coerce.date().optional(),
  /**
   * `anniversary` counts periods from the contract's start; `calendar` bills UTC calendar months
   * (or years), the first one pro rata. Absent: as the contract it replaces, else anniversary.
   */
  billingAlignment: z.enum(["anniversary", "calendar"]).optional(),
});
export type AssignPlanInput = z.infer<typeof AssignPlanInput>;

export type PlanChange = "new" | "upgrade" | "downgrade" | "lateral";

export interface AssignPlanResult {
  subscription: Subscription;
  change: PlanChange;
  /** True when the change waits for a later instant (a downgrade at period end). */
  scheduled: boolean;
}

/**
 * Puts the customer on a plan version. Upgrades apply now; downgrades wait for the end of the
 * current period unless `effectiveAt` says otherwise. Contracts never overlap: the one in force
 * at the change ends there, and any later scheduled change is superseded.
 */
export async function assignPlan(
  deps: EngineDeps,
  ref: CustomerRef,
  input: AssignPlanInput,
  command: AdminCommand,
): Promise<AssignPlanResult> {
  const result = await deps.db.transaction((tx) => assignPlanInTx(tx, deps, ref, input, command));
  deps.cache.invalidateCustomer(ref);
  return result;
}

export async function assignPlanInTx(
  tx: Queryable,
  deps: EngineDeps,
  ref: CustomerRef,
  input: AssignPlanInput,
  command: AdminCommand,
  /** True when the payment provider reported the change: nothing to send back to it. */
  fromProvider = false,
): Promise<AssignPlanResult> {
  await lockCustomer(tx, ref);
  const now = deps.clock();
  if (input.effectiveAt && input.effectiveAt.getTime() < now.getTime() - 60_000) {
    throw unprocessable("effective_at_in_past", "a plan change cannot be back-dated", "effectiveAt");
  }
  const plan = await requirePlan(tx, input.planKey);
  const version = await pickVersion(tx, input);
  const subscriptions = await listSubscriptions(tx, ref);
  const current = subscriptionAt(subscriptions, now);
  const currentVersion = current && (await findPlanVersionById(tx, current.planVersionId));
  const change = classify(currentVersion, version);
  const effectiveAt =
    input.effectiveAt ??
    (change === "downgrade" && current && currentVersion
      ? billingPeriod(current.billingAnchor, currentVersion.interval, now).to
      : now);
  assertAssignable(plan, version, ref.customerId, effectiveAt);
  await assertOwnedInEnv(tx, plan, ref.env);

  await endContractsAt(tx, subscriptions, effectiveAt, now);
  const subscription = await startContract(tx, ref, {
    planKey: plan.key,
    version,
    effectiveAt,
    billingAnchor: billingAnchorOf(input.billingAlignment, current, currentVersion, version, effectiveAt),
    reason: command.reason,
    now,
    providerSubscriptionId: current?.providerSubscriptionId ?? null,
  });
  if (current?.providerSubscriptionId && !fromProvider) {
    await enqueueJob(tx, {
      key: `provider_sync:${ref.env}:${ref.customerId}:${subscription.id}`,
      kind: "provider_sync",
      runAt: effectiveAt,
      customerId: ref.customerId,
      env: ref.env,
      payload: { subscriptionId: subscription.id },
    });
  }
  const scheduled = effectiveAt.getTime() > now.getTime();
  await writeAudit(tx, {
    ...command,
    action: scheduled ? "subscription.change_scheduled" : "subscription.assigned",
    targetType: "subscription",
    targetId: subscription.id,
    customerId: ref.customerId,
    env: ref.env,
    planKey: plan.key,
    before: current && { ...current, planVersion: currentVersion?.version },
    after: { ...subscription, planVersion: version.version, change },
  });
  await emitEvent(tx, ref, {
    type: "plan_changed",
    key: subscription.id,
    payload: {
      subscriptionId: subscription.id,
      from: current ? { planKey: current.planKey, version: currentVersion?.version ?? null } : null,
      to: { planKey: plan.key, version: version.version },
      change,
      effectiveAt,
      scheduled,
    },
    at: now,
  });
  return { subscription, change, scheduled };
}

/**
 * Where the new contract's periods count from. A change within one interval keeps the periods
 * it replaces (the customer's billing day does not move) unless a different alignment is asked
 * for; a calendar contract's anchor is the start of its UTC month or year, which is how
 * `billingPeriod` then yields calendar periods and how a later change recognises the alignment.
 */
function billingAnchorOf(
  asked: AssignPlanInput["billingAlignment"],
  current: Subscription | undefined,
  currentVersion: PlanVersion | undefined,
  version: PlanVersion,
  effectiveAt: Date,
): Date {
  const currentAlignment =
    current && currentVersion && isCalendarAnchor(current.billingAnchor, currentVersion.interval)
      ? "calendar"
      : "anniversary";
  const alignment = asked ?? (current ? currentAlignment : "anniversary");
  if (current && currentVersion?.interval === version.interval && alignment === currentAlignment) {
    return current.billingAnchor;
  }
  return alignment === "calendar" ? calendarPeriod(version.interval, effectiveAt).from : effectiveAt;
}

/** A custom plan's owner is a customer id in one environment: the same id in the other is someone else. */
async function assertOwnedInEnv(tx: Queryable, plan: Plan, env: Env): Promise<void> {
  if (!plan.isCustom) return;
  const t = tables.plans;
  const [row] = await tx.select({ env: t.customerEnv }).from(t).where(eq(t.key, plan.key));
  if (row?.env !== env) {
    throw unprocessable("plan_not_owned", `custom plan ${plan.key} belongs to another customer`, "planKey");
  }
}

async function pickVersion(tx: Queryable, input: AssignPlanInput): Promise<PlanVersion> {
  const versions = await listPlanVersions(tx, input.planKey);
  const version =
    input.version === undefined ? versions[0] : versions.find((v) => v.version === input.version);
  if (!version)
    throw notFound("plan_version_not_found", `${input.planKey} has no version ${input.version}`, "version");
  return version;
}

const monthlyPrice = (v: PlanVersion) => (v.interval === "year" ? v.basePrice / 12 : v.basePrice);

function classify(from: PlanVersion | undefined, to: PlanVersion): PlanChange {
  if (!from) return "new";
  const delta = monthlyPrice(to) - monthlyPrice(from);
  return delta > 0 ? "upgrade" : delta < 0 ? "downgrade" : "lateral";
}

/**
 * Ends the contract in force at `at` there, and supersedes contracts that would start at or
 * after it (they become empty ranges, kept for history, never in force).
 */
export async function endContractsAt(
  tx: Queryable,
  subscriptions: readonly Subscription[],
  at: Date,
  now: Date,
): Promise<void> {
  const t = tables.subscriptions;
  for (const s of subscriptions) {
    const key = and(eq(t.customerId, s.customerId), eq(t.env, s.env), eq(t.id, s.id));
    const isEmpty = s.effectiveTo !== null && s.effectiveTo.getTime() <= s.effectiveFrom.getTime();
    if (isEmpty) continue;
    if (s.effectiveFrom.getTime() >= at.getTime()) {
      await tx
        .update(t)
        .set({ effectiveTo: s.effectiveFrom, status: "canceled", canceledAt: now })
        .where(key);
    } else if (contains({ from: s.effectiveFrom, to: s.effectiveTo }, at)) {
      await tx.update(t).set({ effectiveTo: at }).where(key);
    }
  }
}
