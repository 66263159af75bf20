import type Stripe from "stripe";
import type { FakeContext, Route, RouteRequest } from "../fakeContext";
import { newStripeId, unixSeconds } from "../fakeState";
import { optionalInteger, optionalObject, optionalString, requiredString } from "../formFields";
import { parameterMissing } from "../stripeErrors";
import { fixture } from "../stripeFixtures";

/**
 * Records a meter event. Stripe enforces an identifier's uniqueness (for at least 24 hours):
 * a second event with the same identifier is not counted again; the fake answers the first.
 */
function createMeterEvent(context: FakeContext, { body }: RouteRequest): Stripe.Billing.MeterEvent {
  const payload = optionalObject(body, "payload");
  if (!payload) throw parameterMissing("payload");
  requiredString(payload, "stripe_customer_id");
  requiredString(payload, "value");
  const identifier = optionalString(body, "identifier") ?? newStripeId("mev");
  const existing = context.state.meterEvents.find((event) => event.identifier === identifier);
  if (existing) return existing;
  const event: Stripe.Billing.MeterEvent = {
    ...fixture("billing.meter_event"),
    created: unixSeconds(context.now()),
    event_name: requiredString(body, "event_name"),
    identifier,
    payload: Object.fromEntries(
      Object.entries(payload).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
    ),
    timestamp: optionalInteger(body, "timestamp") ?? unixSeconds(context.now()),
  };
  context.state.meterEvents.push(event);
  return event;
}

export const meterEventRoutes: Route[] = [
  { method: "POST", path: /^\/v1\/billing\/meter_events$/, handle: createMeterEvent },
];
