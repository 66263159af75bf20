import type { Plan, PlanVersion } from "@tollgate/core";
import { tables } from "@tollgate/store";
import { and, eq } from "drizzle-orm";
import type { EngineDeps } from "../context";
import type { CustomerEntitlements } from "../entitlements/loadEntitlements";
import type { PaymentProvider } from "./paymentProvider";

/**
 * How many of its price a contract's provider subscription bills: one. The price is the
 * contract's base fee for a whole period, as Tollgate's own invoice bills it (a plan prices no
 * seat); billing it per seat would charge the base fee once a seat.
 */
export const CONTRACT_PRICE_QUANTITY = 1;

/**
 * The provider price that sells `version` to this customer: the override's provider price ids
 * when it is the contract's own plan, else a per-contract price for a custom plan (its base
 * price, under one "Custom Enterprise" product), else the version's catalog price
 * (`provider_prices`). Undefined when there is none.
 */
export async function priceForPlan(
  deps: EngineDeps,
  provider: PaymentProvider,
  plan: Plan,
  version: PlanVersion,
  entry: CustomerEntitlements,
): Promise<string | undefined> {
  const own = entry.effective?.plan.key === plan.key ? entry.effective : null;
  if (own?.providerPriceIds[0]) return own.providerPriceIds[0];
  if (plan.isCustom) {
    return provider.ensureContractPrice({
      contractId: version.id,
      amount: own ? own.basePrice : version.basePrice,
      currency: version.currency,
      interval: version.interval,
    });
  }
  const pp = tables.providerPrices;
  const [row] = await deps.db
    .select({ priceId: pp.priceId })
    .from(pp)
    .where(and(eq(pp.provider, provider.name), eq(pp.planVersionId, version.id)));
  return row?.priceId;
}
