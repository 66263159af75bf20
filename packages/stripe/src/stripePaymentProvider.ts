import type {
  CancelSubscriptionInput,
  CheckoutSession,
  CheckoutSessionInput,
  Clock,
  ContractPriceInput,
  CreateSubscriptionInput,
  EnsureCustomerInput,
  InvoiceItemInput,
  PaymentEvent,
  PaymentProvider,
  ProviderSubscription,
  UpdateSubscriptionInput,
} from "@tollgate/engine";
import Stripe from "stripe";
import { addInvoiceItem } from "./addInvoiceItem";
import { createCheckoutSession } from "./createCheckoutSession";
import { ensureContractPrice } from "./ensureContractPrice";
import { ensureCustomer } from "./ensureCustomer";
import { toProviderError } from "./providerError";
import { cancelSubscription, createSubscription, getSubscription, updateSubscription } from "./subscriptions";
import { verifyWebhook } from "./verifyWebhook";

export interface StripePaymentProviderOptions {
  secretKey: string;
  webhookSecret: string;
  /** Where Stripe's API is served, e.g. a local server in tests (`http://127.0.0.1:12111`); Stripe's own by default. */
  apiBase?: string | undefined;
  /** The SDK's pinned version by default. */
  apiVersion?: Stripe.LatestApiVersion | undefined;
  /** How old a webhook signature may be; Stripe's default, 300 s. */
  webhookToleranceSeconds?: number | undefined;
  /** The clock webhook ages are measured with. */
  clock?: Clock | undefined;
  maxNetworkRetries?: number | undefined;
}

/** The payment-provider port over Stripe's official SDK. It translates; it decides nothing. */
export class StripePaymentProvider implements PaymentProvider {
  readonly name = "stripe";
  private readonly stripe: Stripe;
  private readonly webhookSecret: string;
  private readonly toleranceSeconds: number;
  private readonly clock: Clock;

  constructor(options: StripePaymentProviderOptions) {
    this.stripe = new Stripe(options.secretKey, {
      ...addressOf(options.apiBase),
      ...(options.apiVersion ? { apiVersion: options.apiVersion } : {}),
      ...(options.maxNetworkRetries === undefined ? {} : { maxNetworkRetries: options.maxNetworkRetries }),
    });
    this.webhookSecret = options.webhookSecret;
    this.toleranceSeconds = options.webhookToleranceSeconds ?? Stripe.webhooks.DEFAULT_TOLERANCE;
    this.clock = options.clock ?? (() => new Date());
  }

  ensureCustomer(input: EnsureCustomerInput): Promise<string> {
    return translateErrors(ensureCustomer(this.stripe, input));
  }

  ensureContractPrice(input: ContractPriceInput): Promise<string> {
    return translateErrors(ensureContractPrice(this.stripe, input));
  }

  createCheckoutSession(input: CheckoutSessionInput): Promise<CheckoutSession> {
    return translateErrors(createCheckoutSession(this.stripe, input));
  }

  createSubscription(input: CreateSubscriptionInput): Promise<ProviderSubscription> {
    return translateErrors(createSubscription(this.stripe, input));
  }

  updateSubscription(input: UpdateSubscriptionInput): Promise<ProviderSubscription> {
    return translateErrors(updateSubscription(this.stripe, input));
  }

  cancelSubscription(input: CancelSubscriptionInput): Promise<ProviderSubscription> {
    return translateErrors(cancelSubscription(this.stripe, input));
  }

  getSubscription(providerSubscriptionId: string): Promise<ProviderSubscription | null> {
    return translateErrors(getSubscription(this.stripe, providerSubscriptionId));
  }

  addInvoiceItem(input: InvoiceItemInput): Promise<void> {
    return translateErrors(addInvoiceItem(this.stripe, input));
  }

  verifyWebhook(payload: string | Uint8Array, signatureHeader: string | undefined): PaymentEvent {
    return verifyWebhook(this.stripe, payload, signatureHeader, {
      secret: this.webhookSecret,
      toleranceSeconds: this.toleranceSeconds,
      receivedAt: this.clock(),
    });
  }
}

async function translateErrors<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw toProviderError(error);
  }
}

/** The SDK's host, port and protocol for an API base URL. */
function addressOf(apiBase: string | undefined): Pick<Stripe.StripeConfig, "host" | "port" | "protocol"> {
  if (apiBase === undefined) return {};
  const url = new URL(apiBase);
  const protocol = url.protocol === "http:" ? "http" : "https";
  return { host: url.hostname, port: url.port || (protocol === "http" ? 80 : 443), protocol };
}
