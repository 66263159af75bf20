import type Stripe from "stripe";
import { emit, type FakeContext } from "./fakeContext";
import { newStripeId } from "./fakeState";
import { fixture } from "./stripeFixtures";
import { type StartedSubscription, startSubscription } from "./subscriptionLifecycle";

export interface CompletedCheckout extends StartedSubscription {
  session: Stripe.Checkout.Session;
}

/**
 * What happens when the customer pays on the hosted page: the subscription starts, its first
 * invoice is paid, the session completes, and Stripe's events for all three are recorded.
 */
export function completeCheckout(context: FakeContext, sessionId: string): CompletedCheckout {
  const session = context.state.checkoutSessions.get(sessionId);
  const details = context.state.checkoutDetails.get(sessionId);
  if (!session || !details) throw new Error(`fake Stripe: no Checkout Session ${sessionId}`);
  if (session.status !== "open")
    throw new Error(`fake Stripe: Checkout Session ${sessionId} is ${session.status}`);
  const customer = session.customer ?? customerFor(context, session);
  const customerId = typeof customer === "string" ? customer : customer.id;
  const started = startSubscription(context, {
    customer: customerId,
    items: details.lineItems,
    metadata: details.subscriptionMetadata,
    trialEnd: null,
    billingCycleAnchor: details.billingCycleAnchor,
  });
  Object.assign(session, {
    status: "complete",
    payment_status: started.invoice.amount_paid > 0 ? "paid" : "no_payment_required",
    customer: customerId,
    subscription: started.subscription.id,
    invoice: started.invoice.id,
  } satisfies Partial<Stripe.Checkout.Session>);
  emit(context, "checkout.session.completed", session);
  return { session, ...started };
}

/** Checkout creates the customer when the session named none. */
function customerFor(context: FakeContext, session: Stripe.Checkout.Session): string {
  const customer: Stripe.Customer = {
    ...fixture("customer"),
    id: newStripeId("cus", 14),
    email: session.customer_email,
    discount: null,
    metadata: {},
  };
  context.state.customers.set(customer.id, customer);
  return customer.id;
}
