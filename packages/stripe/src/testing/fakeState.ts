import { randomBytes } from "node:crypto";
import type Stripe from "stripe";
import type { FormObject } from "./formBody";

/** One request the fake answered, for assertions on what the adapter sent. */
export interface RecordedRequest {
  method: string;
  path: string;
  body: FormObject;
  idempotencyKey: string | undefined;
  status: number;
}

/** A Checkout Session's line item. */
export interface CheckoutLineItem {
  price: string;
  quantity: number;
}

/** What a Checkout Session will subscribe to; Stripe keeps these beside the session, not on it. */
export interface CheckoutDetails {
  lineItems: CheckoutLineItem[];
  subscriptionMetadata: Record<string, string>;
  /** `subscription_data[billing_cycle_anchor]`: the subscription's first period ends there. */
  billingCycleAnchor: number | null;
}

/** Everything the fake knows, by id, as Stripe would answer it. */
export interface FakeStripeState {
  customers: Map<string, Stripe.Customer | Stripe.DeletedCustomer>;
  products: Map<string, Stripe.Product>;
  prices: Map<string, Stripe.Price>;
  checkoutSessions: Map<string, Stripe.Checkout.Session>;
  checkoutDetails: Map<string, CheckoutDetails>;
  subscriptions: Map<string, Stripe.Subscription>;
  invoices: Map<string, Stripe.Invoice>;
  /** Invoice items not yet on an invoice, by id. */
  invoiceItems: Map<string, Stripe.InvoiceItem>;
  /** The events Stripe would have sent, oldest first (sign them with `fake.signEvent`). */
  events: Stripe.EventBase[];
  requests: RecordedRequest[];
}

export function emptyState(): FakeStripeState {
  return {
    customers: new Map(),
    products: new Map(),
    prices: new Map(),
    checkoutSessions: new Map(),
    checkoutDetails: new Map(),
    subscriptions: new Map(),
    invoices: new Map(),
    invoiceItems: new Map(),
    events: [],
    requests: [],
  };
}

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** An id shaped like Stripe's: a type prefix and random base62 (`cus_QXg1o8vcGmoR32`). */
export function newStripeId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let id = "";
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return `${prefix}_${id}`;
}

export const unixSeconds = (at: Date): number => Math.floor(at.getTime() / 1000);
