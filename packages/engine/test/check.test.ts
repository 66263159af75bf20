import { PlanTerms } from "@tollgate/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admin, live, openTestEngine, type TestEngine } from "./testEngine";

let t: TestEngine;
const system = { id: "test_system", role: "system" };
const START = "2026-06-15T12:30:00Z";
const PERIOD_END = "2026-07-15T12:30:00.000Z";
const customer = live("checker");

beforeAll(async () => {
  t = await openTestEngine(START);
  const { engine } = t;
  for (const key of ["chat", "beta", "sso"]) {
    await engine.features.create({ key, name: key, type: "boolean" }, admin());
  }
  for (const key of ["support", "projects"]) {
    await engine.features.create({ key, name: key, type: "config" }, admin());
  }
  for (const key of ["tokens", "calls", "bursts", "storage", "events"]) {
    await engine.features.create({ key, name: key, type: "metered" }, admin());
  }
  await engine.plans.create(
    { key: "pro", custom: false, env: "live" },
    PlanTerms.parse({
      name: "Pro",
      basePrice: 2000,
      entitlements: {
        chat: {},
        beta: { enabled: false },
        support: { value: "priority" },
        projects: { value: 20 },
        tokens: { limit: 1000, window: "period", enforcement: "block" },
        calls: { limit: 50, window: "day", enforcement: "throttle" },
        bursts: { limit: 10, window: "hour", enforcement: "grace" },
        storage: {
          limit: 5,
          window: "never",
          enforcement: "billable_overage",
          overage: { unitAmount: "0.10" },
        },
        events: {},
      },
    }),
    admin("catalog"),
  );
  await engine.customers.upsert("live", { id: customer.customerId }, system);
  await engine.subscriptions.assign(customer, { planKey: "pro" }, admin("signed up"));
});
afterAll(() => t.database.close());

const check = (feature: string, quantity = 1) => t.engine.entitlements.check(customer, { feature, quantity });

describe("boolean features", () => {
  it("an enabled feature is allowed", async () => {
    expect(await check("chat")).toMatchObject({ allowed: true, feature: "chat", reason: "enabled", used: 0 });
  });

  it("a feature the plan lists as disabled is refused", async () => {
    expect(await check("beta")).toMatchObject({
      allowed: false,
      feature: "beta",
      reason: "feature_disabled",
    });
  });

  it("a feature the plan does not list is refused", async () => {
    expect(await check("sso")).toEqual({
      allowed: false,
      feature: "sso",
      enforcement: null,
      limit: null,
      used: 0,
      remaining: null,
      unlimited: false,
      resetsAt: null,
      reason: "feature_not_in_plan",
      message: expect.stringContaining("sso"),
    });
  });
});

describe("config features", () => {
  it("answers the configured value", async () => {
    expect(await check("support")).toMatchObject({ allowed: true, reason: "enabled", value: "priority" });
    expect(await check("projects")).toMatchObject({ allowed: true, value: 20 });
  });
});

describe("metered features", () => {
  it("answers limit, used 0, remaining and the period end as resetsAt", async () => {
    expect(await check("tokens")).toMatchObject({
      allowed: true,
      reason: "within_limit",
      enforcement: "block",
      limit: 1000,
      used: 0,
      remaining: 1000,
      unlimited: false,
      resetsAt: PERIOD_END,
    });
  });

  it("allows up to the limit and blocks past it", async () => {
    expect(await check("tokens", 1000)).toMatchObject({ allowed: true, reason: "within_limit" });
    expect(await check("tokens", 1001)).toMatchObject({
      allowed: false,
      reason: "limit_exceeded",
      remaining: 1000,
    });
  });

  it("resets day windows at the next UTC midnight and throttles past the limit (1 a minute by default)", async () => {
    expect(await check("calls")).toMatchObject({ limit: 50, resetsAt: "2026-06-16T00:00:00.000Z" });
    expect(await check("calls", 51)).toMatchObject({ allowed: true, reason: "throttle_admitted" });
    expect(await check("calls", 52)).toMatchObject({
      allowed: false,
      reason: "throttled",
      enforcement: "throttle",
      retryAfter: 60,
    });
  });

  it("resets hour windows at the next hour and allows past the limit under grace", async () => {
    expect(await check("bursts")).toMatchObject({ limit: 10, resetsAt: "2026-06-15T13:00:00.000Z" });
    expect(await check("bursts", 11)).toMatchObject({ allowed: true, reason: "grace_over_limit" });
  });

  it("never resets a `never` window and prices overage under billable_overage", async () => {
    expect(await check("storage")).toMatchObject({ limit: 5, remaining: 5, resetsAt: null });
    expect(await check("storage", 7)).toMatchObject({
      allowed: true,
      reason: "overage",
      overage: { quantity: 2, amount: 20, currency: "usd" },
    });
  });

  it("a metered feature without a limit is unlimited", async () => {
    expect(await check("events", 1_000_000)).toMatchObject({
      allowed: true,
      reason: "unlimited",
      enforcement: "allow",
      limit: null,
      remaining: null,
      unlimited: true,
      resetsAt: PERIOD_END,
    });
  });

  it("never records usage", async () => {
    await check("tokens", 600);
    await check("tokens", 600);
    expect(await check("tokens")).toMatchObject({ used: 0, remaining: 1000 });
    const view = await t.engine.entitlements.get(customer);
    expect(view.entitlements.find((e) => e.feature === "tokens")).toMatchObject({
      used: 0,
      remaining: 1000,
      resetsAt: PERIOD_END,
    });
  });
});

describe("unknown names", () => {
  it("an unknown customer is refused with customer_not_found", async () => {
    await expect(
      t.engine.entitlements.check(live("ghost"), { feature: "chat", quantity: 1 }),
    ).rejects.toMatchObject({ code: "customer_not_found", type: "not_found" });
  });

  it("a customer id from the other environment is unknown here", async () => {
    await expect(
      t.engine.entitlements.check(
        { env: "test", customerId: customer.customerId },
        { feature: "chat", quantity: 1 },
      ),
    ).rejects.toMatchObject({ code: "customer_not_found" });
  });

  it("an unknown feature is a refusal, not an error", async () => {
    expect(await check("teleport")).toMatchObject({
      allowed: false,
      feature: "teleport",
      reason: "feature_not_in_plan",
    });
  });

  it("a customer without a plan is refused with no_subscription", async () => {
    await t.engine.customers.upsert("live", { id: "planless" }, system);
    expect(
      await t.engine.entitlements.check(live("planless"), { feature: "chat", quantity: 1 }),
    ).toMatchObject({
      allowed: false,
      reason: "no_subscription",
    });
  });
});

describe("checkCached", () => {
  const inputs = [
    { feature: "chat", quantity: 1 },
    { feature: "beta", quantity: 1 },
    { feature: "sso", quantity: 1 },
    { feature: "support", quantity: 1 },
    { feature: "tokens", quantity: 1 },
    { feature: "tokens", quantity: 5000 },
    { feature: "storage", quantity: 9 },
  ];

  it("is undefined before the customer is warm, and the same decision as check after", async () => {
    const ref = live("cached");
    await t.engine.customers.upsert("live", { id: ref.customerId }, system);
    await t.engine.subscriptions.assign(ref, { planKey: "pro" }, admin("signed up"));
    for (const input of inputs) expect(t.engine.entitlements.checkCached(ref, input)).toBeUndefined();

    const first = await t.engine.entitlements.check(ref, { feature: "chat", quantity: 1 });
    expect(t.engine.entitlements.checkCached(ref, { feature: "chat", quantity: 1 })).toEqual(first);
    for (const input of inputs) {
      const decision = await t.engine.entitlements.check(ref, input);
      expect(t.engine.entitlements.checkCached(ref, input), input.feature).toEqual(decision);
    }
  });

  it("stops answering at the period end, and after a catalog change", async () => {
    const ref = live("cached_boundaries");
    t.clock.set(START);
    await t.engine.customers.upsert("live", { id: ref.customerId }, system);
    await t.engine.subscriptions.assign(ref, { planKey: "pro" }, admin("signed up"));
    await t.engine.entitlements.check(ref, { feature: "tokens", quantity: 1 });
    expect(t.engine.entitlements.checkCached(ref, { feature: "tokens", quantity: 1 })).toBeDefined();

    await t.engine.features.create({ key: "new_thing", name: "New thing", type: "boolean" }, admin("launch"));
    expect(t.engine.entitlements.checkCached(ref, { feature: "tokens", quantity: 1 })).toBeUndefined();

    await t.engine.entitlements.check(ref, { feature: "tokens", quantity: 1 });
    t.clock.set(PERIOD_END);
    expect(t.engine.entitlements.checkCached(ref, { feature: "tokens", quantity: 1 })).toBeUndefined();
    expect(await t.engine.entitlements.check(ref, { feature: "tokens", quantity: 1 })).toMatchObject({
      resetsAt: "2026-08-15T12:30:00.000Z",
    });
    t.clock.set(START);
  });
});
