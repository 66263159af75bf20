import type { PaymentEvent } from "@tollgate/engine";
import type Stripe from "stripe";
import { toCompletedCheckout } from "./toCompletedCheckout";
import { toProviderInvoice } from "./toProviderInvoice";
import { toProviderSubscription } from "./toProviderSubscription";

const SUBSCRIPTION_EVENTS = {
  "customer.subscription.created": "subscription.created",
  "customer.subscription.updated": "subscription.updated",
  "customer.subscription.deleted": "subscription.deleted",
} as const;

const INVOICE_EVENTS = {
  "invoice.paid": "invoice.paid",
  "invoice.payment_failed": "invoice.payment_failed",
  "invoice.finalized": "invoice.finalized",
  "invoice.upcoming": "invoice.upcoming",
} as const;

/** A verified Stripe event in the engine's words; types the engine does not use are `ignored`. */
export function toPaymentEvent(event: Stripe.Event): PaymentEvent {
  const base = {
    id: event.id,
    createdAt: new Date(event.created * 1000),
    providerType: event.type,
    livemode: event.livemode,
  };
  switch (event.type) {
    case "checkout.session.completed":
      return { ...base, type: "checkout.completed", checkout: toCompletedCheckout(event.data.object) };
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.deleted":
      return {
        ...base,
        type: SUBSCRIPTION_EVENTS[event.type],
        subscription: toProviderSubscription(event.data.object),
      };
    case "invoice.paid":
    case "invoice.payment_failed":
    case "invoice.finalized":
    case "invoice.upcoming":
      return { ...base, type: INVOICE_EVENTS[event.type], invoice: toProviderInvoice(event.data.object) };
    default:
      return { ...base, type: "ignored" };
  }
}
