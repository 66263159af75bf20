import Stripe from "stripe";
import { idOf } from "../expandable";
import type { FakeContext } from "./fakeContext";
import { newStripeId, unixSeconds } from "./fakeState";
import { fixture } from "./stripeFixtures";

/** The paid invoice of a subscription's current period (free while trialing); no prorations. */
export function invoiceObject(
  context: FakeContext,
  subscription: Stripe.Subscription,
  billingReason: Stripe.Invoice.BillingReason,
): Stripe.Invoice {
  const now = unixSeconds(context.now());
  const id = newStripeId("in");
  const isTrial = subscription.status === "trialing";
  const lines = subscription.items.data.map((item) => invoiceLine(id, subscription, item, isTrial));
  const total = lines.reduce((sum, line) => sum + line.amount, 0);
  return {
    ...fixture("invoice"),
    id,
    created: now,
    customer: idOf(subscription.customer),
    customer_email: null,
    currency: subscription.currency,
    billing_reason: billingReason,
    amount_due: total,
    amount_paid: total,
    amount_remaining: 0,
    amount_overpaid: 0,
    subtotal: total,
    subtotal_excluding_tax: total,
    total,
    total_excluding_tax: total,
    attempt_count: total > 0 ? 1 : 0,
    attempted: total > 0,
    due_date: null,
    effective_at: now,
    from_invoice: null,
    last_finalization_error: null,
    next_payment_attempt: null,
    number: `${id.slice(3, 11).toUpperCase()}-0001`,
    period_start: now,
    period_end: now,
    shipping_cost: null,
    shipping_details: null,
    status: "paid",
    status_transitions: { finalized_at: now, marked_uncollectible_at: null, paid_at: now, voided_at: null },
    webhooks_delivered_at: now,
    lines: { object: "list", data: lines, has_more: false, url: `/v1/invoices/${id}/lines` },
    parent: {
      type: "subscription_details",
      quote_details: null,
      subscription_details: { metadata: subscription.metadata, subscription: subscription.id },
    },
  };
}

function invoiceLine(
  invoiceId: string,
  subscription: Stripe.Subscription,
  item: Stripe.SubscriptionItem,
  isTrial: boolean,
): Stripe.InvoiceLineItem {
  const quantity = item.quantity ?? 1;
  const amount = isTrial ? 0 : (item.price.unit_amount ?? 0) * quantity;
  const line = fixture("invoice").lines.data[0];
  if (!line) throw new Error("Stripe's invoice fixture has a line");
  return {
    ...line,
    id: newStripeId("il"),
    invoice: invoiceId,
    amount,
    subtotal: amount,
    currency: item.price.currency,
    description: `${quantity} × ${item.price.nickname ?? item.price.id}`,
    period: { start: item.current_period_start, end: item.current_period_end },
    quantity,
    subscription: subscription.id,
    parent: {
      type: "subscription_item_details",
      invoice_item_details: null,
      subscription_item_details: {
        invoice_item: null,
        proration: false,
        proration_details: { credited_items: null },
        subscription: subscription.id,
        subscription_item: item.id,
      },
    },
    pricing: {
      type: "price_details",
      price_details: { price: item.price.id, product: idOf(item.price.product) },
      unit_amount_decimal: Stripe.Decimal.from(String(item.price.unit_amount ?? 0)),
    },
  };
}
