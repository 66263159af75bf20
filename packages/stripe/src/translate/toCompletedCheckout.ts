import type { CompletedCheckout } from "@tollgate/engine";
import type Stripe from "stripe";
import { customerRefOf } from "../customerMetadata";
import { idOf } from "../expandable";

const PAYMENT_STATUSES: CompletedCheckout["paymentStatus"][] = ["paid", "unpaid", "no_payment_required"];

export function toCompletedCheckout(session: Stripe.Checkout.Session): CompletedCheckout {
  return {
    id: session.id,
    providerCustomerId: idOf(session.customer),
    providerSubscriptionId: idOf(session.subscription),
    customer: customerRefOf(session.metadata),
    paymentStatus: PAYMENT_STATUSES.find((status) => status === session.payment_status) ?? "unknown",
  };
}
