import { z } from "zod";
import { DecimalString } from "../money/decimal";
import { WINDOWS } from "../time/windows";

export const ENFORCEMENT_MODES = ["allow", "grace", "throttle", "block", "billable_overage"] as const;
export type EnforcementMode = (typeof ENFORCEMENT_MODES)[number];
export const SCOPES = ["customer", "workspace", "env"] as const;

/** The largest limit a plan may set: beyond it "unlimited" (null) is what is meant. */
export const MAX_LIMIT = 1_000_000_000_000;

export const Limit = z.number().int("must be a whole number").min(0).max(MAX_LIMIT).nullable();

export const Overage = z.object({ unitAmount: DecimalString });

/** One feature inside a plan version; every field has a default so `{}` means "enabled". */
export const EntitlementSpec = z.object({
  enabled: z.boolean().optional(),
  limit: Limit.optional(),
  window: z.enum(WINDOWS).optional(),
  enforcement: z.enum(ENFORCEMENT_MODES).optional(),
  overage: Overage.nullish(),
  thresholds: z.array(z.number().gt(0).max(10)).max(10).optional(),
  scope: z.enum(SCOPES).optional(),
  creditCost: z.number().positive().max(1_000_000).nullish(),
  /** Under `throttle`: the units admitted per minute once the limit is passed. */
  throttle: z.object({ perMinute: z.number().positive().max(MAX_LIMIT) }).nullish(),
  value: z.unknown().optional(),
});
export type EntitlementSpec = z.infer<typeof EntitlementSpec>;

export const DEFAULT_THRESHOLDS = [0.8, 0.9, 1.0];

/** Past its limit, a `throttle` entitlement admits this many units a minute unless it says otherwise. */
export const DEFAULT_THROTTLE_PER_MINUTE = 1;
