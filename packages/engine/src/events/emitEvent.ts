import { type Queryable, tables } from "@tollgate/store";
import type { CustomerRef } from "../context";

export const DOMAIN_EVENT_TYPES = [
  "plan_changed",
  "plan_adjusted",
  "trial_expired",
  "quota_threshold_reached",
  "entitlements_changed",
  "payment_state_changed",
] as const;
export type DomainEventType = (typeof DOMAIN_EVENT_TYPES)[number];

/**
 * Writes a domain event to the outbox in the caller's transaction, so it exists exactly when
 * the change it reports does. `key` names the occurrence: writing it twice keeps the first.
 */
export async function emitEvent(
  tx: Queryable,
  ref: CustomerRef,
  event: { type: DomainEventType; key: string; payload: Record<string, unknown>; at: Date },
): Promise<void> {
  await tx
    .insert(tables.outbox)
    .values({
      customerId: ref.customerId,
      env: ref.env,
      eventKey: `${event.type}:${event.key}`,
      type: event.type,
      payload: { type: event.type, customerId: ref.customerId, env: ref.env, ...event.payload, at: event.at },
      createdAt: event.at,
    })
    .onConflictDoNothing();
}
