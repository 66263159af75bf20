import type Stripe from "stripe";
import {
  emit,
  type FakeContext,
  param,
  type Route,
  type RouteRequest,
  requireSubscription,
  snapshot,
} from "../fakeContext";
import { unixSeconds } from "../fakeState";
import type { FormObject } from "../formBody";
import {
  metadata,
  objectArray,
  optionalBoolean,
  optionalInteger,
  optionalString,
  requiredString,
} from "../formFields";
import { parameterInvalid } from "../stripeErrors";
import { applyItemChanges, startSubscription } from "../subscriptionLifecycle";

const PRORATION_BEHAVIORS = ["create_prorations", "none", "always_invoice"];

function itemsOf(body: FormObject) {
  return objectArray(body, "items").map((item) => ({
    id: optionalString(item, "id"),
    price: optionalString(item, "price"),
    quantity: optionalInteger(item, "quantity"),
    deleted: optionalBoolean(item, "deleted"),
  }));
}

function checkProrationBehavior(body: FormObject): void {
  const behavior = optionalString(body, "proration_behavior");
  if (behavior !== undefined && !PRORATION_BEHAVIORS.includes(behavior)) {
    throw parameterInvalid("proration_behavior", `Invalid proration_behavior: ${behavior}`);
  }
}

function createSubscription(context: FakeContext, { body }: RouteRequest): Stripe.Subscription {
  checkProrationBehavior(body);
  const items = itemsOf(body).map((item, index) => {
    if (item.price === undefined)
      throw parameterInvalid(`items[${index}][price]`, "Each item needs a price.");
    return { price: item.price, quantity: item.quantity ?? 1 };
  });
  const trialEnd = optionalInteger(body, "trial_end") ?? null;
  if (trialEnd !== null && trialEnd <= unixSeconds(context.now())) {
    throw parameterInvalid("trial_end", "Invalid timestamp: must be in the future.");
  }
  const customer = requiredString(body, "customer");
  return startSubscription(context, { customer, items, metadata: metadata(body), trialEnd }).subscription;
}

function updateSubscription(context: FakeContext, request: RouteRequest): Stripe.Subscription {
  const subscription = requireSubscription(context, param(request));
  const { body } = request;
  if (subscription.status === "canceled") {
    throw parameterInvalid(
      "subscription",
      "A canceled subscription can only update its cancellation_details and metadata.",
    );
  }
  checkProrationBehavior(body);
  const previous = snapshot(subscription);
  applyItemChanges(context, subscription, itemsOf(body));
  const cancelAtPeriodEnd = optionalBoolean(body, "cancel_at_period_end");
  if (cancelAtPeriodEnd !== undefined) {
    const periodEnd = subscription.items.data[0]?.current_period_end ?? null;
    subscription.cancel_at_period_end = cancelAtPeriodEnd;
    subscription.cancel_at = cancelAtPeriodEnd ? periodEnd : null;
    subscription.canceled_at = cancelAtPeriodEnd ? unixSeconds(context.now()) : null;
  }
  subscription.metadata = { ...subscription.metadata, ...metadata(body) };
  emit(context, "customer.subscription.updated", subscription, changedFields(previous, subscription));
  return subscription;
}

/** Stripe's `previous_attributes`: the old value of every top-level field that changed. */
function changedFields(previous: object, current: Stripe.Subscription): Record<string, unknown> {
  const now = snapshot(current);
  const changed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(previous)) {
    if (JSON.stringify(value) !== JSON.stringify(Reflect.get(now, key))) changed[key] = value;
  }
  return changed;
}

function cancelSubscription(context: FakeContext, request: RouteRequest): Stripe.Subscription {
  const subscription = requireSubscription(context, param(request));
  if (subscription.status === "canceled") return subscription;
  const now = unixSeconds(context.now());
  subscription.status = "canceled";
  subscription.canceled_at = now;
  subscription.ended_at = now;
  subscription.cancel_at = null;
  subscription.cancel_at_period_end = false;
  emit(context, "customer.subscription.deleted", subscription);
  return subscription;
}

export const subscriptionRoutes: Route[] = [
  { method: "POST", path: /^\/v1\/subscriptions$/, handle: createSubscription },
  {
    method: "GET",
    path: /^\/v1\/subscriptions\/([^/]+)$/,
    handle: (c, r) => requireSubscription(c, param(r)),
  },
  { method: "POST", path: /^\/v1\/subscriptions\/([^/]+)$/, handle: updateSubscription },
  { method: "DELETE", path: /^\/v1\/subscriptions\/([^/]+)$/, handle: cancelSubscription },
];
