import { conflict, notFound, Overrides, PlanKey, unprocessable, validateOverrides } from "@tollgate/core";
import { type Queryable, tables } from "@tollgate/store";
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { writeAudit } from "../audit/writeAudit";
import { featureMap, requirePlan } from "../catalog/loadCatalog";
import type { AdminCommand, EngineDeps } from "../context";
import { newId } from "../ids";
import { one } from "../rows";

export const ProvisioningRuleInput = z.object({
  domain: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, "must be an email domain such as example.com"),
  planKey: PlanKey,
  overrides: Overrides.default({}),
});
export type ProvisioningRuleInput = z.infer<typeof ProvisioningRuleInput>;

export type ProvisioningRule = typeof tables.provisioningRules.$inferSelect & { overrides: Overrides };

export async function createProvisioningRule(
  deps: EngineDeps,
  input: ProvisioningRuleInput,
  command: AdminCommand,
): Promise<ProvisioningRule> {
  return deps.db.transaction(async (tx) => {
    await requireRulePlan(tx, input.planKey);
    validateOverrides(input.overrides, { features: await featureMap(tx) });
    const rows = await tx
      .insert(tables.provisioningRules)
      .values({ id: newId("pr"), domain: input.domain, planKey: input.planKey, overrides: input.overrides })
      .onConflictDoNothing()
      .returning();
    if (rows.length === 0) throw conflict("rule_exists", `a rule for ${input.domain} exists`, "domain");
    const rule = one(rows, "provisioning rule") as ProvisioningRule;
    await writeAudit(tx, {
      ...command,
      action: "provisioning_rule.created",
      targetType: "provisioning_rule",
      targetId: rule.id,
      planKey: rule.planKey,
      after: rule,
    });
    return rule;
  });
}

/** A rule's plan and overrides, replaced (its domain stays); `null` for no such rule. */
export const ProvisioningRuleChange = ProvisioningRuleInput.omit({ domain: true });
export type ProvisioningRuleChange = z.infer<typeof ProvisioningRuleChange>;

export async function updateProvisioningRule(
  deps: EngineDeps,
  id: string,
  input: ProvisioningRuleChange,
  command: AdminCommand,
): Promise<ProvisioningRule> {
  return deps.db.transaction(async (tx) => {
    const before = await requireRule(tx, id);
    await requireRulePlan(tx, input.planKey);
    validateOverrides(input.overrides, { features: await featureMap(tx) });
    const rows = await tx
      .update(tables.provisioningRules)
      .set({ planKey: input.planKey, overrides: input.overrides })
      .where(eq(tables.provisioningRules.id, id))
      .returning();
    const rule = one(rows, "provisioning rule") as ProvisioningRule;
    await writeAudit(tx, {
      ...command,
      action: "provisioning_rule.updated",
      targetType: "provisioning_rule",
      targetId: id,
      planKey: rule.planKey,
      before,
      after: rule,
    });
    return rule;
  });
}

/** Deletes a rule: customers it provisioned keep their plans; new sign-ups at its domain get none. */
export async function deleteProvisioningRule(
  deps: EngineDeps,
  id: string,
  command: AdminCommand,
): Promise<ProvisioningRule> {
  return deps.db.transaction(async (tx) => {
    const before = await requireRule(tx, id);
    await tx.delete(tables.provisioningRules).where(eq(tables.provisioningRules.id, id));
    await writeAudit(tx, {
      ...command,
      action: "provisioning_rule.deleted",
      targetType: "provisioning_rule",
      targetId: id,
      planKey: before.planKey,
      before,
      after: null,
    });
    return before;
  });
}

/**
 * A plan every sign-up at the domain can be put on: a public one that is not archived (a custom
 * plan belongs to one customer, an archived one takes no new assignments).
 */
async function requireRulePlan(tx: Queryable, planKey: string): Promise<void> {
  const plan = await requirePlan(tx, planKey);
  if (plan.isCustom) {
    throw unprocessable("plan_not_public", `${planKey} is a custom plan of one customer`, "planKey");
  }
  if (plan.archivedAt) throw unprocessable("plan_archived", `plan ${planKey} is archived`, "planKey");
}

async function requireRule(tx: Queryable, id: string): Promise<ProvisioningRule> {
  const [rule] = await tx
    .select()
    .from(tables.provisioningRules)
    .where(eq(tables.provisioningRules.id, id))
    .for("update");
  if (!rule) throw notFound("provisioning_rule_not_found", `no provisioning rule "${id}"`, "id");
  return rule as ProvisioningRule;
}

export async function listProvisioningRules(db: Queryable): Promise<ProvisioningRule[]> {
  return (await db
    .select()
    .from(tables.provisioningRules)
    .orderBy(asc(tables.provisioningRules.domain))) as ProvisioningRule[];
}

export async function findRuleForDomain(
  db: Queryable,
  domain: string,
): Promise<ProvisioningRule | undefined> {
  const [rule] = await db
    .select()
    .from(tables.provisioningRules)
    .where(eq(tables.provisioningRules.domain, domain));
  return rule as ProvisioningRule | undefined;
}
