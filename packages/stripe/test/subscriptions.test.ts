import { TollgateError } from "@tollgate/core";
import { describe, expect, it } from "vitest";
import { acme, customerWithPrice, requestsTo, startStripe, subscribed } from "./stripeHarness";

/** Frozen at Jan 31: a monthly period clamps to Feb 28. */
const now = () => new Date("2026-01-31T10:00:00Z");

describe("subscriptions", () => {
  it("a new subscription is active on the price, its period read from the item", async () => {
    const harness = await startStripe({ now });
    const { subscription, priceId, providerCustomerId } = await subscribed(harness);

    expect(subscription).toMatchObject({
      providerCustomerId,
      customer: acme,
      status: "active",
      items: [{ priceId, quantity: 10 }],
      cancelAtPeriodEnd: false,
      currentPeriod: { from: new Date("2026-01-31T10:00:00Z"), to: new Date("2026-02-28T10:00:00Z") },
    });
    expect(harness.fake.state.subscriptions.get(subscription.id)?.metadata).toMatchObject({
      tollgate_subscription_id: "sub_acme_1",
    });
  });

  it("creating the same contract's subscription twice is one subscription", async () => {
    const harness = await startStripe({ now });
    const first = await subscribed(harness);
    const again = await subscribed(harness);
    expect(again.subscription.id).toBe(first.subscription.id);
    expect(harness.fake.state.subscriptions.size).toBe(1);
  });

  it("a trial starts the subscription trialing, billed from the trial's end", async () => {
    const harness = await startStripe({ now });
    const { providerCustomerId, priceId } = await customerWithPrice(harness);
    const trialEnd = new Date("2026-02-14T10:00:00Z");

    const subscription = await harness.provider.createSubscription({
      customer: acme,
      subscriptionId: "sub_trial",
      providerCustomerId,
      priceId,
      quantity: 1,
      trialEnd,
    });

    expect(subscription.status).toBe("trialing");
    expect(subscription.trialEnd).toEqual(trialEnd);
    expect(subscription.currentPeriod).toEqual({ from: now(), to: trialEnd });
  });

  it.each([
    ["prorate", "create_prorations"],
    ["prorate_and_invoice", "always_invoice"],
    ["none", "none"],
  ] as const)(
    "an update moves the item to the new price, proration %s sent as %s",
    async (behavior, sent) => {
      const harness = await startStripe({ now });
      const { subscription } = await subscribed(harness);
      const upgrade = await harness.provider.ensureContractPrice({
        contractId: "contract_acme_v2",
        amount: 29900,
        currency: "usd",
        interval: "month",
      });

      const updated = await harness.provider.updateSubscription({
        providerSubscriptionId: subscription.id,
        priceId: upgrade,
        quantity: 15,
        prorationBehavior: behavior,
        operationId: "change_1",
      });

      expect(updated.items).toEqual([
        expect.objectContaining({ id: subscription.items[0]?.id, priceId: upgrade, quantity: 15 }),
      ]);
      const [update] = requestsTo(harness.fake, "POST", /^\/v1\/subscriptions\/sub_/);
      expect(update?.body).toMatchObject({
        proration_behavior: sent,
        items: [{ id: subscription.items[0]?.id, price: upgrade, quantity: "15" }],
      });
      expect(update?.idempotencyKey).toBe(`tollgate:subscription-update:${subscription.id}:change_1`);
    },
  );

  it("a cancellation at period end keeps the subscription active until the period's end", async () => {
    const harness = await startStripe({ now });
    const { subscription } = await subscribed(harness);

    const canceled = await harness.provider.cancelSubscription({
      providerSubscriptionId: subscription.id,
      atPeriodEnd: true,
      operationId: "cancel_1",
    });

    expect(canceled).toMatchObject({
      status: "active",
      cancelAtPeriodEnd: true,
      cancelAt: new Date("2026-02-28T10:00:00Z"),
      canceledAt: now(),
    });
    expect(harness.fake.state.events.at(-1)?.type).toBe("customer.subscription.updated");
  });

  it("a cancellation now ends the subscription at once", async () => {
    const harness = await startStripe({ now });
    const { subscription } = await subscribed(harness);

    const canceled = await harness.provider.cancelSubscription({
      providerSubscriptionId: subscription.id,
      atPeriodEnd: false,
      operationId: "cancel_1",
    });

    expect(canceled).toMatchObject({ status: "canceled", canceledAt: now(), cancelAtPeriodEnd: false });
    expect(harness.fake.state.events.at(-1)?.type).toBe("customer.subscription.deleted");
  });

  it("Stripe's error for an unknown subscription comes back as a payment_provider_error", async () => {
    const { provider } = await startStripe();
    const failure = provider.cancelSubscription({
      providerSubscriptionId: "sub_missing",
      atPeriodEnd: true,
      operationId: "cancel_1",
    });

    await expect(failure).rejects.toBeInstanceOf(TollgateError);
    await expect(failure).rejects.toMatchObject({
      code: "payment_provider_error",
      param: "id",
      details: { provider: "stripe", providerCode: "resource_missing", statusCode: 404, retryable: false },
    });
  });
});
