import type Stripe from "stripe";
import {
  type FakeContext,
  param,
  type Route,
  type RouteRequest,
  requireCustomer,
  requirePrice,
} from "../fakeContext";
import { newStripeId, unixSeconds } from "../fakeState";
import {
  metadata,
  objectArray,
  optionalInteger,
  optionalObject,
  optionalString,
  requiredString,
} from "../formFields";
import { parameterInvalid, resourceMissing } from "../stripeErrors";
import { fixture } from "../stripeFixtures";

const DAY_SECONDS = 24 * 60 * 60;

function lineItemsOf(context: FakeContext, body: RouteRequest["body"]) {
  const lineItems = objectArray(body, "line_items").map((item, index) => {
    const price = requirePrice(context, requiredString(item, "price"), `line_items[${index}][price]`);
    return { price, quantity: optionalInteger(item, "quantity") ?? 1 };
  });
  if (lineItems.length === 0)
    throw parameterInvalid("line_items", "A subscription session needs line_items.");
  return lineItems;
}

function createSession(context: FakeContext, { body }: RouteRequest): Stripe.Checkout.Session {
  const mode = requiredString(body, "mode");
  if (mode !== "subscription")
    throw parameterInvalid("mode", "The fake Stripe supports mode=subscription only.");
  const customer = optionalString(body, "customer") ?? null;
  if (customer !== null) requireCustomer(context, customer);
  const lineItems = lineItemsOf(context, body);
  const total = lineItems.reduce((sum, item) => sum + (item.price.unit_amount ?? 0) * item.quantity, 0);
  const now = unixSeconds(context.now());
  const id = newStripeId("cs_test", 58);
  const session: Stripe.Checkout.Session = {
    ...fixture("checkout.session"),
    id,
    url: `https://checkout.stripe.com/c/pay/${id}`,
    mode,
    status: "open",
    payment_status: "unpaid",
    created: now,
    expires_at: now + DAY_SECONDS,
    customer,
    customer_email: optionalString(body, "customer_email") ?? null,
    customer_details: null,
    collected_information: null,
    client_reference_id: optionalString(body, "client_reference_id") ?? null,
    success_url: requiredString(body, "success_url"),
    cancel_url: optionalString(body, "cancel_url") ?? null,
    currency: lineItems[0]?.price.currency ?? null,
    amount_subtotal: total,
    amount_total: total,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    metadata: metadata(body),
    payment_intent: null,
    invoice: null,
    subscription: null,
    after_expiration: null,
    currency_conversion: null,
    shipping_address_collection: null,
    shipping_cost: null,
  };
  const subscriptionData = optionalObject(body, "subscription_data") ?? {};
  context.state.checkoutSessions.set(id, session);
  context.state.checkoutDetails.set(id, {
    lineItems: lineItems.map((item) => ({ price: item.price.id, quantity: item.quantity })),
    subscriptionMetadata: metadata(subscriptionData),
    billingCycleAnchor: futureAnchor(context, optionalInteger(subscriptionData, "billing_cycle_anchor")),
  });
  return session;
}

/** Stripe refuses an anchor that is not in the future. */
function futureAnchor(context: FakeContext, anchor: number | undefined): number | null {
  if (anchor === undefined) return null;
  if (anchor <= unixSeconds(context.now())) {
    throw parameterInvalid(
      "subscription_data[billing_cycle_anchor]",
      "The billing cycle anchor must be in the future.",
    );
  }
  return anchor;
}

function retrieveSession(context: FakeContext, request: RouteRequest): Stripe.Checkout.Session {
  const id = param(request);
  const session = context.state.checkoutSessions.get(id);
  if (!session) throw resourceMissing("checkout.session", id);
  return session;
}

export const checkoutSessionRoutes: Route[] = [
  { method: "POST", path: /^\/v1\/checkout\/sessions$/, handle: createSession },
  { method: "GET", path: /^\/v1\/checkout\/sessions\/([^/]+)$/, handle: retrieveSession },
];
