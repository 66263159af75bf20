import type Stripe from "stripe";
import { type FakeContext, param, type Route, type RouteRequest } from "../fakeContext";
import { resourceMissing } from "../stripeErrors";

function retrieveInvoice(context: FakeContext, request: RouteRequest): Stripe.Invoice {
  const id = param(request);
  const invoice = context.state.invoices.get(id);
  if (!invoice) throw resourceMissing("invoice", id);
  return invoice;
}

export const invoiceRoutes: Route[] = [
  { method: "GET", path: /^\/v1\/invoices\/([^/]+)$/, handle: retrieveInvoice },
];
