import { z } from "zod";
import { DecimalString } from "../money/decimal";
import { WINDOWS } from "../time/windows";
import { ENFORCEMENT_MODES, Limit, Overage } from "./entitlement";
import { FeatureKey } from "./feature";
import { MAX_CREDITS, PlanKey } from "./planVersion";

/** A per-feature change to the base plan's entitlement; absent fields keep the plan's value. */
export const EntitlementOverride = z.object({
  enabled: z.boolean().optional(),
  limit: Limit.optional(),
  window: z.enum(WINDOWS).optional(),
  enforcement: z.enum(ENFORCEMENT_MODES).optional(),
  overage: Overage.nullish(),
  value: z.unknown().optional(),
});

/** Typed, validated changes to a customer's base plan. Every field is optional. */
export const Overrides = z
  .object({
    basePlanId: PlanKey.optional(),
    includedCredits: z.number().int().min(-1, "-1 means unlimited").max(MAX_CREDITS).optional(),
    creditPrice: DecimalString.optional(),
    monthlyBase: z.number().int("must be integer minor units").min(0).max(100_000_000_00).optional(),
    additionalFeatures: z.array(FeatureKey).max(200).optional(),
    seatLimit: z.number().int().min(-1, "-1 means unlimited").max(1_000_000).optional(),
    /** Per seat and per month (× 12 on a yearly plan, as `monthlyBase`), in minor units. */
    monthlySeatPrice: z.number().int("must be integer minor units").min(0).max(100_000_000).optional(),
    includedSeats: z.number().int().min(0).max(1_000_000).optional(),
    planLabel: z.string().trim().min(1).max(200).optional(),
    creditsNeverExpire: z.boolean().optional(),
    skipBilling: z.boolean().optional(),
    stripePriceIds: z.array(z.string().min(1).max(255)).max(50).optional(),
    entitlements: z.record(FeatureKey, EntitlementOverride).optional(),
  })
  .strict();
export type Overrides = z.infer<typeof Overrides>;

/** A stored set of overrides, in force over [effectiveFrom, effectiveTo). */
export interface OverrideSet {
  id: string;
  customerId: string;
  overrides: Overrides;
  effectiveFrom: Date;
  effectiveTo: Date | null;
  reason: string;
  createdAt: Date;
}

/** A purchased add-on: extra units or features on top of the plan, while it is in force. */
export interface AddOn {
  id: string;
  key: string;
  effectiveFrom: Date;
  effectiveTo: Date | null;
  entitlements: Record<string, { enabled?: boolean; limitIncrement?: number }>;
}
