import type { FakeStripe } from "@tollgate/stripe/testing";
import { expect } from "vitest";
import type { TestApp } from "./testApp";

/** Posts one signed delivery to the app's Stripe webhook. */
export const postStripeWebhook = (t: TestApp, payload: string, header: string) =>
  t.app.request("/v1/webhooks/stripe", {
    method: "POST",
    headers: { "stripe-signature": header, "content-type": "application/json" },
    body: payload,
  });

/** Delivers every event the fake has recorded since `from`, in order; answers their outcomes. */
export async function deliverStripeEvents(t: TestApp, fake: FakeStripe, from: number): Promise<string[]> {
  const outcomes: string[] = [];
  for (const event of fake.state.events.slice(from)) {
    const { payload, header } = fake.signEvent(event);
    const response = await postStripeWebhook(t, payload, header);
    expect(response.status).toBe(200);
    outcomes.push(`${event.type}:${((await response.json()) as { outcome: string }).outcome}`);
  }
  return outcomes;
}
