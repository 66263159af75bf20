import { PlanTerms } from "@tollgate/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admin, live, openTestEngine, type TestEngine } from "../testEngine";

let t: TestEngine;

beforeAll(async () => {
  t = await openTestEngine("2026-06-15T12:00:00Z");
  const { engine } = t;
  await engine.features.create({ key: "api", name: "API", type: "boolean" }, admin());
  await engine.features.create(
    { key: "tokens", name: "Tokens", type: "metered", aggregation: "sum" },
    admin(),
  );
  await engine.features.create(
    { key: "storage", name: "Storage GB", type: "metered", aggregation: "latest" },
    admin(),
  );
  await engine.features.create({ key: "runs", name: "Runs", type: "metered", aggregation: "sum" }, admin());
  await engine.plans.create(
    { key: "growth", custom: false, env: "live" },
    PlanTerms.parse({
      name: "Growth",
      basePrice: 4900,
      entitlements: {
        api: {},
        tokens: { limit: 1000, enforcement: "billable_overage", overage: { unitAmount: "0.0004" } },
        storage: {
          limit: 50,
          window: "never",
          enforcement: "billable_overage",
          overage: { unitAmount: "1" },
        },
        runs: { limit: null, enforcement: "allow" },
      },
      prices: [
        {
          feature: "storage",
          model: "graduated",
          tiers: [
            { upTo: 50, unitAmount: "0" },
            { upTo: null, unitAmount: "0.10" },
          ],
        },
        { feature: "runs", model: "package", packageSize: 100, amount: 500 },
      ],
    }),
    admin(),
  );
  for (const id of ["buyer", "advisor", "nobody"])
    await engine.customers.upsert("live", { id }, admin().actor);
  for (const id of ["buyer", "advisor"])
    await engine.subscriptions.assign(live(id), { planKey: "growth" }, admin());
  await engine.overrides.set(
    live("advisor"),
    { overrides: { monthlyBase: 0, skipBilling: true, planLabel: "Advisor" } },
    admin("advisor agreement"),
  );
});
afterAll(() => t.database.close());

const track = (customerId: string, feature: string, id: string, quantity: number) =>
  t.engine.usage.track("live", { customerId, feature, id, quantity });

describe("the upcoming invoice", () => {
  it("rates the base fee, each usage price and the overage of unpriced features, each line rounded once", async () => {
    await track("buyer", "tokens", "t1", 1_000);
    await track("buyer", "tokens", "t2", 1_234_567); // 1,234,567 past the limit × $0.0004 = $493.8268
    await track("buyer", "storage", "s1", 40);
    await track("buyer", "storage", "s2", 72); // a gauge: 72 GB now, 22 past the free 50 at $0.10
    await track("buyer", "runs", "r1", 250); // 3 packages of 100 at $5.00
    t.clock.advance(3 * 3_600_000);

    const invoice = await t.engine.invoices.upcoming(live("buyer"));
    expect(invoice).toMatchObject({
      currency: "usd",
      periodStart: "2026-06-15T12:00:00.000Z",
      periodEnd: "2026-07-15T12:00:00.000Z",
      plan: { key: "growth", version: 1, label: "Growth" },
      skipBilling: false,
    });
    const byKind = invoice.lines.map((l) => [l.kind, l.feature, l.quantity, l.amount, l.exactAmount]);
    expect(byKind).toEqual([
      ["base", null, 1, 4900, "4900"],
      ["usage", "storage", 72, 220, "220"],
      ["usage", "runs", 250, 1500, "1500"],
      ["overage", "tokens", 1_234_567, 49_383, "49382.68"],
    ]);
    expect(invoice.subtotal).toBe(4900 + 220 + 1500 + 49_383);
    expect(invoice.amountDue).toBe(invoice.subtotal);
    // A feature with a usage price is rated by it, never also billed as overage.
    expect(invoice.lines.filter((l) => l.feature === "storage")).toHaveLength(1);
    expect(invoice.lines[1]?.breakdown?.map((p) => [p.tier, p.units, p.amount])).toEqual([
      [0, 50, "0"],
      [1, 22, "220"],
    ]);
  });

  it("shows an override's monthly base with its source, and charges a skip-billing customer nothing", async () => {
    const invoice = await t.engine.invoices.upcoming(live("advisor"));
    expect(invoice.lines[0]).toMatchObject({
      kind: "base",
      amount: 0,
      source: { kind: "override" },
      description: expect.stringContaining("Advisor"),
    });
    expect(invoice).toMatchObject({ skipBilling: true, amountDue: 0 });
  });

  it("answers no_subscription for a customer on no plan", async () => {
    await expect(t.engine.invoices.upcoming(live("nobody"))).rejects.toMatchObject({
      code: "no_subscription",
    });
  });
});

describe("closing a period", () => {
  it("stores each ended period's invoice once, its lines summing to the subtotal; a re-run creates none", async () => {
    const preview = await t.engine.invoices.upcoming(live("buyer"));
    t.clock.set("2026-07-15T12:00:05Z");
    const first = await t.engine.invoices.finalizeDue();
    expect(first).toMatchObject({ created: 2, existing: 0 });

    const [invoice] = await t.engine.invoices.list(live("buyer"));
    expect(invoice).toMatchObject({
      periodStart: new Date("2026-06-15T12:00:00Z"),
      periodEnd: new Date("2026-07-15T12:00:00Z"),
      planKey: "growth",
      subtotal: preview.subtotal,
      amountDue: preview.subtotal,
      status: "open",
    });
    const lines = invoice?.lines as { amount: number }[];
    expect(lines.reduce((sum, l) => sum + l.amount, 0)).toBe(invoice?.subtotal);
    expect((await t.engine.invoices.list(live("advisor")))[0]).toMatchObject({
      amountDue: 0,
      skipBilling: true,
    });

    expect(await t.engine.invoices.finalizeDue()).toMatchObject({ created: 0, existing: 2 });
    const next = await t.engine.invoices.upcoming(live("buyer"));
    expect(next.periodStart).toBe("2026-07-15T12:00:00.000Z");
    expect(next.lines.find((l) => l.feature === "tokens")?.quantity).toBe(0);
  });
});

describe("a period split between contracts", () => {
  it("bills each contract's base price for its share of the period, to the second", async () => {
    await t.engine.plans.create(
      { key: "starter", custom: false, env: "live" },
      PlanTerms.parse({ name: "Starter", basePrice: 3000, entitlements: { api: {} } }),
      admin(),
    );
    await t.engine.plans.create(
      { key: "scale", custom: false, env: "live" },
      PlanTerms.parse({ name: "Scale", basePrice: 6000, entitlements: { api: {} } }),
      admin(),
    );
    t.clock.set("2026-09-01T00:00:00Z");
    await t.engine.customers.upsert("live", { id: "grower" }, admin().actor);
    await t.engine.subscriptions.assign(live("grower"), { planKey: "starter" }, admin("signed up"));
    t.clock.set("2026-09-11T00:00:00Z"); // 10 of September's 30 days on Starter
    const upgrade = await t.engine.subscriptions.assign(live("grower"), { planKey: "scale" }, admin("grew"));
    expect(upgrade).toMatchObject({ change: "upgrade", scheduled: false });
    t.clock.set("2026-10-01T00:00:05Z");
    await t.engine.invoices.finalizeDue();

    const [invoice] = await t.engine.invoices.list(live("grower"));
    const lines = invoice?.lines as { kind: string; description: string; amount: number }[];
    expect(lines.map((l) => [l.kind, l.amount])).toEqual([
      ["base", 1000],
      ["base", 4000],
    ]);
    expect(lines[0]?.description).toContain("Starter");
    expect(invoice).toMatchObject({ planKey: "scale", subtotal: 5000, amountDue: 5000 });
  });

  it("rates the usage recorded under each contract at its own prices, tiers and limits continuing through the period", async () => {
    await t.engine.features.create(
      { key: "calls", name: "Calls", type: "metered", aggregation: "sum" },
      admin(),
    );
    const plan = (key: string, basePrice: number, tokens: object, callLimit: number) =>
      t.engine.plans.create(
        { key, custom: false, env: "live" },
        PlanTerms.parse({
          name: key,
          basePrice,
          entitlements: {
            tokens: { limit: null, enforcement: "allow" },
            calls: { limit: callLimit, enforcement: "billable_overage", overage: { unitAmount: "0.10" } },
          },
          prices: [{ feature: "tokens", ...tokens }],
        }),
        admin(),
      );
    await plan(
      "small",
      3000,
      {
        model: "graduated",
        tiers: [
          { upTo: 1000, unitAmount: "0.01" },
          { upTo: null, unitAmount: "0.005" },
        ],
      },
      100,
    );
    await plan("big", 6000, { model: "per_unit", unitAmount: "0.002" }, 1000);
    t.clock.set("2026-11-01T00:00:00Z");
    await t.engine.customers.upsert("live", { id: "mover" }, admin().actor);
    await t.engine.subscriptions.assign(live("mover"), { planKey: "small" }, admin("signed up"));
    t.clock.set("2026-11-05T10:00:00Z");
    await track("mover", "tokens", "m1", 800);
    await track("mover", "calls", "m2", 150); // 50 past Small's 100
    t.clock.set("2026-11-11T00:00:00Z"); // 10 of November's 30 days on Small
    await t.engine.subscriptions.assign(live("mover"), { planKey: "big" }, admin("grew"));
    t.clock.set("2026-11-20T08:00:00Z");
    await track("mover", "tokens", "m3", 700); // the period's tokens go from 800 to 1500
    await track("mover", "calls", "m4", 200); // 150 → 350, under Big's 1000
    t.clock.set("2026-11-25T00:00:00Z");
    const preview = await t.engine.invoices.upcoming(live("mover"));

    t.clock.set("2026-12-01T00:00:05Z");
    await t.engine.invoices.finalizeDue();
    const [invoice] = await t.engine.invoices.list(live("mover"));
    const lines = invoice?.lines as {
      kind: string;
      feature: string | null;
      quantity: number;
      amount: number;
      periodStart: string;
    }[];
    expect(lines.map((l) => [l.kind, l.feature, l.quantity, l.amount, l.periodStart])).toEqual([
      ["base", null, 1, 1000, "2026-11-01T00:00:00.000Z"],
      ["usage", "tokens", 800, 800, "2026-11-01T00:00:00.000Z"], // 800 × $0.01 in Small's first tier
      ["overage", "calls", 50, 500, "2026-11-01T00:00:00.000Z"], // 50 × $0.10
      ["base", null, 1, 4000, "2026-11-11T00:00:00.000Z"],
      ["usage", "tokens", 700, 140, "2026-11-11T00:00:00.000Z"], // 700 × $0.002 at Big's price
      ["overage", "calls", 0, 0, "2026-11-11T00:00:00.000Z"],
    ]);
    expect(invoice).toMatchObject({ planKey: "big", subtotal: 6440 });
    expect(preview.lines.map((l) => [l.kind, l.feature, l.amount])).toEqual(
      lines.map((l) => [l.kind, l.feature, l.amount]),
    );
  });
});
