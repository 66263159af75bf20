import { type FakeStripe, startFakeStripe } from "@tollgate/stripe/testing";
import Stripe from "stripe";
import { afterEach, describe, expect, it } from "vitest";

const fakes: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

async function started() {
  const fake = await startFakeStripe();
  fakes.push(fake);
  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${fake.apiBase}${path}`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${fake.secretKey}`,
        "Content-Type": "application/x-www-form-urlencoded",
        ...headers,
      },
      body,
    });
  return { fake, post };
}

/** The official SDK pointed at the fake. */
function sdkFor(fake: FakeStripe): Stripe {
  const { hostname, port } = new URL(fake.apiBase);
  return new Stripe(fake.secretKey, { host: hostname, port, protocol: "http", maxNetworkRetries: 0 });
}

describe("the fake Stripe server", () => {
  it("refuses a request without an API key with 401 in Stripe's error shape", async () => {
    const { fake } = await started();

    const response = await fetch(`${fake.apiBase}/v1/customers`, { method: "POST", body: "name=x" });

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: {
        type: "invalid_request_error",
        message: expect.stringContaining("did not provide an API key"),
      },
    });
    expect(fake.state.customers.size).toBe(0);
  });

  it("refuses a key that is not a test key", async () => {
    const { fake } = await started();
    const response = await fetch(`${fake.apiBase}/v1/customers/cus_1`, {
      headers: { Authorization: "Bearer sk_live_123456789" },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: "api_key_invalid" } });
  });

  it("answers an unknown id with 404 resource_missing, as Stripe does", async () => {
    const { fake } = await started();

    const response = await fetch(`${fake.apiBase}/v1/subscriptions/sub_nope`, {
      headers: { Authorization: `Bearer ${fake.secretKey}` },
    });

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: {
        type: "invalid_request_error",
        code: "resource_missing",
        message: "No such subscription: 'sub_nope'",
        param: "id",
      },
    });
  });

  it("gives the SDK Stripe's typed errors", async () => {
    const { fake } = await started();
    const { hostname, port } = new URL(fake.apiBase);
    const stripe = new Stripe(fake.secretKey, {
      host: hostname,
      port,
      protocol: "http",
      maxNetworkRetries: 0,
    });

    await expect(stripe.prices.retrieve("price_nope")).rejects.toMatchObject({
      type: "StripeInvalidRequestError",
      code: "resource_missing",
      statusCode: 404,
    });
    await expect(stripe.subscriptions.create({ customer: "cus_nope", items: [] })).rejects.toMatchObject({
      code: "resource_missing",
      param: "customer",
      statusCode: 404,
    });
  });

  it("answers a missing parameter with 400 parameter_missing naming it", async () => {
    const { post } = await started();
    const response = await post("/v1/products", "description=nameless");
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { type: "invalid_request_error", code: "parameter_missing", param: "name" },
    });
  });

  it("replays the first answer to an idempotency key and refuses the key with other parameters", async () => {
    const { fake, post } = await started();
    const key = { "Idempotency-Key": "key_1" };

    const first = await post("/v1/customers", "name=Acme&metadata[tier]=gold", key);
    const replay = await post("/v1/customers", "name=Acme&metadata[tier]=gold", key);
    const conflict = await post("/v1/customers", "name=Other", key);

    const created = await first.json();
    expect(created).toMatchObject({ object: "customer", name: "Acme", metadata: { tier: "gold" } });
    expect(await replay.json()).toEqual(created);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(conflict.status).toBe(400);
    expect(await conflict.json()).toMatchObject({ error: { type: "idempotency_error" } });
    expect(fake.state.customers.size).toBe(1);
  });

  it("answers an endpoint it does not serve with 404 and Stripe's message", async () => {
    const { post } = await started();
    const response = await post("/v1/charges", "amount=100");
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      error: { type: "invalid_request_error", message: expect.stringContaining("Unrecognized request URL") },
    });
  });

  it("completes a checkout as Stripe does: active subscription, paid invoice, four events", async () => {
    const { fake } = await started();
    const stripe = sdkFor(fake);
    const customer = await stripe.customers.create({ email: "a@b.test" });
    await stripe.products.create({ id: "prod_x", name: "Custom Enterprise" });
    const price = await stripe.prices.create({
      product: "prod_x",
      currency: "usd",
      unit_amount: 5000,
      recurring: { interval: "month" },
    });
    const session = await stripe.checkout.sessions.create({
      mode: "subscription",
      customer: customer.id,
      line_items: [{ price: price.id, quantity: 2 }],
      success_url: "https://ok.test",
    });

    const { subscription, invoice } = fake.completeCheckout(session.id);

    expect(subscription.items.data).toEqual([
      expect.objectContaining({
        object: "subscription_item",
        quantity: 2,
        price: expect.objectContaining({ id: price.id }),
      }),
    ]);
    expect(invoice).toMatchObject({
      object: "invoice",
      status: "paid",
      amount_paid: 10000,
      billing_reason: "subscription_create",
      parent: { subscription_details: { subscription: subscription.id } },
    });
    expect(fake.state.events.map((event) => event.type)).toEqual([
      "customer.subscription.created",
      "invoice.finalized",
      "invoice.paid",
      "checkout.session.completed",
    ]);
  });
});
