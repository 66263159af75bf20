import type { EnforcementMode } from "../catalog/entitlement";
import { priceUnits } from "../money/currency";
import type { EffectiveEntitlement } from "./effectivePlan";

export type DecisionReason =
  | "no_subscription"
  | "feature_not_in_plan"
  | "feature_disabled"
  | "enabled"
  | "unlimited"
  | "within_limit"
  | "limit_exceeded"
  | "grace_over_limit"
  | "throttled"
  | "overage";

/** The answer to "may this customer use `quantity` more of this feature now?". */
export interface Decision {
  allowed: boolean;
  feature: string;
  enforcement: EnforcementMode | null;
  limit: number | null;
  used: number;
  remaining: number | null;
  unlimited: boolean;
  resetsAt: string | null;
  reason: DecisionReason;
  message: string;
  value?: unknown;
  overage?: { quantity: number; amount: number; currency: string };
}

export interface DecideInput {
  feature: string;
  entitlement: EffectiveEntitlement | undefined;
  used: number;
  quantity: number;
  resetsAt: Date | null;
  currency: string;
}

/** Pure: the decision for one feature from its effective entitlement and current usage. */
export function decide(input: DecideInput): Decision {
  const { feature, entitlement: e, used, quantity } = input;
  const resetsAt = input.resetsAt?.toISOString() ?? null;
  if (!e) return refuse(feature, "feature_not_in_plan", `${feature} is not part of this customer's plan`);
  const base = {
    feature,
    enforcement: e.enforcement,
    limit: e.limit,
    used,
    remaining: e.limit === null ? null : Math.max(0, e.limit - used),
    unlimited: e.limit === null,
    resetsAt,
    ...(e.type === "config" ? { value: e.value } : {}),
  };
  if (!e.enabled) {
    return {
      ...base,
      allowed: false,
      reason: "feature_disabled",
      message: `${feature} is not enabled on this plan`,
    };
  }
  if (e.type !== "metered")
    return { ...base, allowed: true, reason: "enabled", message: `${feature} is enabled` };
  if (e.limit === null || e.enforcement === "allow") {
    return { ...base, allowed: true, reason: "unlimited", message: `${feature} has no limit` };
  }
  const after = used + quantity;
  if (after <= e.limit) {
    return {
      ...base,
      allowed: true,
      reason: "within_limit",
      message: `${after} of ${e.limit} ${feature} after this use`,
    };
  }
  const excess = after - Math.max(e.limit, used);
  switch (e.enforcement) {
    case "grace":
      return {
        ...base,
        allowed: true,
        reason: "grace_over_limit",
        message: `${feature} is over its limit of ${e.limit}; allowed during grace`,
      };
    case "billable_overage": {
      const amount = e.overage ? priceUnits(excess, e.overage.unitAmount, input.currency) : 0;
      return {
        ...base,
        allowed: true,
        reason: "overage",
        message: `${excess} ${feature} over the limit of ${e.limit} will be billed as overage`,
        overage: { quantity: excess, amount, currency: input.currency },
      };
    }
    case "throttle":
      return {
        ...base,
        allowed: false,
        reason: "throttled",
        message: `${feature} is over its limit of ${e.limit}; requests are throttled until ${resetsAt ?? "an admin raises it"}`,
      };
    case "block":
      return {
        ...base,
        allowed: false,
        reason: "limit_exceeded",
        message: `${quantity} more ${feature} would pass the limit of ${e.limit} (used ${used})`,
      };
  }
}

function refuse(feature: string, reason: DecisionReason, message: string): Decision {
  return {
    allowed: false,
    feature,
    enforcement: null,
    limit: null,
    used: 0,
    remaining: null,
    unlimited: false,
    resetsAt: null,
    reason,
    message,
  };
}

export const noSubscriptionDecision = (feature: string): Decision =>
  refuse(feature, "no_subscription", "the customer has no plan in force");
