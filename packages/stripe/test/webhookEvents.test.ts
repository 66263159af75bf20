import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { fixture } from "../src/testing/stripeFixtures";
import { acme, customerWithPrice, startStripe } from "./stripeHarness";

const now = () => new Date("2026-03-10T12:00:00Z");
const seconds = (iso: string) => Date.parse(iso) / 1000;

/** Stripe's published invoice, as a failed renewal of subscription `sub_123`. */
function failedRenewal(): Stripe.Invoice {
  return {
    ...fixture("invoice"),
    id: "in_123",
    customer: "cus_123",
    status: "open",
    amount_due: 19900,
    amount_paid: 0,
    attempt_count: 2,
    next_payment_attempt: seconds("2026-03-13T12:00:00Z"),
    parent: {
      type: "subscription_details",
      quote_details: null,
      subscription_details: { metadata: null, subscription: "sub_123" },
    },
  };
}

describe("webhook event types", () => {
  it("checkout.session.completed is checkout.completed, naming our customer and the new subscription", async () => {
    const harness = await startStripe({ now });
    const { providerCustomerId, priceId } = await customerWithPrice(harness);
    const { id } = await harness.provider.createCheckoutSession({
      customer: acme,
      providerCustomerId,
      priceId,
      quantity: 2,
      successUrl: "https://app.test/ok",
      cancelUrl: "https://app.test/no",
      operationId: "op_1",
    });
    const { session, subscription } = harness.fake.completeCheckout(id);
    const { payload, header } = harness.fake.signedEvent("checkout.session.completed", session);

    expect(harness.provider.verifyWebhook(payload, header)).toMatchObject({
      type: "checkout.completed",
      providerType: "checkout.session.completed",
      checkout: {
        id,
        providerCustomerId,
        providerSubscriptionId: subscription.id,
        customer: acme,
        paymentStatus: "paid",
      },
    });
  });

  it("the events Stripe sends for a completed checkout translate in order", async () => {
    const harness = await startStripe({ now });
    const { providerCustomerId, priceId } = await customerWithPrice(harness);
    const { id } = await harness.provider.createCheckoutSession({
      customer: acme,
      providerCustomerId,
      priceId,
      quantity: 2,
      successUrl: "https://app.test/ok",
      cancelUrl: "https://app.test/no",
      operationId: "op_1",
    });
    harness.fake.completeCheckout(id);

    const types = harness.fake.state.events.map((event) => {
      const { payload, header } = harness.fake.signEvent(event);
      return harness.provider.verifyWebhook(payload, header).type;
    });

    expect(types).toEqual([
      "subscription.created",
      "invoice.finalized",
      "invoice.paid",
      "checkout.completed",
    ]);
  });

  it.each([
    ["customer.subscription.created", "subscription.created"],
    ["customer.subscription.updated", "subscription.updated"],
    ["customer.subscription.deleted", "subscription.deleted"],
  ] as const)("%s is %s", async (stripeType, type) => {
    const harness = await startStripe({ now });
    const subscription = {
      ...fixture("subscription"),
      status: "past_due" as const,
      cancel_at_period_end: true,
    };
    const { payload, header } = harness.fake.signedEvent(stripeType, subscription);

    expect(harness.provider.verifyWebhook(payload, header)).toMatchObject({
      type,
      subscription: {
        id: subscription.id,
        providerCustomerId: "cus_QXg1o8vcGmoR32",
        customer: null,
        status: "past_due",
        cancelAtPeriodEnd: true,
        items: [{ priceId: "price_1PgafmB7WZ01zgkW6dKueIc5", quantity: 1 }],
      },
    });
  });

  it.each([
    ["invoice.paid", "invoice.paid"],
    ["invoice.payment_failed", "invoice.payment_failed"],
    ["invoice.finalized", "invoice.finalized"],
    ["invoice.upcoming", "invoice.upcoming"],
  ] as const)("%s is %s, with the subscription, amounts and retry schedule", async (stripeType, type) => {
    const harness = await startStripe({ now });
    const { payload, header } = harness.fake.signedEvent(stripeType, failedRenewal());

    expect(harness.provider.verifyWebhook(payload, header)).toMatchObject({
      type,
      providerType: stripeType,
      invoice: {
        id: "in_123",
        providerCustomerId: "cus_123",
        providerSubscriptionId: "sub_123",
        status: "open",
        currency: "usd",
        amountDue: 19900,
        amountPaid: 0,
        attemptCount: 2,
        nextPaymentAttempt: new Date("2026-03-13T12:00:00Z"),
      },
    });
  });

  it("an upcoming invoice has no id yet", async () => {
    const harness = await startStripe({ now });
    const { id, ...upcoming } = failedRenewal();
    const { payload, header } = harness.fake.signedEvent("invoice.upcoming", upcoming);

    const event = harness.provider.verifyWebhook(payload, header);

    expect(event.type === "invoice.upcoming" && event.invoice.id).toBeNull();
  });

  it("an invoice of an older API version names its subscription at the top level", async () => {
    const harness = await startStripe({ now });
    const legacy = { ...failedRenewal(), parent: null, subscription: "sub_legacy" };
    const { payload, header } = harness.fake.signedEvent("invoice.payment_failed", legacy);

    const event = harness.provider.verifyWebhook(payload, header);

    expect(event.type === "invoice.payment_failed" && event.invoice.providerSubscriptionId).toBe(
      "sub_legacy",
    );
  });

  it("a type the engine does not use is ignored, keeping Stripe's type, id and time", async () => {
    const harness = await startStripe({ now });
    const { payload, header } = harness.fake.signedEvent("customer.updated", fixture("customer"));

    expect(harness.provider.verifyWebhook(payload, header)).toEqual({
      type: "ignored",
      providerType: "customer.updated",
      id: expect.stringMatching(/^evt_/),
      createdAt: now(),
      livemode: false,
    });
  });
});
