import { TollgateError } from "@tollgate/core";
import type { CheckoutSession, CheckoutSessionInput } from "@tollgate/engine";
import type Stripe from "stripe";
import { customerMetadata } from "./customerMetadata";
import { idempotencyKey } from "./idempotencyKeys";
import { unixSeconds } from "./translate/unixTime";

/** A hosted Checkout page subscribing the customer to the price; the subscription carries our ids. */
export async function createCheckoutSession(
  stripe: Stripe,
  input: CheckoutSessionInput,
): Promise<CheckoutSession> {
  const metadata = customerMetadata(input.customer);
  const session = await stripe.checkout.sessions.create(
    {
      mode: "subscription",
      customer: input.providerCustomerId,
      client_reference_id: input.customer.customerId,
      line_items: [{ price: input.priceId, quantity: input.quantity }],
      success_url: input.successUrl,
      cancel_url: input.cancelUrl,
      metadata,
      subscription_data: {
        metadata,
        ...(input.billingCycleAnchor
          ? {
              billing_cycle_anchor: unixSeconds(input.billingCycleAnchor),
              proration_behavior: "create_prorations",
            }
          : {}),
      },
    },
    {
      idempotencyKey: idempotencyKey(
        "checkout",
        input.customer.env,
        input.customer.customerId,
        input.operationId,
      ),
    },
  );
  if (!session.url) {
    throw new TollgateError("upstream", "payment_provider_error", "Stripe: the Checkout Session has no URL");
  }
  return { id: session.id, url: session.url };
}
