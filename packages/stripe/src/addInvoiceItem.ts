import type { InvoiceItemInput } from "@tollgate/engine";
import type Stripe from "stripe";
import { idempotencyKey } from "./idempotencyKeys";
import { unixSeconds } from "./translate/unixTime";

/**
 * Adds a one-off charge to the subscription's next Stripe invoice (Stripe bills pending invoice
 * items of a subscription with its next renewal), keyed by our invoice line so a retry adds it once.
 */
export async function addInvoiceItem(stripe: Stripe, item: InvoiceItemInput): Promise<void> {
  await stripe.invoiceItems.create(
    {
      customer: item.providerCustomerId,
      subscription: item.providerSubscriptionId,
      amount: item.amount,
      currency: item.currency,
      description: item.description,
      period: { start: unixSeconds(item.period.from), end: unixSeconds(item.period.to) },
      metadata: { tollgate_line: item.idempotencyKey },
    },
    { idempotencyKey: idempotencyKey("invoice_item", item.idempotencyKey) },
  );
}
