import { z } from "zod";
import { FeatureKey } from "../catalog/feature";

/** The largest quantity one event may carry; beyond it the event is almost surely a bug. */
export const MAX_EVENT_QUANTITY = 1_000_000_000_000;
/** Up to this many decimal places; counters are exact decimals in the database. */
export const QUANTITY_DECIMALS = 9;
/** A batch sent to `POST /v1/events` holds at most this many events. */
export const MAX_BATCH_EVENTS = 1000;

const Id = z.string().min(1, "is required").max(255);

export const Quantity = z
  .number({ error: "must be a number" })
  .finite("must be a finite number")
  .min(0, "must not be negative")
  .max(MAX_EVENT_QUANTITY)
  .refine((q) => Number.isInteger(q * 10 ** QUANTITY_DECIMALS) || Number.isInteger(q), {
    message: `at most ${QUANTITY_DECIMALS} decimal places`,
  });

/** One usage event as the product sends it. The id makes it idempotent, forever. */
export const UsageEventInput = z.object({
  id: Id,
  customerId: Id,
  feature: FeatureKey,
  quantity: Quantity.default(1),
  timestamp: z.iso.datetime({ offset: true, error: "must be an ISO-8601 instant" }).optional(),
  workspaceId: z.string().min(1).max(255).optional(),
  userId: z.string().min(1).max(255).optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
});
export type UsageEventInput = z.infer<typeof UsageEventInput>;
