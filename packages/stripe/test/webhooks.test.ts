import type { PaymentEvent } from "@tollgate/engine";
import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { fixture } from "../src/testing/stripeFixtures";
import { acme, customerWithPrice, type StripeHarness, startStripe } from "./stripeHarness";

const now = () => new Date("2026-03-10T12:00:00Z");
const seconds = (iso: string) => Date.parse(iso) / 1000;

async function activeSubscription(harness: StripeHarness): Promise<Stripe.Subscription> {
  const { providerCustomerId, priceId } = await customerWithPrice(harness);
  const { id } = await harness.provider.createSubscription({
    customer: acme,
    subscriptionId: "sub_acme_1",
    providerCustomerId,
    priceId,
    quantity: 4,
  });
  const subscription = harness.fake.state.subscriptions.get(id);
  if (!subscription) throw new Error("the fake holds the subscription it created");
  return subscription;
}

function deliver(harness: StripeHarness, type: Stripe.Event.Type, object: object): PaymentEvent {
  const { payload, header } = harness.fake.signedEvent(type, object);
  return harness.provider.verifyWebhook(payload, header);
}

describe("verifyWebhook", () => {
  it("a validly signed event is translated, the period read from the subscription's item", async () => {
    const harness = await startStripe({ now });
    const subscription = await activeSubscription(harness);

    const event = deliver(harness, "customer.subscription.updated", subscription);

    expect(event).toEqual({
      id: expect.stringMatching(/^evt_/),
      createdAt: now(),
      providerType: "customer.subscription.updated",
      livemode: false,
      type: "subscription.updated",
      subscription: {
        id: subscription.id,
        providerCustomerId: subscription.customer,
        customer: acme,
        status: "active",
        items: [
          {
            id: subscription.items.data[0]?.id,
            priceId: subscription.items.data[0]?.price.id,
            quantity: 4,
            currentPeriod: { from: now(), to: new Date("2026-04-10T12:00:00Z") },
          },
        ],
        currentPeriod: { from: now(), to: new Date("2026-04-10T12:00:00Z") },
        cancelAtPeriodEnd: false,
        cancelAt: null,
        canceledAt: null,
        trialEnd: null,
        billingCycleAnchor: now(),
      },
    });
  });

  it("the item's period wins over the subscription-level one of older API versions", async () => {
    const harness = await startStripe({ now });
    const subscription = {
      ...fixture("subscription"),
      current_period_start: seconds("2020-01-01T00:00:00Z"),
      current_period_end: seconds("2020-02-01T00:00:00Z"),
    };
    const [item] = subscription.items.data;
    if (!item) throw new Error("Stripe's subscription fixture has an item");
    item.current_period_start = seconds("2026-03-01T00:00:00Z");
    item.current_period_end = seconds("2026-04-01T00:00:00Z");

    const event = deliver(harness, "customer.subscription.updated", subscription);

    expect(event.type === "subscription.updated" && event.subscription.currentPeriod).toEqual({
      from: new Date("2026-03-01T00:00:00Z"),
      to: new Date("2026-04-01T00:00:00Z"),
    });
  });

  it("without a period on the item, the subscription-level period is read", async () => {
    const harness = await startStripe({ now });
    const { items, ...rest } = fixture("subscription");
    const legacy = {
      ...rest,
      items: {
        ...items,
        data: items.data.map(({ current_period_start, current_period_end, ...item }) => item),
      },
      current_period_start: seconds("2026-03-01T00:00:00Z"),
      current_period_end: seconds("2026-04-01T00:00:00Z"),
    };

    const event = deliver(harness, "customer.subscription.updated", legacy);

    expect(event.type === "subscription.updated" && event.subscription.currentPeriod).toEqual({
      from: new Date("2026-03-01T00:00:00Z"),
      to: new Date("2026-04-01T00:00:00Z"),
    });
  });

  it("a tampered payload is webhook_signature_invalid", async () => {
    const harness = await startStripe({ now });
    const subscription = await activeSubscription(harness);
    const { payload, header } = harness.fake.signedEvent("customer.subscription.updated", subscription);

    const tampered = payload.replace('"status": "active"', '"status": "canceled"');

    expect(tampered).not.toBe(payload);
    expect(() => harness.provider.verifyWebhook(tampered, header)).toThrow(
      expect.objectContaining({ code: "webhook_signature_invalid", type: "invalid_request" }),
    );
  });

  it("a signature older than the tolerance (300 s) is webhook_signature_invalid; one within it passes", async () => {
    const harness = await startStripe({ now });
    const object = fixture("invoice");
    const at = (secondsAgo: number) => ({ timestamp: new Date(now().getTime() - secondsAgo * 1000) });

    const stale = harness.fake.signedEvent("invoice.paid", object, at(301));
    const recent = harness.fake.signedEvent("invoice.paid", object, at(299));

    expect(() => harness.provider.verifyWebhook(stale.payload, stale.header)).toThrow(
      expect.objectContaining({ code: "webhook_signature_invalid" }),
    );
    expect(harness.provider.verifyWebhook(recent.payload, recent.header).type).toBe("invoice.paid");
  });

  it("a missing header or another secret is webhook_signature_invalid", async () => {
    const harness = await startStripe({ now });
    const forged = harness.fake.signedEvent("invoice.paid", fixture("invoice"), { secret: "whsec_other" });

    for (const header of [undefined, "", forged.header]) {
      expect(() => harness.provider.verifyWebhook(forged.payload, header)).toThrow(
        expect.objectContaining({ code: "webhook_signature_invalid" }),
      );
    }
  });
});
