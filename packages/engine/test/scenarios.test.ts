import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../src/index";
import { admin, live, openTestEngine, type TestEngine } from "./testEngine";

/** The design's "scenarios that must work", on the demo seed. */
let t: TestEngine;
const system = { id: "test_system", role: "system" };

beforeAll(async () => {
  t = await openTestEngine();
  expect(await seedDemo(t.engine)).toEqual({ seeded: true });
});
afterAll(() => t.database.close());

async function teamProV1() {
  const { versions } = await t.engine.plans.get("team_pro");
  const v1 = versions.find((v) => v.version === 1);
  if (!v1) throw new Error("team_pro has no version 1");
  return v1;
}

async function onlyOverrideSet(customerId: string) {
  const sets = await t.engine.overrides.list(live(customerId));
  expect(sets).toHaveLength(1);
  const [set] = sets;
  if (!set) throw new Error(`${customerId} has no override set`);
  return set;
}

describe("customers.list({ custom: true })", () => {
  it("returns exactly the customers on custom plans or with overrides in force", async () => {
    const all = await t.engine.customers.list({ env: "live", limit: 100 });
    expect(all.data.map((c) => c.id)).toEqual([
      "acme",
      "advisor_grace",
      "cronicorn",
      "emp_ada",
      "globex",
      "initech",
      "umbrella",
    ]);
    const custom = await t.engine.customers.list({ env: "live", custom: true, limit: 100 });
    expect(custom.data.map((c) => c.id)).toEqual(["acme", "advisor_grace", "cronicorn", "emp_ada"]);
    expect(custom.hasMore).toBe(false);
  });

  it("leaves out overrides that are not in force yet, and cleared ones", async () => {
    await t.engine.customers.upsert("live", { id: "list_future" }, system);
    await t.engine.subscriptions.assign(live("list_future"), { planKey: "standard" }, admin());
    await t.engine.overrides.set(
      live("list_future"),
      { overrides: { seatLimit: 20 }, effectiveFrom: new Date("2026-09-01T00:00:00Z") },
      admin("deal starts in September"),
    );
    await t.engine.customers.upsert("live", { id: "list_cleared" }, system);
    await t.engine.subscriptions.assign(live("list_cleared"), { planKey: "standard" }, admin());
    await t.engine.overrides.set(live("list_cleared"), { overrides: { seatLimit: 20 } }, admin("trial deal"));
    expect(
      (await t.engine.customers.list({ env: "live", custom: true, limit: 100 })).data.map((c) => c.id),
    ).toContain("list_cleared");
    await t.engine.overrides.clear(live("list_cleared"), admin("trial deal over"));

    const custom = await t.engine.customers.list({ env: "live", custom: true, limit: 100 });
    expect(custom.data.map((c) => c.id)).toEqual(["acme", "advisor_grace", "cronicorn", "emp_ada"]);
  });
});

describe("Acme Corp Enterprise", () => {
  it("resolves to team_pro's features plus infra_dedicated and sla_custom", async () => {
    const base = await teamProV1();
    const view = await t.engine.entitlements.get(live("acme"));
    expect(view.plan).toEqual({
      key: "team_pro",
      version: 1,
      name: "Team Pro",
      label: "Acme Corp Enterprise",
      kind: "standard",
      custom: false,
      currency: "usd",
      interval: "month",
    });
    const expected = [...Object.keys(base.entitlements), "infra_dedicated", "sla_custom"].sort();
    expect(view.entitlements.map((e) => e.feature).sort()).toEqual(expected);
    for (const e of view.entitlements) expect(e.enabled, e.feature).toBe(true);
    const aiTokens = view.entitlements.find((e) => e.feature === "ai_tokens");
    expect(aiTokens).toMatchObject({
      limit: 1_000_000,
      enforcement: "billable_overage",
      overage: { unitAmount: "0.0004" },
    });
    expect(view.entitlements.find((e) => e.feature === "support.tier")?.value).toBe("priority");
  });

  it("has 500 credits per seat at 0.70, a 50-seat cap and its custom Stripe price", async () => {
    const view = await t.engine.entitlements.get(live("acme"));
    expect(view.seats).toEqual({ limit: 50, used: 0, unlimited: false, price: 0, included: 0 });
    expect(view.credits).toMatchObject({ perSeat: 500, unlimited: false, price: "0.70" });
    const resolved = await t.engine.entitlements.resolved(live("acme"));
    expect(resolved.effective?.providerPriceIds).toEqual(["price_acme_enterprise"]);
    expect(resolved.effective?.basePrice).toBe(4900);
    expect(resolved.effective?.skipBilling).toBe(false);
  });

  it("explains overridden values by the override row and the rest by the plan version", async () => {
    const set = await onlyOverrideSet("acme");
    expect(set.reason).toBe("Acme MSA signed 2026-03-01");
    const base = await teamProV1();
    const fromOverride = { kind: "override", id: set.id };
    const fromPlan = { kind: "plan_version", id: base.id };

    const view = await t.engine.entitlements.get(live("acme"), { explain: true });
    const plan = view.explain?.plan ?? {};
    for (const field of ["label", "seats.limit", "credits.perSeat", "credits.price", "providerPriceIds"]) {
      expect(plan[field], field).toEqual([expect.objectContaining(fromOverride)]);
    }
    for (const field of ["basePrice", "credits.neverExpire"]) {
      expect(plan[field], field).toEqual([expect.objectContaining(fromPlan)]);
    }
    for (const e of view.entitlements) {
      const expectedSource = ["infra_dedicated", "sla_custom"].includes(e.feature) ? fromOverride : fromPlan;
      expect(e.source, e.feature).toMatchObject(expectedSource);
      expect(e.explain?.enabled, e.feature).toEqual([expect.objectContaining(expectedSource)]);
    }
    expect(view.explain?.notes).toEqual([]);
  });

  it("checks the extra features as enabled, where a plain team_pro customer is refused", async () => {
    await t.engine.customers.upsert("live", { id: "plain_team_pro" }, system);
    await t.engine.subscriptions.assign(live("plain_team_pro"), { planKey: "team_pro" }, admin());
    for (const feature of ["infra_dedicated", "sla_custom"]) {
      const acme = await t.engine.entitlements.check(live("acme"), { feature, quantity: 1 });
      expect(acme, feature).toMatchObject({ allowed: true, reason: "enabled" });
      const plain = await t.engine.entitlements.check(live("plain_team_pro"), { feature, quantity: 1 });
      expect(plain, feature).toMatchObject({ allowed: false, reason: "feature_not_in_plan" });
    }
    const plain = await t.engine.entitlements.get(live("plain_team_pro"));
    expect(plain.plan?.label).toBe("Team Pro");
    expect(plain.seats?.limit).toBe(25);
    expect(plain.credits).toMatchObject({ perSeat: 100, price: "1.00" });
  });
});

describe("Employee plan", () => {
  async function employeeRule() {
    const rules = await t.engine.provisioningRules.list();
    const rule = rules.find((r) => r.planKey === "team_pro");
    if (!rule) throw new Error("the demo has no employee provisioning rule");
    return rule;
  }

  it("provisions a verified email at the company domain onto team_pro with the employee overrides", async () => {
    const rule = await employeeRule();
    expect(rule.domain).toBe("tollgate.dev");
    const result = await t.engine.customers.upsert(
      "live",
      { id: "emp_new", name: "New hire", email: `new.hire@${rule.domain}`, emailVerified: true },
      system,
    );
    expect(result.created).toBe(true);
    expect(result.provisionedBy).toBe(rule.id);

    const view = await t.engine.entitlements.get(live("emp_new"));
    expect(view.plan).toMatchObject({ key: "team_pro", label: "Employee Plan" });
    expect(view.credits).toMatchObject({ perSeat: -1, unlimited: true, price: "0", balance: null });
    expect(view.entitlements.find((e) => e.feature === "infra_dedicated")?.enabled).toBe(true);
    const resolved = await t.engine.entitlements.resolved(live("emp_new"));
    expect(resolved.effective?.skipBilling).toBe(true);

    const history = await t.engine.customers.history(live("emp_new"));
    expect(history.subscriptions.map((s) => s.planKey)).toEqual(["team_pro"]);
    expect(history.subscriptions[0]?.reason).toContain(rule.id);
    expect(history.entries.map((e) => e.action)).toEqual([
      "overrides.set",
      "subscription.assigned",
      "customer.created",
    ]);
  });

  it("provisions nothing for the same email unverified", async () => {
    const rule = await employeeRule();
    const result = await t.engine.customers.upsert(
      "live",
      { id: "emp_unverified", email: `new.hire@${rule.domain}`, emailVerified: false },
      system,
    );
    expect(result.provisionedBy).toBeNull();
    const view = await t.engine.entitlements.get(live("emp_unverified"));
    expect(view.plan).toBeNull();
    expect(view.entitlements).toEqual([]);
    expect(await t.engine.overrides.list(live("emp_unverified"))).toEqual([]);
    const decision = await t.engine.entitlements.check(live("emp_unverified"), {
      feature: "infra_dedicated",
      quantity: 1,
    });
    expect(decision).toMatchObject({ allowed: false, reason: "no_subscription" });
  });

  it("provisions once the email is verified, and never moves a customer who already has a plan", async () => {
    const rule = await employeeRule();
    await t.engine.customers.upsert("live", { id: "emp_later", email: `later@${rule.domain}` }, system);
    expect((await t.engine.entitlements.get(live("emp_later"))).plan).toBeNull();
    const verified = await t.engine.customers.upsert(
      "live",
      { id: "emp_later", emailVerified: true },
      system,
    );
    expect(verified.provisionedBy).toBe(rule.id);
    expect((await t.engine.entitlements.get(live("emp_later"))).plan?.label).toBe("Employee Plan");

    const acme = await t.engine.customers.upsert(
      "live",
      { id: "acme", email: `cto@${rule.domain}`, emailVerified: true },
      system,
    );
    expect(acme.provisionedBy).toBeNull();
    expect((await t.engine.entitlements.get(live("acme"))).plan?.label).toBe("Acme Corp Enterprise");
  });

  it("leaves off the plan an employee an admin took off it, when the product later updates them", async () => {
    const rule = await employeeRule();
    const email = `leaver@${rule.domain}`;
    await t.engine.customers.upsert("live", { id: "emp_leaver", email, emailVerified: true }, system);
    await t.engine.subscriptions.cancel(live("emp_leaver"), {}, admin("left the company"));

    const renamed = await t.engine.customers.upsert(
      "live",
      { id: "emp_leaver", name: "Leaver", email, emailVerified: true },
      system,
    );
    expect(renamed.provisionedBy).toBeNull();
    expect((await t.engine.entitlements.get(live("emp_leaver"))).plan).toBeNull();

    const rehired = await t.engine.customers.upsert(
      "live",
      { id: "emp_leaver", email: `rehired@${rule.domain}`, emailVerified: true },
      system,
    );
    expect(rehired.provisionedBy).toBe(rule.id);
  });
});

describe("Advisor plan", () => {
  it("is personal_pro with 1000 credits a month, free, skip billing, set by an admin with a reason", async () => {
    const view = await t.engine.entitlements.get(live("advisor_grace"));
    expect(view.plan).toMatchObject({ key: "personal_pro", label: "Advisor Plan", custom: false });
    expect(view.credits).toMatchObject({ perSeat: 1000, unlimited: false });
    const resolved = await t.engine.entitlements.resolved(live("advisor_grace"));
    expect(resolved.effective?.interval).toBe("month");
    expect(resolved.effective?.basePrice).toBe(0);
    expect(resolved.effective?.skipBilling).toBe(true);

    const set = await onlyOverrideSet("advisor_grace");
    expect(resolved.effective?.explain.basePrice).toEqual([expect.objectContaining({ id: set.id })]);
    const history = await t.engine.customers.history(live("advisor_grace"));
    const entry = history.entries.find((e) => e.action === "overrides.set");
    expect(entry).toMatchObject({
      actorId: "seed",
      reason: "advisory agreement: free, 1000 credits a month",
      after: expect.objectContaining({ id: set.id }),
    });
  });
});

describe("Cronicorn deal", () => {
  it("is a custom plan at $199/month with 500 endpoints and 5M AI tokens, effective-dated", async () => {
    const { plan, versions } = await t.engine.plans.get("cronicorn_custom");
    expect(plan).toMatchObject({ kind: "custom", isCustom: true, customerId: "cronicorn" });
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({
      basePrice: 19_900,
      currency: "usd",
      interval: "month",
      effectiveFrom: new Date("2026-01-01T00:00:00Z"),
      effectiveTo: new Date("2028-01-01T00:00:00Z"),
    });

    const view = await t.engine.entitlements.get(live("cronicorn"));
    expect(view.plan).toMatchObject({ key: "cronicorn_custom", custom: true, kind: "custom" });
    const byFeature = new Map(view.entitlements.map((e) => [e.feature, e]));
    expect(byFeature.get("endpoints")).toMatchObject({
      limit: 500,
      window: "never",
      enforcement: "block",
      resetsAt: null,
    });
    expect(byFeature.get("ai_tokens")).toMatchObject({
      limit: 5_000_000,
      window: "period",
      enforcement: "block",
      resetsAt: view.subscription?.periodEnd,
    });
    const resolved = await t.engine.entitlements.resolved(live("cronicorn"));
    expect(resolved.effective?.basePrice).toBe(19_900);
  });

  it("was assigned with a reason that the plan history shows", async () => {
    const history = await t.engine.customers.history(live("cronicorn"));
    expect(history.subscriptions).toHaveLength(1);
    expect(history.subscriptions[0]).toMatchObject({
      planKey: "cronicorn_custom",
      planVersionId: "pv_cronicorn_custom_1",
      reason: "Cronicorn order form CF-1042",
      effectiveTo: null,
    });
    const assigned = history.entries.find((e) => e.action === "subscription.assigned");
    expect(assigned).toMatchObject({
      actorId: "seed",
      planKey: "cronicorn_custom",
      reason: "Cronicorn order form CF-1042",
      before: null,
      after: expect.objectContaining({ planKey: "cronicorn_custom", planVersion: 1, change: "new" }),
    });
  });
});
