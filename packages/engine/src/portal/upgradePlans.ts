import { isSelfServe, type TollgateError, unprocessable, upgradeOffers } from "@tollgate/core";
import { listPlans } from "../catalog/listPlans";
import type { EngineDeps } from "../context";
import type { CustomerEntitlements } from "../entitlements/loadEntitlements";
import { alreadyBilled } from "../payments/startCheckout";

export interface UpgradePlan {
  key: string;
  name: string;
  /** Minor units per interval. */
  basePrice: number;
  currency: string;
  interval: string;
}

/**
 * Why this customer may not buy a plan from the page, or null when they may: a contract (custom
 * plan, override set, skip billing; core's `isSelfServe`) changes through an admin, and a
 * contract already billed by a provider subscription is never sold a second one (a checkout would
 * start another subscription beside it).
 */
export function upgradeRefusal(entry: CustomerEntitlements): TollgateError | null {
  if (!isSelfServe(entry.effective)) {
    return unprocessable(
      "upgrade_not_available",
      "this plan is set by your contract: contact your account manager to change it",
    );
  }
  return alreadyBilled(entry, "your subscription is already billed online: contact us to change its plan");
}

/** The plans this customer may buy from the page now (core's `upgradeOffers`); none when refused. */
export async function loadUpgradePlans(
  deps: EngineDeps,
  entry: CustomerEntitlements,
  at: Date,
): Promise<UpgradePlan[]> {
  if (upgradeRefusal(entry)) return [];
  const offers = (await listPlans(deps.db)).flatMap((plan) =>
    plan.latestVersion ? [{ plan, version: plan.latestVersion }] : [],
  );
  return upgradeOffers(entry.effective, offers, at).map(({ plan, version }) => ({
    key: plan.key,
    name: version.name,
    basePrice: version.basePrice,
    currency: version.currency,
    interval: version.interval,
  }));
}
