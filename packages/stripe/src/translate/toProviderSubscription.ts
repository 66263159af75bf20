import type {
  Period,
  ProviderSubscription,
  ProviderSubscriptionItem,
  ProviderSubscriptionStatus,
} from "@tollgate/engine";
import type Stripe from "stripe";
import { customerRefOf } from "../customerMetadata";
import { idOf } from "../expandable";
import { dateOf } from "./unixTime";

const STATUSES: ProviderSubscriptionStatus[] = [
  "incomplete",
  "incomplete_expired",
  "trialing",
  "active",
  "past_due",
  "unpaid",
  "paused",
  "canceled",
];

export function toProviderSubscription(subscription: Stripe.Subscription): ProviderSubscription {
  const items = subscription.items.data.map(toProviderItem);
  return {
    id: subscription.id,
    providerCustomerId: idOf(subscription.customer),
    customer: customerRefOf(subscription.metadata),
    status: STATUSES.find((status) => status === subscription.status) ?? "unknown",
    items,
    currentPeriod: items[0]?.currentPeriod ?? legacyPeriodOf(subscription),
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
    cancelAt: dateOf(subscription.cancel_at),
    canceledAt: dateOf(subscription.canceled_at),
    trialEnd: dateOf(subscription.trial_end),
    billingCycleAnchor: dateOf(subscription.billing_cycle_anchor),
  };
}

function toProviderItem(item: Stripe.SubscriptionItem): ProviderSubscriptionItem {
  return {
    id: item.id,
    priceId: item.price.id,
    quantity: item.quantity ?? null,
    currentPeriod: periodOf(item.current_period_start, item.current_period_end),
  };
}

/**
 * API versions before 2025-03-31 put the period on the subscription, not its items; payloads
 * signed in such a version (an older webhook endpoint) still carry it there.
 */
function legacyPeriodOf(subscription: Stripe.Subscription): Period | null {
  return periodOf(
    Reflect.get(subscription, "current_period_start"),
    Reflect.get(subscription, "current_period_end"),
  );
}

function periodOf(start: unknown, end: unknown): Period | null {
  if (typeof start !== "number" || typeof end !== "number") return null;
  const from = dateOf(start);
  const to = dateOf(end);
  return from && to ? { from, to } : null;
}
