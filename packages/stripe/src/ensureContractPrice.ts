import type { ContractPriceInput } from "@tollgate/engine";
import Stripe from "stripe";
import { idempotencyKey } from "./idempotencyKeys";
import { isResourceMissing } from "./providerError";

/** The one product every contract price belongs to; its id is ours, so it is found, never duplicated. */
export const CUSTOM_ENTERPRISE_PRODUCT = { id: "tollgate_custom_enterprise", name: "Custom Enterprise" };

/**
 * The recurring price of one contract. Stripe prices are immutable, so the price is named by a
 * lookup key made of the contract and its terms: the same terms find the same price (for ever,
 * not only within the 24 hours of an idempotency key); new terms make a new price.
 */
export async function ensureContractPrice(stripe: Stripe, input: ContractPriceInput): Promise<string> {
  const lookupKey = [
    "tollgate",
    "contract",
    input.contractId,
    input.interval,
    input.currency,
    input.amount,
  ].join(":");
  const existing = (await stripe.prices.list({ lookup_keys: [lookupKey], limit: 1 })).data[0];
  if (existing?.active) return existing.id;
  const product = await ensureCustomEnterpriseProduct(stripe);
  const transfer = existing !== undefined;
  const price = await stripe.prices.create(
    {
      product,
      currency: input.currency,
      unit_amount: input.amount,
      recurring: { interval: input.interval },
      lookup_key: lookupKey,
      ...(transfer ? { transfer_lookup_key: true } : {}),
      nickname: `Contract ${input.contractId}`,
      metadata: { tollgate_contract_id: input.contractId },
    },
    { idempotencyKey: idempotencyKey("price", lookupKey, ...(transfer ? ["transfer"] : [])) },
  );
  return price.id;
}

async function ensureCustomEnterpriseProduct(stripe: Stripe): Promise<string> {
  const { id, name } = CUSTOM_ENTERPRISE_PRODUCT;
  try {
    return (await stripe.products.retrieve(id)).id;
  } catch (error) {
    if (!isResourceMissing(error)) throw error;
  }
  try {
    const product = await stripe.products.create(
      { id, name },
      { idempotencyKey: idempotencyKey("product", id) },
    );
    return product.id;
  } catch (error) {
    if (isAlreadyCreated(error)) return id;
    throw error;
  }
}

/** Another process created it between our look-up and our create. */
function isAlreadyCreated(error: unknown): boolean {
  return error instanceof Stripe.errors.StripeInvalidRequestError && error.code === "resource_already_exists";
}
