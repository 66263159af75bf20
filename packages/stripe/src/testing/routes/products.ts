import type Stripe from "stripe";
import { type FakeContext, param, type Route, type RouteRequest } from "../fakeContext";
import { newStripeId, unixSeconds } from "../fakeState";
import { metadata, optionalString, requiredString } from "../formFields";
import { resourceExists, resourceMissing } from "../stripeErrors";
import { fixture } from "../stripeFixtures";

function createProduct(context: FakeContext, { body }: RouteRequest): Stripe.Product {
  const id = optionalString(body, "id") ?? newStripeId("prod", 14);
  if (context.state.products.has(id)) throw resourceExists("product", id);
  const now = unixSeconds(context.now());
  const product: Stripe.Product = {
    ...fixture("product"),
    id,
    name: requiredString(body, "name"),
    description: optionalString(body, "description") ?? null,
    created: now,
    updated: now,
    default_price: null,
    package_dimensions: null,
    metadata: metadata(body),
  };
  context.state.products.set(id, product);
  return product;
}

function retrieveProduct(context: FakeContext, request: RouteRequest): Stripe.Product {
  const id = param(request);
  const product = context.state.products.get(id);
  if (!product) throw resourceMissing("product", id);
  return product;
}

export const productRoutes: Route[] = [
  { method: "POST", path: /^\/v1\/products$/, handle: createProduct },
  { method: "GET", path: /^\/v1\/products\/([^/]+)$/, handle: retrieveProduct },
];
