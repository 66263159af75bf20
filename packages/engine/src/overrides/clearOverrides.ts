import { contains, notFound } from "@tollgate/core";
import { writeAudit } from "../audit/writeAudit";
import type { AdminCommand, CustomerRef, EngineDeps } from "../context";
import { lockCustomer } from "../customers/loadCustomer";
import { emitEvent } from "../events/emitEvent";
import { listOverrideSets } from "./loadOverrideSets";
import { endOverrideSetsAt } from "./setOverrides";

/** Ends the overrides in force now; the customer behaves exactly as its base plan from here on. */
export async function clearOverrides(
  deps: EngineDeps,
  ref: CustomerRef,
  command: AdminCommand,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await lockCustomer(tx, ref);
    const now = deps.clock();
    const sets = await listOverrideSets(tx, ref);
    const current = sets.find((s) => contains({ from: s.effectiveFrom, to: s.effectiveTo }, now));
    const pending = sets.filter(
      (s) => s.effectiveFrom > now && (s.effectiveTo === null || s.effectiveTo > s.effectiveFrom),
    );
    if (!current && pending.length === 0) {
      throw notFound("no_overrides", `customer ${ref.customerId} has no overrides to clear`);
    }
    await endOverrideSetsAt(tx, ref, sets, now);
    await writeAudit(tx, {
      ...command,
      action: "overrides.cleared",
      targetType: "override_set",
      targetId: current?.id ?? pending[0]?.id ?? "",
      customerId: ref.customerId,
      env: ref.env,
      before: current ?? pending,
      after: null,
    });
    await emitEvent(tx, ref, {
      type: "entitlements_changed",
      key: `cleared:${now.toISOString()}`,
      payload: { cause: "overrides.cleared", overrideSetId: current?.id ?? null },
      at: now,
    });
  });
  deps.cache.invalidateCustomer(ref);
}
