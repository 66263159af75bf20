import type Stripe from "stripe";
import { emit, type FakeContext, requireCustomer, requirePrice } from "./fakeContext";
import type { CheckoutLineItem } from "./fakeState";
import { invoiceObject } from "./invoiceObjects";
import { parameterInvalid } from "./stripeErrors";
import { type NewSubscription, subscriptionItem, subscriptionObject } from "./subscriptionObjects";

export interface StartedSubscription {
  subscription: Stripe.Subscription;
  invoice: Stripe.Invoice;
}

/**
 * Creates a subscription the way Stripe does for a customer whose payment succeeds: active (or
 * trialing), with its first invoice finalized and paid, and the events Stripe sends for it.
 */
export function startSubscription(context: FakeContext, input: NewSubscription): StartedSubscription {
  requireCustomer(context, input.customer);
  if (input.items.length === 0) throw parameterInvalid("items", "A subscription needs at least one item.");
  const subscription = subscriptionObject(context, input);
  subscription.items.data = input.items.map((item, index) =>
    subscriptionItem(
      context,
      subscription,
      requirePrice(context, item.price, `items[${index}][price]`),
      item.quantity,
    ),
  );
  subscription.currency = subscription.items.data[0]?.price.currency ?? subscription.currency;
  const invoice = invoiceObject(context, subscription, "subscription_create");
  subscription.latest_invoice = invoice.id;
  context.state.subscriptions.set(subscription.id, subscription);
  context.state.invoices.set(invoice.id, invoice);
  emit(context, "customer.subscription.created", subscription);
  emit(context, "invoice.finalized", invoice);
  emit(context, "invoice.paid", invoice);
  return { subscription, invoice };
}

/** Applies `items[n]` of an update: an `id` changes that item, `deleted` removes it, no id adds one. */
export function applyItemChanges(
  context: FakeContext,
  subscription: Stripe.Subscription,
  changes: Array<Partial<CheckoutLineItem> & { id?: string | undefined; deleted?: boolean | undefined }>,
): void {
  changes.forEach((change, index) => {
    const param = `items[${index}]`;
    if (change.id === undefined) {
      if (change.price === undefined) throw parameterInvalid(`${param}[price]`, "A new item needs a price.");
      const price = requirePrice(context, change.price, `${param}[price]`);
      subscription.items.data.push(subscriptionItem(context, subscription, price, change.quantity ?? 1));
      return;
    }
    const item = subscription.items.data.find((candidate) => candidate.id === change.id);
    if (!item) throw parameterInvalid(`${param}[id]`, `No such subscription item: '${change.id}'`);
    if (change.deleted) {
      subscription.items.data = subscription.items.data.filter((candidate) => candidate !== item);
      return;
    }
    if (change.price !== undefined) {
      const replacement = subscriptionItem(context, subscription, requirePrice(context, change.price), 1);
      item.price = replacement.price;
      item.plan = replacement.plan;
    }
    if (change.quantity !== undefined) item.quantity = change.quantity;
  });
}
