import { tables } from "@tollgate/store";
import { z } from "zod";
import { writeAudit } from "../audit/writeAudit";
import type { Actor, CustomerRef, EngineDeps } from "../context";
import { setOverridesInTx } from "../overrides/setOverrides";
import { one } from "../rows";
import { assignPlanInTx } from "../subscriptions/assignPlan";
import { listSubscriptions, subscriptionAt } from "../subscriptions/loadSubscriptions";
import {
  type Customer,
  customerFromRow,
  findCustomer,
  type lockCustomer,
  whereCustomer,
} from "./loadCustomer";
import { findRuleForDomain } from "./provisioningRules";

export const UpsertCustomerInput = z.object({
  id: z.string().min(1).max(255),
  name: z.string().max(500).nullish(),
  email: z.string().email().max(320).nullish(),
  emailVerified: z.boolean().optional(),
  workspaceIds: z.array(z.string().min(1).max(255)).max(1000).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type UpsertCustomerInput = z.infer<typeof UpsertCustomerInput>;

export interface UpsertCustomerResult {
  customer: Customer;
  created: boolean;
  /** The provisioning rule applied, when a verified email matched one. */
  provisionedBy: string | null;
}

/**
 * Creates or updates a customer by id. An email that becomes verified (at sign-up, on
 * verification, or a new verified address) whose domain has a provisioning rule puts a customer
 * without a plan on the rule's plan and overrides (the employee plan).
 */
export async function upsertCustomer(
  deps: EngineDeps,
  env: CustomerRef["env"],
  input: UpsertCustomerInput,
  actor: Actor,
): Promise<UpsertCustomerResult> {
  const ref: CustomerRef = { env, customerId: input.id };
  const result = await deps.db.transaction(async (tx) => {
    const now = deps.clock();
    const before = await findCustomer(tx, ref);
    const email = input.email === undefined ? (before?.email ?? null) : input.email;
    const emailChanged = email !== (before?.email ?? null);
    const values = {
      name: input.name === undefined ? (before?.name ?? null) : input.name,
      email,
      emailDomain: email ? (email.split("@")[1]?.toLowerCase() ?? null) : null,
      emailVerified: input.emailVerified ?? (emailChanged ? false : (before?.emailVerified ?? false)),
      workspaceIds: input.workspaceIds ?? before?.workspaceIds ?? [],
      metadata: input.metadata ?? before?.metadata ?? {},
      updatedAt: now,
    };
    const row = before
      ? one(await tx.update(tables.customers).set(values).where(whereCustomer(ref)).returning(), "customer")
      : one(
          await tx
            .insert(tables.customers)
            .values({ customerId: input.id, env, ...values, createdAt: now })
            .onConflictDoUpdate({ target: [tables.customers.customerId, tables.customers.env], set: values })
            .returning(),
          "customer",
        );
    const customer = customerFromRow(row);
    await writeAudit(tx, {
      actor,
      action: before ? "customer.updated" : "customer.created",
      targetType: "customer",
      targetId: customer.id,
      customerId: customer.id,
      env,
      before: before ?? null,
      after: customer,
    });
    // Rules apply when a verified address arrives (sign-up, verification, a new address), not
    // on every later update: a customer an admin took off the plan stays off it.
    const newlyVerified = customer.emailVerified && (!before?.emailVerified || emailChanged);
    const provisionedBy = newlyVerified ? await provision(tx, deps, customer, actor) : null;
    return { customer, created: !before, provisionedBy };
  });
  deps.cache.invalidateCustomer(ref);
  return result;
}

async function provision(
  tx: Parameters<typeof lockCustomer>[0],
  deps: EngineDeps,
  customer: Customer,
  actor: Actor,
): Promise<string | null> {
  if (!customer.emailVerified || !customer.emailDomain) return null;
  const ref: CustomerRef = { env: customer.env, customerId: customer.id };
  if (subscriptionAt(await listSubscriptions(tx, ref), deps.clock())) return null;
  const rule = await findRuleForDomain(tx, customer.emailDomain);
  if (!rule) return null;
  const command = { actor, reason: `provisioning rule ${rule.id}: verified email at ${rule.domain}` };
  await assignPlanInTx(tx, deps, ref, { planKey: rule.planKey }, command);
  if (Object.keys(rule.overrides).length > 0) {
    await setOverridesInTx(
      tx,
      deps,
      ref,
      { overrides: { basePlanId: rule.planKey, ...rule.overrides } },
      command,
    );
  }
  return rule.id;
}
