import type { EnsureCustomerInput } from "@tollgate/engine";
import type Stripe from "stripe";
import { customerMetadata } from "./customerMetadata";
import { idempotencyKey } from "./idempotencyKeys";
import { isResourceMissing } from "./providerError";

/**
 * The Stripe customer of ours. A stored id that still names a live customer is kept; otherwise
 * one is created, keyed by our customer id (and by the id it replaces, when Stripe's was deleted).
 */
export async function ensureCustomer(stripe: Stripe, input: EnsureCustomerInput): Promise<string> {
  const known = input.providerCustomerId ? await findCustomer(stripe, input.providerCustomerId) : null;
  if (known && !known.deleted) return known.id;
  const { env, customerId } = input.customer;
  const replaces = known ? ["replaces", known.id] : [];
  const created = await stripe.customers.create(
    {
      email: input.email ?? undefined,
      name: input.name ?? undefined,
      metadata: customerMetadata(input.customer),
    },
    { idempotencyKey: idempotencyKey("customer", env, customerId, ...replaces) },
  );
  return created.id;
}

async function findCustomer(
  stripe: Stripe,
  id: string,
): Promise<Stripe.Customer | Stripe.DeletedCustomer | null> {
  try {
    return await stripe.customers.retrieve(id);
  } catch (error) {
    if (isResourceMissing(error)) return null;
    throw error;
  }
}
