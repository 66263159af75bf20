import { conflict, type Plan, unprocessable } from "@tollgate/core";
import { type Queryable, tables } from "@tollgate/store";
import { eq } from "drizzle-orm";
import { writeAudit } from "../audit/writeAudit";
import type { AdminCommand, EngineDeps } from "../context";
import { one } from "../rows";
import { requirePlan } from "./loadCatalog";
import { planFromRow } from "./rows";

/**
 * An archived plan takes no new assignments; its subscribers keep it. A plan that provisioning
 * rules still sign customers up to is refused (`plan_in_use`).
 */
export async function archivePlan(deps: EngineDeps, key: string, command: AdminCommand): Promise<Plan> {
  const plan = await deps.db.transaction((tx) => archivePlanInTx(tx, deps, key, command));
  deps.cache.invalidateCatalog();
  return plan;
}

/** Archives the plan and writes its audit entry in the caller's transaction. */
export async function archivePlanInTx(
  tx: Queryable,
  deps: EngineDeps,
  key: string,
  command: AdminCommand,
): Promise<Plan> {
  const before = await requirePlan(tx, key, "key");
  if (before.archivedAt) throw unprocessable("plan_archived", `plan ${key} is already archived`, "key");
  // A provisioning rule would put new sign-ups on it; the rule must move first, or they would fail.
  const rules = await tx
    .select({ domain: tables.provisioningRules.domain })
    .from(tables.provisioningRules)
    .where(eq(tables.provisioningRules.planKey, key));
  if (rules.length > 0) {
    const domains = rules.map((r) => r.domain).join(", ");
    throw conflict(
      "plan_in_use",
      `plan ${key} is the plan of the provisioning rules for ${domains}: point them at another plan first`,
      "key",
    );
  }
  const rows = await tx
    .update(tables.plans)
    .set({ archivedAt: deps.clock() })
    .where(eq(tables.plans.key, key))
    .returning();
  const after = planFromRow(one(rows, "plan"));
  await writeAudit(tx, {
    ...command,
    action: "plan.archived",
    targetType: "plan",
    targetId: key,
    planKey: key,
    before,
    after,
  });
  return after;
}
