import { unprocessable } from "@tollgate/core";
import { z } from "zod";
import type { EngineDeps } from "../context";
import { currentEntitlements } from "../entitlements/currentEntitlements";
import { startCheckout } from "../payments/startCheckout";
import { openPortalLink } from "./openPortalLink";
import { loadUpgradePlans, upgradeRefusal } from "./upgradePlans";

export const PortalCheckoutInput = z.object({ planKey: z.string().min(1).max(100) });
export type PortalCheckoutInput = z.infer<typeof PortalCheckoutInput>;

/**
 * The upgrade button: a hosted checkout for one of the plans the page offers, through the same
 * `startCheckout` as POST /v1/customers/:id/checkout. A finished checkout returns to the link's
 * return URL (else the page), a cancelled one to the page.
 */
export async function portalCheckout(
  deps: EngineDeps,
  token: string,
  input: PortalCheckoutInput,
  pageUrl: string,
): Promise<{ url: string }> {
  const link = await openPortalLink(deps, token);
  const entry = await currentEntitlements(deps, link.customer);
  const refusal = upgradeRefusal(entry);
  if (refusal) throw refusal;
  const plans = await loadUpgradePlans(deps, entry, deps.clock());
  if (!plans.some((plan) => plan.key === input.planKey)) {
    throw unprocessable("plan_not_offered", `"${input.planKey}" is not an upgrade offered here`, "planKey");
  }
  const { url } = await startCheckout(deps, link.customer, {
    planKey: input.planKey,
    successUrl: link.returnUrl ?? pageUrl,
    cancelUrl: pageUrl,
  });
  return { url };
}
