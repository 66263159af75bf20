import { CreditGrantInput, fromZodError, invalid } from "@tollgate/core";
import { writeAudit } from "../audit/writeAudit";
import type { AdminCommand, CustomerRef, EngineDeps } from "../context";
import { lockCustomer } from "../customers/loadCustomer";
import { emitEvent } from "../events/emitEvent";
import { newId } from "../ids";
import { insertGrant, type NewGrant } from "./grants";

/** An admin's grant of credits (bonus, promotional or purchased), audited with its reason. */
export async function grantCredits(
  deps: EngineDeps,
  ref: CustomerRef,
  raw: unknown,
  command: AdminCommand,
): Promise<NewGrant & { remaining: number; createdAt: Date }> {
  const parsed = CreditGrantInput.safeParse(raw);
  if (!parsed.success) throw fromZodError(parsed.error);
  const input = parsed.data;
  const now = deps.clock();
  if (input.expiresAt && input.expiresAt <= now) {
    throw invalid("parameter_invalid", "expiresAt must be in the future", "expiresAt");
  }
  const grant: NewGrant = {
    id: newId("cg"),
    grantKey: null,
    source: input.source,
    amount: input.amount,
    priority: input.priority,
    expiresAt: input.expiresAt ?? null,
    reason: command.reason,
  };
  await deps.db.transaction(async (tx) => {
    await lockCustomer(tx, ref);
    await insertGrant(tx, ref, grant, now);
    await writeAudit(tx, {
      actor: command.actor,
      action: "credits.granted",
      targetType: "credit_grant",
      targetId: grant.id,
      customerId: ref.customerId,
      env: ref.env,
      before: null,
      after: grant,
      reason: command.reason,
      requestId: command.requestId,
    });
    await emitEvent(tx, ref, {
      type: "entitlements_changed",
      key: `credits:${grant.id}`,
      payload: { cause: "credits.granted", grantId: grant.id, amount: grant.amount, source: grant.source },
      at: now,
    });
  });
  deps.cache.invalidateCustomer(ref);
  return { ...grant, remaining: grant.amount, createdAt: now };
}
