import { describe, expect, it } from "vitest";
import { acme, customerWithPrice, requestsTo, startStripe, subscribed } from "./stripeHarness";

describe("addInvoiceItem", () => {
  it("adds a charge to the subscription's next invoice once, however often it is sent", async () => {
    const harness = await startStripe();
    const { providerCustomerId, subscription } = await subscribed(harness, 1);
    const item = {
      providerCustomerId,
      providerSubscriptionId: subscription.id,
      amount: 1452,
      currency: "usd",
      description: "3 seats past 2 included × 15.00 usd for 10 of 31 days",
      period: { from: new Date("2027-03-01T00:00:00Z"), to: new Date("2027-03-11T00:00:00Z") },
      idempotencyKey: "seats:inv_1:2",
    };

    await harness.provider.addInvoiceItem(item);
    await harness.provider.addInvoiceItem(item);

    const items = [...harness.fake.state.invoiceItems.values()];
    expect(items).toEqual([
      expect.objectContaining({
        object: "invoiceitem",
        customer: providerCustomerId,
        amount: 1452,
        currency: "usd",
        description: item.description,
        invoice: null,
        period: {
          start: Date.parse("2027-03-01T00:00:00Z") / 1000,
          end: Date.parse("2027-03-11T00:00:00Z") / 1000,
        },
        parent: { type: "subscription_details", subscription_details: { subscription: subscription.id } },
        metadata: { tollgate_line: "seats:inv_1:2" },
      }),
    ]);
    const keys = requestsTo(harness.fake, "POST", /^\/v1\/invoiceitems$/).map((r) => r.idempotencyKey);
    expect(keys).toEqual(["tollgate:invoice_item:seats:inv_1:2", "tollgate:invoice_item:seats:inv_1:2"]);
  });

  it("takes a negative amount: a credit on the next invoice", async () => {
    const harness = await startStripe();
    const { providerCustomerId, subscription } = await subscribed(harness, 1);
    await harness.provider.addInvoiceItem({
      providerCustomerId,
      providerSubscriptionId: subscription.id,
      amount: -4950,
      currency: "usd",
      description: "tokens (volume): 1, from 100 to 101 this period",
      period: { from: new Date("2027-03-11T00:00:00Z"), to: new Date("2027-04-01T00:00:00Z") },
      idempotencyKey: "inv_2:2",
    });
    expect([...harness.fake.state.invoiceItems.values()].map((item) => item.amount)).toEqual([-4950]);
  });

  it("is refused for another customer's subscription, and nothing is added", async () => {
    const harness = await startStripe();
    const { providerCustomerId, priceId } = await customerWithPrice(harness);
    const other = await customerWithPrice(harness, { env: "test", customerId: "globex" });
    const subscription = await harness.provider.createSubscription({
      customer: acme,
      subscriptionId: "sub_acme_1",
      providerCustomerId,
      priceId,
      quantity: 1,
    });
    await expect(
      harness.provider.addInvoiceItem({
        providerCustomerId: other.providerCustomerId,
        providerSubscriptionId: subscription.id,
        amount: 100,
        currency: "usd",
        description: "x",
        period: { from: new Date(), to: new Date() },
        idempotencyKey: "k",
      }),
    ).rejects.toMatchObject({ code: "payment_provider_error" });
    expect(harness.fake.state.invoiceItems.size).toBe(0);
  });
});
