import { contains, type OverrideSet, Overrides, unprocessable, validateOverrides } from "@tollgate/core";
import { type Queryable, tables } from "@tollgate/store";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { writeAudit } from "../audit/writeAudit";
import { featureMap, requirePlan } from "../catalog/loadCatalog";
import type { AdminCommand, CustomerRef, EngineDeps } from "../context";
import { lockCustomer } from "../customers/loadCustomer";
import { emitEvent } from "../events/emitEvent";
import { newId } from "../ids";
import { one } from "../rows";
import { listOverrideSets, overrideSetFromRow } from "./loadOverrideSets";

export const SetOverridesInput = z.object({
  overrides: Overrides,
  effectiveFrom: z.coerce.date().nullish(),
  effectiveTo: z.coerce.date().nullish(),
});
export type SetOverridesInput = z.infer<typeof SetOverridesInput>;

/** Replaces the customer's overrides from `effectiveFrom` (default now); the previous set ends there. */
export async function setOverrides(
  deps: EngineDeps,
  ref: CustomerRef,
  input: SetOverridesInput,
  command: AdminCommand,
): Promise<OverrideSet> {
  const set = await deps.db.transaction((tx) => setOverridesInTx(tx, deps, ref, input, command));
  deps.cache.invalidateCustomer(ref);
  return set;
}

export async function setOverridesInTx(
  tx: Queryable,
  deps: EngineDeps,
  ref: CustomerRef,
  input: SetOverridesInput,
  command: AdminCommand,
): Promise<OverrideSet> {
  await lockCustomer(tx, ref);
  const now = deps.clock();
  const from = input.effectiveFrom ?? now;
  const to = input.effectiveTo ?? null;
  if (to && to.getTime() <= from.getTime()) {
    throw unprocessable("invalid_effective_range", "effectiveTo must be after effectiveFrom", "effectiveTo");
  }
  if (from.getTime() < now.getTime() - 60_000) {
    throw unprocessable("effective_at_in_past", "overrides cannot be back-dated", "effectiveFrom");
  }
  validateOverrides(input.overrides, { features: await featureMap(tx) });
  if (input.overrides.basePlanId) await requirePlan(tx, input.overrides.basePlanId, "overrides.basePlanId");

  const existing = await listOverrideSets(tx, ref);
  const before = existing.find((s) => contains({ from: s.effectiveFrom, to: s.effectiveTo }, from)) ?? null;
  await endOverrideSetsAt(tx, ref, existing, from);
  const row = one(
    await tx
      .insert(tables.overrideSets)
      .values({
        customerId: ref.customerId,
        env: ref.env,
        id: newId("ov"),
        overrides: input.overrides,
        effectiveFrom: from,
        effectiveTo: to,
        reason: command.reason,
        createdAt: now,
      })
      .returning(),
    "override set",
  );
  const after = overrideSetFromRow(row);
  await writeAudit(tx, {
    ...command,
    action: "overrides.set",
    targetType: "override_set",
    targetId: after.id,
    customerId: ref.customerId,
    env: ref.env,
    planKey: input.overrides.basePlanId ?? null,
    before,
    after,
  });
  // Caches of the customer's entitlements (the SDK's, in other processes) learn of it from the outbox.
  await emitEvent(tx, ref, {
    type: "entitlements_changed",
    key: after.id,
    payload: { cause: "overrides.set", overrideSetId: after.id, effectiveFrom: from, effectiveTo: to },
    at: now,
  });
  return after;
}

/** Ends the set in force at `at` there; sets that would start at or after it become empty ranges. */
export async function endOverrideSetsAt(
  tx: Queryable,
  ref: CustomerRef,
  sets: readonly OverrideSet[],
  at: Date,
): Promise<void> {
  const t = tables.overrideSets;
  for (const s of sets) {
    const key = and(eq(t.customerId, ref.customerId), eq(t.env, ref.env), eq(t.id, s.id));
    const isEmpty = s.effectiveTo !== null && s.effectiveTo.getTime() <= s.effectiveFrom.getTime();
    if (isEmpty) continue;
    if (s.effectiveFrom.getTime() >= at.getTime())
      await tx.update(t).set({ effectiveTo: s.effectiveFrom }).where(key);
    else if (contains({ from: s.effectiveFrom, to: s.effectiveTo }, at))
      await tx.update(t).set({ effectiveTo: at }).where(key);
  }
}
