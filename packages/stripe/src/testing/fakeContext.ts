import type Stripe from "stripe";
import { type FakeStripeState, newStripeId, unixSeconds } from "./fakeState";
import type { FormObject } from "./formBody";
import { resourceMissing } from "./stripeErrors";
import { fixture } from "./stripeFixtures";

/** What a route handler is given: the state, the fake's clock and its event log. */
export interface FakeContext {
  state: FakeStripeState;
  now: () => Date;
  /** Where the fake listens, e.g. `http://127.0.0.1:41234`. */
  apiBase: string;
}

export interface RouteRequest {
  /** The path's captured ids, in order. */
  params: string[];
  /** The form body of a POST, or the query of a GET/DELETE. */
  body: FormObject;
}

export interface Route {
  method: "GET" | "POST" | "DELETE";
  path: RegExp;
  handle: (context: FakeContext, request: RouteRequest) => object;
}

export function param(request: RouteRequest, index = 0): string {
  return request.params[index] ?? "";
}

/** Records the event Stripe would send for a change. */
export function emit(
  context: FakeContext,
  type: Stripe.Event.Type,
  object: object,
  previousAttributes?: object,
): Stripe.EventBase {
  const event = eventObject(context, type, object, previousAttributes);
  context.state.events.push(event);
  return event;
}

/** An event about a snapshot of `object`, built on Stripe's example event. */
export function eventObject(
  context: FakeContext,
  type: Stripe.Event.Type,
  object: object,
  previousAttributes?: object,
): Stripe.EventBase {
  return {
    ...fixture("event"),
    id: newStripeId("evt"),
    api_version: null,
    created: unixSeconds(context.now()),
    data: {
      object: snapshot(object),
      ...(previousAttributes ? { previous_attributes: snapshot(previousAttributes) } : {}),
    },
    type,
  };
}

export function requireCustomer(context: FakeContext, id: string, param = "customer"): Stripe.Customer {
  const customer = context.state.customers.get(id);
  if (!customer || customer.deleted) throw resourceMissing("customer", id, param);
  return customer;
}

export function requirePrice(context: FakeContext, id: string, param = "price"): Stripe.Price {
  const price = context.state.prices.get(id);
  if (!price) throw resourceMissing("price", id, param);
  return price;
}

export function requireSubscription(context: FakeContext, id: string): Stripe.Subscription {
  const subscription = context.state.subscriptions.get(id);
  if (!subscription) throw resourceMissing("subscription", id);
  return subscription;
}

/** The object as it is on the wire now (later changes to the state do not alter the event). */
export function snapshot(object: object): object {
  return JSON.parse(JSON.stringify(object));
}
