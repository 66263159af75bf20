import type { ProviderInvoice, ProviderInvoiceStatus } from "@tollgate/engine";
import type Stripe from "stripe";
import { idOf } from "../expandable";
import { dateOf } from "./unixTime";

const STATUSES: ProviderInvoiceStatus[] = ["draft", "open", "paid", "uncollectible", "void"];

export function toProviderInvoice(invoice: Stripe.Invoice): ProviderInvoice {
  return {
    id: typeof invoice.id === "string" && invoice.id !== "" ? invoice.id : null,
    providerCustomerId: idOf(invoice.customer),
    providerSubscriptionId: subscriptionIdOf(invoice),
    status: STATUSES.find((status) => status === invoice.status) ?? "unknown",
    currency: invoice.currency,
    amountDue: invoice.amount_due,
    amountPaid: invoice.amount_paid,
    attemptCount: invoice.attempt_count,
    nextPaymentAttempt: dateOf(invoice.next_payment_attempt),
  };
}

/**
 * Since API version 2025-03-31 an invoice names its subscription under
 * `parent.subscription_details`; older payloads carry a top-level `subscription`.
 */
function subscriptionIdOf(invoice: Stripe.Invoice): string | null {
  const fromParent = invoice.parent?.subscription_details?.subscription;
  if (fromParent) return idOf(fromParent);
  const legacy: unknown = Reflect.get(invoice, "subscription");
  if (typeof legacy === "string") return legacy;
  if (typeof legacy === "object" && legacy !== null) {
    const id: unknown = Reflect.get(legacy, "id");
    if (typeof id === "string") return id;
  }
  return null;
}
