import type Stripe from "stripe";
import { type FakeContext, param, type Route, type RouteRequest } from "../fakeContext";
import { newStripeId, unixSeconds } from "../fakeState";
import { metadata, optionalString } from "../formFields";
import { resourceMissing } from "../stripeErrors";
import { fixture } from "../stripeFixtures";

function createCustomer(context: FakeContext, { body }: RouteRequest): Stripe.Customer {
  const customer: Stripe.Customer = {
    ...fixture("customer"),
    id: newStripeId("cus", 14),
    created: unixSeconds(context.now()),
    currency: null,
    discount: null,
    shipping: null,
    email: optionalString(body, "email") ?? null,
    name: optionalString(body, "name") ?? null,
    description: optionalString(body, "description") ?? null,
    invoice_prefix: newStripeId("x", 8).slice(2).toUpperCase(),
    metadata: metadata(body),
  };
  context.state.customers.set(customer.id, customer);
  return customer;
}

function retrieveCustomer(
  context: FakeContext,
  request: RouteRequest,
): Stripe.Customer | Stripe.DeletedCustomer {
  const id = param(request);
  const customer = context.state.customers.get(id);
  if (!customer) throw resourceMissing("customer", id);
  return customer;
}

function deleteCustomer(context: FakeContext, request: RouteRequest): Stripe.DeletedCustomer {
  const id = param(request);
  const customer = context.state.customers.get(id);
  if (!customer || customer.deleted) throw resourceMissing("customer", id);
  const deleted: Stripe.DeletedCustomer = { id, object: "customer", deleted: true };
  context.state.customers.set(id, deleted);
  return deleted;
}

export const customerRoutes: Route[] = [
  { method: "POST", path: /^\/v1\/customers$/, handle: createCustomer },
  { method: "GET", path: /^\/v1\/customers\/([^/]+)$/, handle: retrieveCustomer },
  { method: "DELETE", path: /^\/v1\/customers\/([^/]+)$/, handle: deleteCustomer },
];
