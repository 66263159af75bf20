import { DEFAULT_THROTTLE_PER_MINUTE, type EnforcementMode } from "../catalog/entitlement";
import { addQuantities } from "../metering/aggregate";
import { QUANTITY_DECIMALS } from "../metering/usageEvent";
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
  | "throttle_admitted"
  | "overage"
  | "insufficient_credits"
  | "payment_overdue"
  | "already_recorded";

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
  /** A config feature's value; undefined (absent in JSON) for the others. */
  value?: unknown;
  /** What passing the limit will cost, under billable_overage. */
  overage?: { quantity: number; amount: number; currency: string } | undefined;
  /** Under throttle, when refused: seconds until the next unit is admitted. */
  retryAfter?: number | undefined;
  /**
   * For a feature that draws on credits: what this use costs and the balance it draws on (once a
   * track records the use, the balance after its debit).
   */
  credits?: { cost: number; balance: number; unlimited: boolean } | undefined;
}

export interface DecideInput {
  feature: string;
  entitlement: EffectiveEntitlement | undefined;
  used: number;
  quantity: number;
  /** When the entitlement's window resets (ISO-8601), already formatted: this is the hot path. */
  resetsAt: string | null;
  currency: string;
  /** The customer's credit balance, for features that draw on credits. */
  credits?: { balance: number; unlimited: boolean } | undefined;
  /** Under throttle: the units admitted past the limit this minute, and the seconds left in it. */
  throttle?: { used: number; secondsLeft: number } | undefined;
}

/**
 * The decision as the caller sees it once the use it allowed is counted (a track recorded, a
 * reservation held): used and remaining after `requested` more, and the credit balance after
 * what it took (`balance`, when the caller knows it).
 */
export function afterUse(decision: Decision, requested: number, balance?: number): Decision {
  const used = addQuantities(decision.used, requested);
  return {
    ...decision,
    used,
    remaining: decision.limit === null ? null : Math.max(0, addQuantities(decision.limit, -used)),
    credits: decision.credits && balance !== undefined ? { ...decision.credits, balance } : decision.credits,
  };
}

/**
 * The answer to a use already counted, asked for again (a retried track id, a reservation id
 * reserved again): the standing as it is now, decided as asking for nothing more, but never
 * refused on the limit. The use it repeats was granted and counts once; past a `block` or
 * `throttle` limit (usage pushed there by `/v1/events` or a lowered limit) it answers
 * `already_recorded`, allowed, instead of refusing "0 more", which would ask nothing. A feature
 * disabled, suspended for payment or gone from the plan since is the customer's access as it
 * stands, and is answered as such (the caller also sees `duplicate: true`).
 */
export function repeatedUse(standing: Decision): Decision {
  if (standing.allowed || (standing.reason !== "limit_exceeded" && standing.reason !== "throttled")) {
    return standing;
  }
  return {
    ...standing,
    allowed: true,
    reason: "already_recorded",
    retryAfter: undefined,
    message: `already recorded, counted once; ${standing.used} of ${standing.limit} ${standing.feature} used`,
  };
}

/**
 * Pure: the decision for one feature from its effective entitlement and current usage.
 * Every decision has the same shape, built once, because this runs on every check.
 */
export function decide(input: DecideInput): Decision {
  const decision = decideLimit(input);
  const cost = input.entitlement?.creditCost;
  if (!cost || !decision.allowed) return decision;
  const credits = input.credits ?? { balance: 0, unlimited: false };
  const needed = creditsFor(input.quantity, cost);
  decision.credits = { cost: needed, balance: credits.balance, unlimited: credits.unlimited };
  if (credits.unlimited || needed <= credits.balance) return decision;
  return settle(
    decision,
    false,
    "insufficient_credits",
    `${input.quantity} ${input.feature} costs ${needed} credits; the balance is ${credits.balance}`,
  );
}

/** The credits `quantity` units cost at `creditCost` credits each. */
export function creditsFor(quantity: number, creditCost: number): number {
  return Number((quantity * creditCost).toFixed(QUANTITY_DECIMALS));
}

function decideLimit(input: DecideInput): Decision {
  const { feature, entitlement: e, used, quantity, resetsAt } = input;
  if (!e) return refuse(feature, "feature_not_in_plan", `${feature} is not part of this customer's plan`);
  const decision: Decision = {
    allowed: true,
    feature,
    enforcement: e.enforcement,
    limit: e.limit,
    used,
    remaining: e.limit === null ? null : Math.max(0, e.limit - used),
    unlimited: e.limit === null,
    resetsAt,
    reason: "unlimited",
    message: "",
    value: e.type === "config" ? e.value : undefined,
    overage: undefined,
    retryAfter: undefined,
    credits: undefined,
  };
  if (!e.enabled) {
    return e.source.kind === "dunning"
      ? settle(decision, false, "payment_overdue", `${feature} is suspended: ${e.source.label}`)
      : settle(decision, false, "feature_disabled", `${feature} is not enabled on this plan`);
  }
  if (e.type !== "metered") return settle(decision, true, "enabled", `${feature} is enabled`);
  if (e.limit === null || e.enforcement === "allow") {
    return settle(decision, true, "unlimited", `${feature} has no limit`);
  }
  const after = used + quantity;
  if (after <= e.limit) {
    return settle(decision, true, "within_limit", `${after} of ${e.limit} ${feature} after this use`);
  }
  const excess = after - Math.max(e.limit, used);
  switch (e.enforcement) {
    case "grace":
      return settle(
        decision,
        true,
        "grace_over_limit",
        `${feature} is over its limit of ${e.limit}; allowed during grace`,
      );
    case "billable_overage": {
      const amount = e.overage ? priceUnits(excess, e.overage.unitAmount, input.currency) : 0;
      decision.overage = { quantity: excess, amount, currency: input.currency };
      return settle(
        decision,
        true,
        "overage",
        `${excess} ${feature} over the limit of ${e.limit} will be billed as overage`,
      );
    }
    case "throttle": {
      const perMinute = e.throttle?.perMinute ?? DEFAULT_THROTTLE_PER_MINUTE;
      const admitted = input.throttle?.used ?? 0;
      if (admitted + excess <= perMinute) {
        return settle(
          decision,
          true,
          "throttle_admitted",
          `${feature} is over its limit of ${e.limit}; admitted at the reduced rate of ${perMinute} a minute`,
        );
      }
      decision.retryAfter = Math.max(1, Math.ceil(input.throttle?.secondsLeft ?? 60));
      return settle(
        decision,
        false,
        "throttled",
        `${feature} is over its limit of ${e.limit} and its reduced rate of ${perMinute} a minute; retry in ${decision.retryAfter} s`,
      );
    }
    case "block":
      return settle(
        decision,
        false,
        "limit_exceeded",
        `${quantity} more ${feature} would pass the limit of ${e.limit} (used ${used})`,
      );
  }
}

function settle(decision: Decision, allowed: boolean, reason: DecisionReason, message: string): Decision {
  decision.allowed = allowed;
  decision.reason = reason;
  decision.message = message;
  return decision;
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
