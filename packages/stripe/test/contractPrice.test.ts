import { describe, expect, it } from "vitest";
import { CUSTOM_ENTERPRISE_PRODUCT } from "../src/ensureContractPrice";
import { requestsTo, startStripe } from "./stripeHarness";

const acmeContract = {
  contractId: "acme_enterprise_v1",
  amount: 19900,
  currency: "usd",
  interval: "month",
} as const;

describe("ensureContractPrice", () => {
  it("two contracts are two prices under one Custom Enterprise product", async () => {
    const { fake, provider } = await startStripe();

    const acme = await provider.ensureContractPrice(acmeContract);
    const cronicorn = await provider.ensureContractPrice({
      contractId: "cronicorn_v1",
      amount: 199000,
      currency: "usd",
      interval: "year",
    });

    expect(acme).not.toBe(cronicorn);
    expect([...fake.state.products.values()]).toEqual([
      expect.objectContaining({ id: CUSTOM_ENTERPRISE_PRODUCT.id, name: "Custom Enterprise" }),
    ]);
    expect(fake.state.prices.get(acme)).toMatchObject({
      product: CUSTOM_ENTERPRISE_PRODUCT.id,
      unit_amount: 19900,
      currency: "usd",
      type: "recurring",
      recurring: { interval: "month", interval_count: 1, usage_type: "licensed" },
      metadata: { tollgate_contract_id: "acme_enterprise_v1" },
    });
    expect(fake.state.prices.get(cronicorn)).toMatchObject({
      unit_amount: 199000,
      recurring: { interval: "year" },
    });
  });

  it("the same contract terms find the same price by lookup key, creating nothing", async () => {
    const { fake, provider } = await startStripe();
    const first = await provider.ensureContractPrice(acmeContract);
    const creations = requestsTo(fake, "POST", /^\/v1\/prices$/).length;

    expect(await provider.ensureContractPrice(acmeContract)).toBe(first);
    expect(requestsTo(fake, "POST", /^\/v1\/prices$/)).toHaveLength(creations);
    expect(fake.state.prices.size).toBe(1);
  });

  it("new terms for a contract are a new price; the old one stays for existing subscriptions", async () => {
    const { fake, provider } = await startStripe();
    const before = await provider.ensureContractPrice(acmeContract);
    const after = await provider.ensureContractPrice({ ...acmeContract, amount: 24900 });

    expect(after).not.toBe(before);
    expect(fake.state.prices.get(after)?.unit_amount).toBe(24900);
    expect(fake.state.prices.get(before)?.unit_amount).toBe(19900);
  });

  it("a contract whose price was archived gets a new price that takes over the lookup key", async () => {
    const { fake, provider } = await startStripe();
    const archived = await provider.ensureContractPrice(acmeContract);
    const price = fake.state.prices.get(archived);
    if (price) price.active = false;

    const replacement = await provider.ensureContractPrice(acmeContract);

    expect(replacement).not.toBe(archived);
    expect(fake.state.prices.get(archived)?.lookup_key).toBeNull();
    expect(fake.state.prices.get(replacement)?.lookup_key).toBe(
      "tollgate:contract:acme_enterprise_v1:month:usd:19900",
    );
  });
});
