import { TollgateError } from "@tollgate/core";
import type {
  CancelSubscriptionInput,
  CreateSubscriptionInput,
  ProrationBehavior,
  ProviderSubscription,
  UpdateSubscriptionInput,
} from "@tollgate/engine";
import type Stripe from "stripe";
import { customerMetadata } from "./customerMetadata";
import { idempotencyKey } from "./idempotencyKeys";
import { toProviderSubscription } from "./translate/toProviderSubscription";
import { unixSeconds } from "./translate/unixTime";

const PRORATION: Record<ProrationBehavior, Stripe.SubscriptionUpdateParams.ProrationBehavior> = {
  prorate: "create_prorations",
  prorate_and_invoice: "always_invoice",
  none: "none",
};

/** One provider subscription per contract of ours, keyed by our subscription id. */
export async function createSubscription(
  stripe: Stripe,
  input: CreateSubscriptionInput,
): Promise<ProviderSubscription> {
  const { env, customerId } = input.customer;
  const subscription = await stripe.subscriptions.create(
    {
      customer: input.providerCustomerId,
      items: [{ price: input.priceId, quantity: input.quantity }],
      metadata: { ...customerMetadata(input.customer), tollgate_subscription_id: input.subscriptionId },
      ...(input.trialEnd ? { trial_end: unixSeconds(input.trialEnd) } : {}),
    },
    { idempotencyKey: idempotencyKey("subscription", env, customerId, input.subscriptionId) },
  );
  return toProviderSubscription(subscription);
}

/** Moves the licensed item to the new price and quantity, prorated as the engine decided. */
export async function updateSubscription(
  stripe: Stripe,
  input: UpdateSubscriptionInput,
): Promise<ProviderSubscription> {
  const current = await stripe.subscriptions.retrieve(input.providerSubscriptionId);
  const item = current.items.data.find((candidate) => candidate.price.recurring?.usage_type !== "metered");
  if (!item) {
    throw new TollgateError(
      "upstream",
      "payment_provider_error",
      `Stripe: subscription ${current.id} has no licensed item to change`,
    );
  }
  const subscription = await stripe.subscriptions.update(
    input.providerSubscriptionId,
    {
      items: [{ id: item.id, price: input.priceId, quantity: input.quantity }],
      proration_behavior: PRORATION[input.prorationBehavior],
    },
    {
      idempotencyKey: idempotencyKey("subscription-update", input.providerSubscriptionId, input.operationId),
    },
  );
  return toProviderSubscription(subscription);
}

/** At period end the subscription runs to its paid end; now ends it at once (no proration credit). */
export async function cancelSubscription(
  stripe: Stripe,
  input: CancelSubscriptionInput,
): Promise<ProviderSubscription> {
  const options = {
    idempotencyKey: idempotencyKey("subscription-cancel", input.providerSubscriptionId, input.operationId),
  };
  const subscription = input.atPeriodEnd
    ? await stripe.subscriptions.update(input.providerSubscriptionId, { cancel_at_period_end: true }, options)
    : await stripe.subscriptions.cancel(input.providerSubscriptionId, {}, options);
  return toProviderSubscription(subscription);
}

/** The subscription as Stripe holds it now; null when Stripe has none by that id. */
export async function getSubscription(stripe: Stripe, id: string): Promise<ProviderSubscription | null> {
  try {
    return toProviderSubscription(await stripe.subscriptions.retrieve(id));
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "resource_missing") return null;
    throw error;
  }
}
