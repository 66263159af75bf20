import Stripe from "stripe";
import { type FakeContext, param, type Route, type RouteRequest } from "../fakeContext";
import { newStripeId, unixSeconds } from "../fakeState";
import {
  metadata,
  optionalArray,
  optionalBoolean,
  optionalInteger,
  optionalObject,
  optionalString,
  requiredString,
} from "../formFields";
import { parameterInvalid, parameterMissing, resourceMissing } from "../stripeErrors";
import { fixture } from "../stripeFixtures";
import { listOf } from "./list";

const INTERVALS = ["day", "week", "month", "year"] as const;

function recurringOf(body: RouteRequest["body"]): Stripe.Price.Recurring | null {
  const recurring = optionalObject(body, "recurring");
  if (!recurring) return null;
  const interval = requiredString(recurring, "interval");
  const known = INTERVALS.find((candidate) => candidate === interval);
  if (!known) throw parameterInvalid("recurring[interval]", `Invalid recurring[interval]: ${interval}`);
  const usageType = optionalString(recurring, "usage_type") ?? "licensed";
  if (usageType !== "licensed" && usageType !== "metered") {
    throw parameterInvalid("recurring[usage_type]", `Invalid recurring[usage_type]: ${usageType}`);
  }
  return {
    interval: known,
    interval_count: optionalInteger(recurring, "interval_count") ?? 1,
    meter: optionalString(recurring, "meter") ?? null,
    usage_type: usageType,
    trial_period_days: null,
  };
}

function createPrice(context: FakeContext, { body }: RouteRequest): Stripe.Price {
  const product = requiredString(body, "product");
  if (!context.state.products.has(product)) throw resourceMissing("product", product, "product");
  const unitAmount = optionalInteger(body, "unit_amount");
  if (unitAmount === undefined) throw parameterMissing("unit_amount");
  const lookupKey = optionalString(body, "lookup_key") ?? null;
  if (lookupKey !== null) releaseLookupKey(context, lookupKey, optionalBoolean(body, "transfer_lookup_key"));
  const recurring = recurringOf(body);
  const price: Stripe.Price = {
    ...fixture("price"),
    id: newStripeId("price"),
    created: unixSeconds(context.now()),
    currency: requiredString(body, "currency"),
    product,
    unit_amount: unitAmount,
    unit_amount_decimal: Stripe.Decimal.from(String(unitAmount)),
    custom_unit_amount: null,
    transform_quantity: null,
    nickname: optionalString(body, "nickname") ?? null,
    lookup_key: lookupKey,
    metadata: metadata(body),
    recurring,
    type: recurring ? "recurring" : "one_time",
  };
  context.state.prices.set(price.id, price);
  return price;
}

/** A lookup key names one price: taking it from another needs `transfer_lookup_key`, as on Stripe. */
function releaseLookupKey(context: FakeContext, lookupKey: string, transfer: boolean | undefined): void {
  for (const price of context.state.prices.values()) {
    if (price.lookup_key !== lookupKey) continue;
    if (!transfer) {
      throw parameterInvalid(
        "lookup_key",
        `A price (\`${price.id}\`) already uses that lookup key. Pass \`transfer_lookup_key\` to move it.`,
      );
    }
    price.lookup_key = null;
  }
}

function retrievePrice(context: FakeContext, request: RouteRequest): Stripe.Price {
  const id = param(request);
  const price = context.state.prices.get(id);
  if (!price) throw resourceMissing("price", id);
  return price;
}

function listPrices(context: FakeContext, { body }: RouteRequest): Stripe.ApiList<Stripe.Price> {
  const lookupKeys = (optionalArray(body, "lookup_keys") ?? []).filter((key) => typeof key === "string");
  const active = optionalBoolean(body, "active");
  const product = optionalString(body, "product");
  const prices = [...context.state.prices.values()].filter(
    (price) =>
      (lookupKeys.length === 0 || (price.lookup_key !== null && lookupKeys.includes(price.lookup_key))) &&
      (active === undefined || price.active === active) &&
      (product === undefined || price.product === product),
  );
  return listOf(prices.reverse(), "/v1/prices", optionalInteger(body, "limit"));
}

export const priceRoutes: Route[] = [
  { method: "POST", path: /^\/v1\/prices$/, handle: createPrice },
  { method: "GET", path: /^\/v1\/prices$/, handle: listPrices },
  { method: "GET", path: /^\/v1\/prices\/([^/]+)$/, handle: retrievePrice },
];
