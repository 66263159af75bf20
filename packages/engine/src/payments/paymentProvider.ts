import type { BillingInterval } from "@tollgate/core";
import type { CustomerRef } from "../context";

/**
 * The payment rail, as the engine sees it. Implementations translate and nothing more: no plan
 * lookup, no dunning decision. Amounts are integer minor units with their currency; times are
 * UTC instants. Every mutating call is idempotent: its provider request is keyed by our ids, so
 * a retry of the same operation never creates a second object.
 */
export interface PaymentProvider {
  /** The provider's name as stored beside its ids (`provider_prices.provider`). */
  readonly name: string;
  /** The provider's customer for ours: the stored one when it still exists, else a new one. */
  ensureCustomer(input: EnsureCustomerInput): Promise<string>;
  /** The recurring price of one contract, under the one "Custom Enterprise" product. */
  ensureContractPrice(input: ContractPriceInput): Promise<string>;
  createCheckoutSession(input: CheckoutSessionInput): Promise<CheckoutSession>;
  createSubscription(input: CreateSubscriptionInput): Promise<ProviderSubscription>;
  updateSubscription(input: UpdateSubscriptionInput): Promise<ProviderSubscription>;
  cancelSubscription(input: CancelSubscriptionInput): Promise<ProviderSubscription>;
  /** The provider's subscription as it stands now; null when the provider has no such subscription. */
  getSubscription(providerSubscriptionId: string): Promise<ProviderSubscription | null>;
  /**
   * A one-off charge added to the subscription's next provider invoice: what our invoice bills
   * beyond the subscription's price (usage, overage, seats), at the amount we rated.
   */
  addInvoiceItem(input: InvoiceItemInput): Promise<void>;
  /**
   * Verifies a webhook's signature and age, then translates it. A bad signature, a missing
   * header or a timestamp outside the tolerance throws a `TollgateError` with code
   * `webhook_signature_invalid`.
   */
  verifyWebhook(payload: string | Uint8Array, signatureHeader: string | undefined): PaymentEvent;
}

/** The stable codes of the `TollgateError`s a provider throws. */
export type PaymentProviderErrorCode = "webhook_signature_invalid" | "payment_provider_error";

export interface EnsureCustomerInput {
  customer: CustomerRef;
  email?: string | null | undefined;
  name?: string | null | undefined;
  /** The provider's id we already hold for this customer, if any. */
  providerCustomerId?: string | null | undefined;
}

export interface ContractPriceInput {
  /** Our id of the contract (the custom plan version) the price belongs to. */
  contractId: string;
  /** Per seat and per interval, in minor units. */
  amount: number;
  currency: string;
  interval: BillingInterval;
}

/** Our id of one requested operation; a retry of the same operation passes the same id. */
export type OperationId = string;

export interface CheckoutSessionInput {
  customer: CustomerRef;
  providerCustomerId: string;
  priceId: string;
  quantity: number;
  /** Where the subscription's periods start (the next calendar period's start); the first is prorated. */
  billingCycleAnchor?: Date | null | undefined;
  successUrl: string;
  cancelUrl: string;
  operationId: OperationId;
}

export interface CheckoutSession {
  id: string;
  url: string;
}

export interface CreateSubscriptionInput {
  customer: CustomerRef;
  /** Our subscription (contract) id: one provider subscription per contract. */
  subscriptionId: string;
  providerCustomerId: string;
  priceId: string;
  quantity: number;
  trialEnd?: Date | null | undefined;
}

/** `prorate` adds the proration to the next invoice; `prorate_and_invoice` bills it at once. */
export type ProrationBehavior = "prorate" | "prorate_and_invoice" | "none";

export interface UpdateSubscriptionInput {
  providerSubscriptionId: string;
  /** Replaces the price of the subscription's licensed item. */
  priceId: string;
  quantity: number;
  prorationBehavior: ProrationBehavior;
  operationId: OperationId;
}

export interface CancelSubscriptionInput {
  providerSubscriptionId: string;
  atPeriodEnd: boolean;
  operationId: OperationId;
}

export interface InvoiceItemInput {
  providerCustomerId: string;
  providerSubscriptionId: string;
  /** Integer minor units. */
  amount: number;
  currency: string;
  description: string;
  /** What the charge covers, half-open [from, to) in UTC. */
  period: Period;
  /** Derived from our invoice line: the same item twice is added once. */
  idempotencyKey: string;
}

/** A billing period, half-open [from, to) in UTC, as `billingPeriod()` returns it. */
export interface Period {
  from: Date;
  to: Date;
}

export type ProviderSubscriptionStatus =
  | "incomplete"
  | "incomplete_expired"
  | "trialing"
  | "active"
  | "past_due"
  | "unpaid"
  | "paused"
  | "canceled"
  | "unknown";

export interface ProviderSubscriptionItem {
  id: string;
  priceId: string;
  quantity: number | null;
  currentPeriod: Period | null;
}

export interface ProviderSubscription {
  id: string;
  providerCustomerId: string;
  /** Ours, when the subscription was created by Tollgate (from its metadata). */
  customer: CustomerRef | null;
  status: ProviderSubscriptionStatus;
  items: ProviderSubscriptionItem[];
  /** The first item's period, else the subscription's own (older API versions). */
  currentPeriod: Period | null;
  cancelAtPeriodEnd: boolean;
  cancelAt: Date | null;
  canceledAt: Date | null;
  trialEnd: Date | null;
  /** The instant its periods are counted from (a UTC month start for a calendar-aligned one). */
  billingCycleAnchor: Date | null;
}

export type ProviderInvoiceStatus = "draft" | "open" | "paid" | "uncollectible" | "void" | "unknown";

export interface ProviderInvoice {
  /** Null for an upcoming invoice, which the provider has not created yet. */
  id: string | null;
  providerCustomerId: string | null;
  providerSubscriptionId: string | null;
  status: ProviderInvoiceStatus;
  currency: string;
  amountDue: number;
  amountPaid: number;
  attemptCount: number;
  nextPaymentAttempt: Date | null;
}

export interface CompletedCheckout {
  id: string;
  providerCustomerId: string | null;
  providerSubscriptionId: string | null;
  /** Ours, from the session's client reference and metadata. */
  customer: CustomerRef | null;
  paymentStatus: "paid" | "unpaid" | "no_payment_required" | "unknown";
}

/** What every event carries, for deduplication (`id`) and ordering (`createdAt`). */
interface PaymentEventBase {
  id: string;
  createdAt: Date;
  /** The provider's own name of the event type. */
  providerType: string;
  livemode: boolean;
}

export type PaymentEvent =
  | (PaymentEventBase & { type: "checkout.completed"; checkout: CompletedCheckout })
  | (PaymentEventBase & {
      type: "subscription.created" | "subscription.updated" | "subscription.deleted";
      subscription: ProviderSubscription;
    })
  | (PaymentEventBase & {
      type: "invoice.paid" | "invoice.payment_failed" | "invoice.finalized" | "invoice.upcoming";
      invoice: ProviderInvoice;
    })
  | (PaymentEventBase & { type: "ignored" });

export type PaymentEventType = PaymentEvent["type"];
