import {
  conflict,
  type Plan,
  PlanKey,
  type PlanTerms,
  type PlanVersion,
  unprocessable,
} from "@tollgate/core";
import { type Queryable, tables } from "@tollgate/store";
import { z } from "zod";
import { writeAudit } from "../audit/writeAudit";
import type { AdminCommand, EngineDeps, Env } from "../context";
import { requireCustomer } from "../customers/loadCustomer";
import { one } from "../rows";
import { insertVersion } from "./publishPlanVersion";
import { planFromRow } from "./rows";

export const PlanIdentity = z.object({
  key: PlanKey,
  custom: z.boolean().default(false),
  customerId: z.string().min(1).max(255).nullish(),
});
export type PlanIdentity = z.infer<typeof PlanIdentity>;

/** Creates a plan and publishes its version 1 in one transaction. A custom plan belongs to one customer. */
export async function createPlan(
  deps: EngineDeps,
  identity: PlanIdentity & { env: Env },
  terms: PlanTerms,
  command: AdminCommand,
): Promise<{ plan: Plan; version: PlanVersion }> {
  const result = await deps.db.transaction((tx) => createPlanInTx(tx, deps, identity, terms, command));
  deps.cache.invalidateCatalog();
  return result;
}

/** Creates the plan and its version 1 in the caller's transaction. */
export async function createPlanInTx(
  tx: Queryable,
  deps: EngineDeps,
  identity: PlanIdentity & { env: Env },
  terms: PlanTerms,
  command: AdminCommand,
): Promise<{ plan: Plan; version: PlanVersion }> {
  const customerId = identity.custom ? (identity.customerId ?? null) : null;
  if (identity.custom && !customerId) {
    throw unprocessable(
      "customer_required",
      "a custom plan belongs to one customer: give customerId",
      "customerId",
    );
  }
  if (customerId) await requireCustomer(tx, { env: identity.env, customerId }, "customerId");
  const rows = await tx
    .insert(tables.plans)
    .values({
      key: identity.key,
      name: terms.name,
      kind: terms.kind,
      isCustom: identity.custom,
      customerId,
      customerEnv: customerId ? identity.env : null,
      createdAt: deps.clock(),
    })
    .onConflictDoNothing()
    .returning();
  if (rows.length === 0) throw conflict("plan_exists", `a plan with key "${identity.key}" exists`, "key");
  const plan = planFromRow(one(rows, "plan"));
  await writeAudit(tx, {
    ...command,
    action: "plan.created",
    targetType: "plan",
    targetId: plan.key,
    planKey: plan.key,
    customerId,
    env: customerId ? identity.env : null,
    after: plan,
  });
  const version = await insertVersion(tx, deps, plan, terms, command);
  return { plan, version };
}
