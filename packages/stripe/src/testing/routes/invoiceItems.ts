import type Stripe from "stripe";
import {
  type FakeContext,
  type Route,
  type RouteRequest,
  requireCustomer,
  requireSubscription,
} from "../fakeContext";
import { newStripeId, unixSeconds } from "../fakeState";
import { metadata, optionalInteger, optionalObject, optionalString, requiredString } from "../formFields";
import { parameterInvalid, parameterMissing } from "../stripeErrors";
import { fixture } from "../stripeFixtures";

/**
 * Creates a pending invoice item of an amount for a customer, on one of its subscriptions when
 * told (Stripe bills it with that subscription's next invoice). The fake keeps it pending: it
 * has no renewals to bill it on.
 */
function createInvoiceItem(context: FakeContext, { body }: RouteRequest): Stripe.InvoiceItem {
  const customer = requireCustomer(context, requiredString(body, "customer"));
  const amount = optionalInteger(body, "amount");
  if (amount === undefined) throw parameterMissing("amount");
  const subscriptionId = optionalString(body, "subscription");
  const subscription = subscriptionId === undefined ? null : requireSubscription(context, subscriptionId);
  if (subscription && subscription.customer !== customer.id) {
    throw parameterInvalid("subscription", `${subscription.id} does not belong to ${customer.id}`);
  }
  const now = unixSeconds(context.now());
  const period = optionalObject(body, "period");
  const item: Stripe.InvoiceItem = {
    ...fixture("invoiceitem"),
    id: newStripeId("ii"),
    amount,
    currency: requiredString(body, "currency"),
    customer: customer.id,
    date: now,
    description: optionalString(body, "description") ?? null,
    invoice: null,
    metadata: metadata(body),
    period: {
      start: (period && optionalInteger(period, "start")) ?? now,
      end: (period && optionalInteger(period, "end")) ?? now,
    },
    proration: false,
    quantity: 1,
    parent: subscription
      ? { type: "subscription_details", subscription_details: { subscription: subscription.id } }
      : null,
    net_amount: amount,
    // A decimal string on the wire; the SDK's type is its parsed form.
    quantity_decimal: "1" as unknown as Stripe.Decimal,
  };
  context.state.invoiceItems.set(item.id, item);
  return item;
}

export const invoiceItemRoutes: Route[] = [
  { method: "POST", path: /^\/v1\/invoiceitems$/, handle: createInvoiceItem },
];
