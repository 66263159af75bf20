import {
  type Plan,
  type PlanTerms,
  type PlanVersion,
  unprocessable,
  validatePlanTerms,
} from "@tollgate/core";
import { type Queryable, tables } from "@tollgate/store";
import { sql } from "drizzle-orm";
import { writeAudit } from "../audit/writeAudit";
import type { AdminCommand, EngineDeps } from "../context";
import { one } from "../rows";
import { featureMap, findPlan, requirePlan } from "./loadCatalog";
import { planVersionFromRow, termsForStorage } from "./rows";

/**
 * Publishes version n+1 of a plan. Published versions are immutable; subscribers stay on the
 * version they pinned until they are moved.
 */
export async function publishPlanVersion(
  deps: EngineDeps,
  planKey: string,
  terms: PlanTerms,
  command: AdminCommand,
): Promise<PlanVersion> {
  const version = await deps.db.transaction(async (tx) => {
    const plan = await requirePlan(tx, planKey, "key");
    if (plan.archivedAt) throw unprocessable("plan_archived", `plan ${planKey} is archived`, "key");
    return insertVersion(tx, deps, plan, terms, command);
  });
  deps.cache.invalidateCatalog();
  return version;
}

/** Validates and inserts the next version of `plan`; the caller's transaction holds it together. */
export async function insertVersion(
  tx: Queryable,
  deps: EngineDeps,
  plan: Plan,
  terms: PlanTerms,
  command: AdminCommand,
): Promise<PlanVersion> {
  await validateTrialFallback(tx, terms);
  validatePlanTerms(terms, plan.isCustom, {
    features: await featureMap(tx),
    minCustomPrice: deps.config.minCustomPrice,
  });
  // Lock the plan row so two publishers cannot both take the same next version number.
  await tx.execute(sql`SELECT key FROM plans WHERE key = ${plan.key} FOR UPDATE`);
  const [latest] = await tx
    .select({ max: sql<number>`coalesce(max(${tables.planVersions.version}), 0)` })
    .from(tables.planVersions)
    .where(sql`${tables.planVersions.planKey} = ${plan.key}`);
  const next = Number(latest?.max ?? 0) + 1;
  const row = one(
    await tx
      .insert(tables.planVersions)
      .values({
        id: `pv_${plan.key}_${next}`,
        planKey: plan.key,
        version: next,
        terms: termsForStorage(terms),
        effectiveFrom: terms.effectiveFrom ?? null,
        effectiveTo: terms.effectiveTo ?? null,
        publishedAt: deps.clock(),
      })
      .returning(),
    "plan version",
  );
  const published = planVersionFromRow(row);
  // The plan shows its newest version's name and kind (lists, the admin catalog).
  await tx
    .update(tables.plans)
    .set({ name: published.name, kind: published.kind })
    .where(sql`${tables.plans.key} = ${plan.key}`);
  await writeAudit(tx, {
    ...command,
    action: "plan.version_published",
    targetType: "plan_version",
    targetId: published.id,
    planKey: plan.key,
    customerId: plan.customerId,
    after: published,
  });
  return published;
}

async function validateTrialFallback(tx: Queryable, terms: PlanTerms): Promise<void> {
  const fallback = terms.trial?.fallbackPlan;
  if (fallback && !(await findPlan(tx, fallback))) {
    throw unprocessable(
      "unknown_plan",
      `trial fallback plan "${fallback}" does not exist`,
      "trial.fallbackPlan",
    );
  }
}
