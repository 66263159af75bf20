import { describe, expect, it } from "vitest";
import { acme, customerWithPrice, requestsTo, startStripe } from "./stripeHarness";

const urls = { successUrl: "https://app.acme.test/billing/done", cancelUrl: "https://app.acme.test/billing" };

describe("createCheckoutSession", () => {
  it("subscribes the customer to the price given, for the seats given", async () => {
    const harness = await startStripe();
    const { fake, provider } = harness;
    const { providerCustomerId, priceId } = await customerWithPrice(harness);

    const session = await provider.createCheckoutSession({
      customer: acme,
      providerCustomerId,
      priceId,
      quantity: 12,
      ...urls,
      operationId: "op_1",
    });

    expect(session.url).toBe(`https://checkout.stripe.com/c/pay/${session.id}`);
    expect(fake.state.checkoutSessions.get(session.id)).toMatchObject({
      mode: "subscription",
      status: "open",
      customer: providerCustomerId,
      client_reference_id: "acme",
      success_url: urls.successUrl,
      cancel_url: urls.cancelUrl,
      amount_total: 12 * 19900,
      currency: "usd",
    });
    expect(fake.state.checkoutDetails.get(session.id)?.lineItems).toEqual([{ price: priceId, quantity: 12 }]);
    expect(requestsTo(fake, "POST", /^\/v1\/checkout\/sessions$/)[0]?.body).toMatchObject({
      line_items: [{ price: priceId, quantity: "12" }],
      subscription_data: { metadata: { tollgate_customer_id: "acme", tollgate_env: "test" } },
    });
  });

  it("anchors a calendar subscription at the next period's start: the first period runs to it", async () => {
    const now = new Date("2027-03-10T15:00:00Z");
    const harness = await startStripe({ now: () => now });
    const { fake, provider } = harness;
    const { providerCustomerId, priceId } = await customerWithPrice(harness);
    const anchor = new Date("2027-04-01T00:00:00Z");

    const session = await provider.createCheckoutSession({
      customer: acme,
      providerCustomerId,
      priceId,
      quantity: 1,
      billingCycleAnchor: anchor,
      ...urls,
      operationId: "op_calendar",
    });
    expect(requestsTo(fake, "POST", /^\/v1\/checkout\/sessions$/)[0]?.body).toMatchObject({
      subscription_data: {
        billing_cycle_anchor: String(anchor.getTime() / 1000),
        proration_behavior: "create_prorations",
      },
    });
    const { subscription } = fake.completeCheckout(session.id);
    const translated = await provider.getSubscription(subscription.id);
    expect(translated).toMatchObject({
      billingCycleAnchor: anchor,
      currentPeriod: { from: now, to: anchor },
    });
  });

  it("refuses an anchor that is not in the future, as Stripe does", async () => {
    const now = new Date("2027-03-10T15:00:00Z");
    const harness = await startStripe({ now: () => now });
    const { providerCustomerId, priceId } = await customerWithPrice(harness);
    await expect(
      harness.provider.createCheckoutSession({
        customer: acme,
        providerCustomerId,
        priceId,
        quantity: 1,
        billingCycleAnchor: new Date("2027-03-01T00:00:00Z"),
        ...urls,
        operationId: "op_past",
      }),
    ).rejects.toMatchObject({ code: "payment_provider_error" });
  });

  it("a retried operation is one session; another operation is another session", async () => {
    const harness = await startStripe();
    const { fake, provider } = harness;
    const { providerCustomerId, priceId } = await customerWithPrice(harness);
    const input = { customer: acme, providerCustomerId, priceId, quantity: 1, ...urls, operationId: "op_1" };

    const first = await provider.createCheckoutSession(input);
    const retried = await provider.createCheckoutSession(input);
    const other = await provider.createCheckoutSession({ ...input, operationId: "op_2" });

    expect(retried.id).toBe(first.id);
    expect(other.id).not.toBe(first.id);
    expect(fake.state.checkoutSessions.size).toBe(2);
  });

  it("a completed checkout leaves a subscription carrying our customer, and its paid invoice", async () => {
    const harness = await startStripe();
    const { fake, provider } = harness;
    const { providerCustomerId, priceId } = await customerWithPrice(harness);
    const session = await provider.createCheckoutSession({
      customer: acme,
      providerCustomerId,
      priceId,
      quantity: 3,
      ...urls,
      operationId: "op_1",
    });

    const { subscription, invoice } = fake.completeCheckout(session.id);

    expect(subscription).toMatchObject({ status: "active", customer: providerCustomerId });
    expect(subscription.metadata).toEqual({ tollgate_customer_id: "acme", tollgate_env: "test" });
    expect(invoice).toMatchObject({ status: "paid", amount_due: 3 * 19900, amount_paid: 3 * 19900 });
    expect(fake.state.checkoutSessions.get(session.id)).toMatchObject({
      status: "complete",
      payment_status: "paid",
      subscription: subscription.id,
    });
  });
});
