import { readFileSync } from "node:fs";
import type Stripe from "stripe";

/** Stripe's published example of each object the fake serves, by its fixture name. */
interface FixtureTypes {
  "checkout.session": Stripe.Checkout.Session;
  customer: Stripe.Customer;
  event: Stripe.EventBase;
  invoice: Stripe.Invoice;
  invoiceitem: Stripe.InvoiceItem;
  price: Stripe.Price;
  product: Stripe.Product;
  subscription: Stripe.Subscription;
  subscription_item: Stripe.SubscriptionItem;
}

const fixtures: Record<string, unknown> = JSON.parse(
  readFileSync(new URL("./stripeFixtures.json", import.meta.url), "utf8"),
);

/**
 * A fresh copy of Stripe's example object (from Stripe's OpenAPI `fixtures3.json`): the fake
 * starts every object from it and overwrites the fields it knows, so unknown fields keep the
 * shape Stripe sends.
 */
export function fixture<K extends keyof FixtureTypes>(name: K): FixtureTypes[K] {
  return structuredClone(fixtures[name]) as FixtureTypes[K];
}
