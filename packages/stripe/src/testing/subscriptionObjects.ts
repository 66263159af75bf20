import { type BillingInterval, billingPeriod } from "@tollgate/core";
import type Stripe from "stripe";
import type { FakeContext } from "./fakeContext";
import { type CheckoutLineItem, newStripeId, unixSeconds } from "./fakeState";
import { parameterInvalid } from "./stripeErrors";
import { fixture } from "./stripeFixtures";

const INTERVALS: BillingInterval[] = ["month", "year"];
const fromUnix = (seconds: number) => new Date(seconds * 1000);

/** The [start, end) of the period containing now, from the subscription's anchor (month or year). */
export function currentPeriodOf(
  price: Stripe.Price,
  anchor: number,
  now: Date,
): { start: number; end: number } {
  const interval = INTERVALS.find((candidate) => candidate === price.recurring?.interval);
  if (interval === undefined || price.recurring?.interval_count !== 1) {
    throw parameterInvalid(
      "price",
      "The fake Stripe bills monthly and yearly prices (interval_count 1) only.",
    );
  }
  if (anchor > unixSeconds(now)) return { start: unixSeconds(now), end: anchor };
  const period = billingPeriod(fromUnix(anchor), interval, now);
  return { start: unixSeconds(period.from), end: unixSeconds(period.to) };
}

/** The legacy `plan` Stripe still embeds in an item, mirrored from its price. */
function planOf(price: Stripe.Price): Stripe.Plan {
  return {
    id: price.id,
    object: "plan",
    active: price.active,
    amount: price.unit_amount,
    amount_decimal: price.unit_amount_decimal,
    billing_scheme: price.billing_scheme,
    created: price.created,
    currency: price.currency,
    interval: price.recurring?.interval ?? "month",
    interval_count: price.recurring?.interval_count ?? 1,
    livemode: false,
    metadata: price.metadata,
    meter: price.recurring?.meter ?? null,
    nickname: price.nickname,
    product: price.product,
    tiers_mode: price.tiers_mode,
    transform_usage: null,
    trial_period_days: null,
    usage_type: price.recurring?.usage_type ?? "licensed",
  };
}

export function subscriptionItem(
  context: FakeContext,
  subscription: Stripe.Subscription,
  price: Stripe.Price,
  quantity: number,
): Stripe.SubscriptionItem {
  const period = currentPeriodOf(price, subscription.billing_cycle_anchor, context.now());
  return {
    ...fixture("subscription_item"),
    id: newStripeId("si", 14),
    created: unixSeconds(context.now()),
    current_period_start: period.start,
    current_period_end: period.end,
    current_trial: null,
    metadata: {},
    price,
    plan: planOf(price),
    quantity,
    subscription: subscription.id,
  };
}

export interface NewSubscription {
  customer: string;
  items: CheckoutLineItem[];
  metadata: Record<string, string>;
  trialEnd: number | null;
  /** A future anchor: the first period runs from now to it (prorated). */
  billingCycleAnchor?: number | null;
}

/** A subscription as Stripe makes it when the first invoice is paid at once (or a trial starts). */
export function subscriptionObject(context: FakeContext, input: NewSubscription): Stripe.Subscription {
  const now = unixSeconds(context.now());
  const id = newStripeId("sub");
  const subscription: Stripe.Subscription = {
    ...fixture("subscription"),
    id,
    customer: input.customer,
    created: now,
    start_date: now,
    billing_cycle_anchor: input.trialEnd ?? input.billingCycleAnchor ?? now,
    billing_cycle_anchor_config: null,
    billing_schedules: [],
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    ended_at: null,
    metadata: input.metadata,
    next_pending_invoice_item_invoice: null,
    pause_collection: null,
    pending_invoice_item_interval: null,
    pending_update: null,
    transfer_data: null,
    status: input.trialEnd ? "trialing" : "active",
    trial_start: input.trialEnd ? now : null,
    trial_end: input.trialEnd,
    items: { object: "list", data: [], has_more: false, url: `/v1/subscription_items?subscription=${id}` },
  };
  return subscription;
}
