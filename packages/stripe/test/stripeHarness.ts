import type { CustomerRef } from "@tollgate/engine";
import { type FakeStripe, startFakeStripe } from "@tollgate/stripe/testing";
import { afterEach } from "vitest";
import { StripePaymentProvider } from "../src/stripePaymentProvider";

export interface StripeHarness {
  fake: FakeStripe;
  provider: StripePaymentProvider;
}

const running: FakeStripe[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((fake) => fake.close()));
});

/** The real SDK, through the adapter, against a fresh fake Stripe; closed after the test. */
export async function startStripe(options: { now?: () => Date } = {}): Promise<StripeHarness> {
  const fake = await startFakeStripe(options.now ? { now: options.now } : {});
  running.push(fake);
  const provider = new StripePaymentProvider({
    secretKey: fake.secretKey,
    webhookSecret: fake.webhookSecret,
    apiBase: fake.apiBase,
    maxNetworkRetries: 0,
    ...(options.now ? { clock: options.now } : {}),
  });
  return { fake, provider };
}

export const acme: CustomerRef = { env: "test", customerId: "acme" };

/** A Stripe customer and a monthly contract price of 199.00 USD per seat, ready to subscribe. */
export async function customerWithPrice({ provider }: StripeHarness, customer = acme) {
  const providerCustomerId = await provider.ensureCustomer({
    customer,
    email: "billing@acme.test",
    name: "Acme",
  });
  const priceId = await provider.ensureContractPrice({
    contractId: `contract_${customer.customerId}`,
    amount: 19900,
    currency: "usd",
    interval: "month",
  });
  return { providerCustomerId, priceId };
}

/** The bodies the fake received on a path, oldest first. */
export function requestsTo(fake: FakeStripe, method: string, path: RegExp) {
  return fake.state.requests.filter((request) => request.method === method && path.test(request.path));
}

/** Acme with a price and a Stripe subscription to it (`sub_acme_1`). */
export async function subscribed(harness: StripeHarness, quantity = 10) {
  const { providerCustomerId, priceId } = await customerWithPrice(harness);
  const subscription = await harness.provider.createSubscription({
    customer: acme,
    subscriptionId: "sub_acme_1",
    providerCustomerId,
    priceId,
    quantity,
  });
  return { subscription, priceId, providerCustomerId };
}
