import { describe, expect, it } from "vitest";
import { acme, requestsTo, startStripe } from "./stripeHarness";

describe("ensureCustomer", () => {
  it("the same customer twice is one Stripe customer", async () => {
    const { fake, provider } = await startStripe();
    const input = { customer: acme, email: "billing@acme.test", name: "Acme Corp" };

    const first = await provider.ensureCustomer(input);
    const second = await provider.ensureCustomer(input);

    expect(second).toBe(first);
    expect(fake.state.customers.size).toBe(1);
    expect(fake.state.customers.get(first)).toMatchObject({
      object: "customer",
      email: "billing@acme.test",
      name: "Acme Corp",
      metadata: { tollgate_customer_id: "acme", tollgate_env: "test" },
    });
    const keys = requestsTo(fake, "POST", /^\/v1\/customers$/).map((request) => request.idempotencyKey);
    expect(keys).toEqual(["tollgate:customer:test:acme", "tollgate:customer:test:acme"]);
  });

  it("concurrent calls for one customer create one Stripe customer", async () => {
    const { fake, provider } = await startStripe();
    const ids = await Promise.all(
      Array.from({ length: 5 }, () =>
        provider.ensureCustomer({ customer: acme, email: "billing@acme.test" }),
      ),
    );
    expect(new Set(ids).size).toBe(1);
    expect(fake.state.customers.size).toBe(1);
  });

  it("the same id in two environments is two Stripe customers", async () => {
    const { fake, provider } = await startStripe();
    const test = await provider.ensureCustomer({ customer: acme });
    const live = await provider.ensureCustomer({ customer: { env: "live", customerId: "acme" } });
    expect(live).not.toBe(test);
    expect(fake.state.customers.size).toBe(2);
  });

  it("a stored Stripe id that still exists is kept, without creating anything", async () => {
    const { fake, provider } = await startStripe();
    const id = await provider.ensureCustomer({ customer: acme });

    expect(await provider.ensureCustomer({ customer: acme, providerCustomerId: id })).toBe(id);
    expect(requestsTo(fake, "POST", /^\/v1\/customers$/)).toHaveLength(1);
  });

  it("a stored Stripe id whose customer was deleted is replaced by a new customer", async () => {
    const { fake, provider } = await startStripe();
    const id = await provider.ensureCustomer({ customer: acme });
    fake.state.customers.set(id, { id, object: "customer", deleted: true });

    const replacement = await provider.ensureCustomer({ customer: acme, providerCustomerId: id });

    expect(replacement).not.toBe(id);
    expect(requestsTo(fake, "POST", /^\/v1\/customers$/).at(-1)?.idempotencyKey).toBe(
      `tollgate:customer:test:acme:replaces:${id}`,
    );
  });

  it("a stored Stripe id Stripe does not know is replaced by a new customer", async () => {
    const { fake, provider } = await startStripe();
    const id = await provider.ensureCustomer({ customer: acme, providerCustomerId: "cus_unknown" });
    expect(fake.state.customers.has(id)).toBe(true);
  });
});
