import type { EffectivePlan } from "../entitlements/effectivePlan";
import type { Plan, PlanVersion } from "./planVersion";

type Contract = Pick<
  EffectivePlan,
  "plan" | "overrideSetId" | "skipBilling" | "basePrice" | "currency" | "interval"
>;

/**
 * May the customer change plan on their own (the customer portal's upgrade button)? Only on a
 * catalog plan as published: never on a custom plan, never under an override set in force (a
 * negotiated contract such as Acme's), never when billing is skipped. Those change through sales.
 */
export function isSelfServe(contract: Contract | null): contract is Contract {
  return !!contract && !contract.plan.custom && contract.overrideSetId === null && !contract.skipBilling;
}

export interface PlanOffer {
  plan: Pick<Plan, "key" | "kind" | "isCustom" | "archivedAt">;
  /** The plan's latest version. */
  version: Pick<
    PlanVersion,
    "name" | "kind" | "basePrice" | "currency" | "interval" | "effectiveFrom" | "effectiveTo"
  >;
}

/**
 * The plans a self-serve customer may upgrade to at `at`: catalog plans (not custom, not
 * archived, not trials) whose latest version is offered at `at`, in the contract's currency and
 * interval and priced above its base price; cheapest first. None for a customer who is not self-serve.
 */
export function upgradeOffers<T extends PlanOffer>(
  contract: Contract | null,
  offers: readonly T[],
  at: Date,
): T[] {
  if (!isSelfServe(contract)) return [];
  const t = at.getTime();
  return offers
    .filter(({ plan, version }) => {
      const offered =
        !plan.isCustom &&
        !plan.archivedAt &&
        version.kind !== "trial" &&
        (!version.effectiveFrom || version.effectiveFrom.getTime() <= t) &&
        (!version.effectiveTo || t < version.effectiveTo.getTime());
      return (
        offered &&
        plan.key !== contract.plan.key &&
        version.currency === contract.currency &&
        version.interval === contract.interval &&
        version.basePrice > contract.basePrice
      );
    })
    .sort((a, b) => a.version.basePrice - b.version.basePrice || a.plan.key.localeCompare(b.plan.key));
}
