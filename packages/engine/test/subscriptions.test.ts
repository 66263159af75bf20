import { PlanTerms } from "@tollgate/core";
import { tables } from "@tollgate/store";
import { and, asc, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Env } from "../src/index";
import { admin, live, openTestEngine, type TestEngine } from "./testEngine";

let t: TestEngine;
const system = { id: "test_system", role: "system" };
const START = "2026-06-15T12:00:00Z";
const at = (iso: string) => new Date(iso);

const plan = (terms: Record<string, unknown>) => PlanTerms.parse(terms);

beforeAll(async () => {
  t = await openTestEngine(START);
  const { engine } = t;
  await engine.features.create({ key: "api", name: "API", type: "boolean" }, admin());
  await engine.features.create({ key: "exports", name: "Exports", type: "boolean" }, admin());
  await engine.features.create({ key: "tokens", name: "Tokens", type: "metered" }, admin());
  const tiers: Array<[string, number, Record<string, unknown>]> = [
    ["basic", 1000, { api: {}, tokens: { limit: 100 } }],
    ["pro", 5000, { api: {}, exports: {}, tokens: { limit: 1000 } }],
    ["max", 9000, { api: {}, exports: {}, tokens: { limit: 10_000 } }],
    ["team", 3000, { api: {}, tokens: { limit: 500 } }],
    ["legacy", 2000, { api: {} }],
  ];
  for (const [key, basePrice, entitlements] of tiers) {
    await engine.plans.create(
      { key, custom: false, env: "live" },
      plan({ name: key.toUpperCase(), basePrice, entitlements }),
      admin("catalog"),
    );
  }
  await engine.plans.archive("legacy", admin("retired"));
  await engine.plans.create(
    { key: "future", custom: false, env: "live" },
    plan({ name: "Future", basePrice: 7000, effectiveFrom: "2027-01-01T00:00:00Z" }),
    admin("launches next year"),
  );
  await engine.plans.create(
    { key: "expired", custom: false, env: "live" },
    plan({
      name: "Expired",
      basePrice: 7000,
      effectiveFrom: "2025-01-01T00:00:00Z",
      effectiveTo: "2026-01-01T00:00:00Z",
    }),
    admin("offered during 2025"),
  );
  await engine.customers.upsert("live", { id: "owner" }, system);
  await engine.plans.create(
    { key: "owner_custom", custom: true, customerId: "owner", env: "live" },
    plan({ name: "Owner deal", kind: "custom", basePrice: 19_900, entitlements: { api: {} } }),
    admin("owner's order form"),
  );
});
afterAll(() => t.database.close());

async function customerOn(customerId: string, planKey?: string) {
  await t.engine.customers.upsert("live", { id: customerId }, system);
  if (planKey) return t.engine.subscriptions.assign(live(customerId), { planKey }, admin("signed up"));
}

const tokens = (customerId: string) =>
  t.engine.entitlements.check(live(customerId), { feature: "tokens", quantity: 1 });
const exportsCheck = (customerId: string) =>
  t.engine.entitlements.check(live(customerId), { feature: "exports", quantity: 1 });

async function subscriptionRows(customerId: string, env: Env = "live") {
  const s = tables.subscriptions;
  return t.database.db
    .select()
    .from(s)
    .where(and(eq(s.customerId, customerId), eq(s.env, env)))
    .orderBy(asc(s.effectiveFrom), asc(s.createdAt));
}

async function auditCount() {
  const [row] = await t.database.db.select({ n: count() }).from(tables.auditLog);
  return row?.n ?? 0;
}

type Range = { id: string; effectiveFrom: Date; effectiveTo: Date | null };

/** Pairs of half-open ranges that share an instant; an empty range [x, x) shares none. */
function overlappingPairs(rows: readonly Range[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  rows.forEach((a, i) => {
    for (const b of rows.slice(i + 1)) {
      const start = Math.max(a.effectiveFrom.getTime(), b.effectiveFrom.getTime());
      const end = Math.min(
        a.effectiveTo?.getTime() ?? Number.POSITIVE_INFINITY,
        b.effectiveTo?.getTime() ?? Number.POSITIVE_INFINITY,
      );
      if (start < end) pairs.push([a.id, b.id]);
    }
  });
  return pairs;
}

describe("plan changes", () => {
  it("an upgrade applies now and keeps the billing anchor", async () => {
    t.clock.set(START);
    await customerOn("up", "basic");
    expect(await tokens("up")).toMatchObject({ allowed: true, limit: 100 });

    t.clock.set("2026-06-20T08:00:00Z");
    const result = await t.engine.subscriptions.assign(
      live("up"),
      { planKey: "pro" },
      admin("needs exports"),
    );
    expect(result).toMatchObject({ change: "upgrade", scheduled: false });
    expect(result.subscription.effectiveFrom).toEqual(at("2026-06-20T08:00:00Z"));
    expect(result.subscription.billingAnchor).toEqual(at(START));

    expect(await tokens("up")).toMatchObject({ allowed: true, limit: 1000, remaining: 1000 });
    expect(await exportsCheck("up")).toMatchObject({ allowed: true, reason: "enabled" });
    const view = await t.engine.entitlements.get(live("up"));
    expect(view.plan?.key).toBe("pro");
    expect(view.subscription).toMatchObject({
      periodStart: "2026-06-15T12:00:00.000Z",
      periodEnd: "2026-07-15T12:00:00.000Z",
    });
  });

  it("calendar alignment bills UTC months, the first one pro rata, and later changes keep it", async () => {
    t.clock.set(START); // June 15, 12:00
    await customerOn("cal");
    const first = await t.engine.subscriptions.assign(
      live("cal"),
      { planKey: "basic", billingAlignment: "calendar" },
      admin("bills on the 1st"),
    );
    expect(first.subscription.billingAnchor).toEqual(at("2026-06-01T00:00:00Z"));
    expect((await t.engine.entitlements.get(live("cal"))).subscription).toMatchObject({
      periodStart: "2026-06-01T00:00:00.000Z",
      periodEnd: "2026-07-01T00:00:00.000Z",
    });
    const preview = await t.engine.invoices.upcoming(live("cal"));
    // 15.5 of June's 30 days on Basic at $10.00: 516.67 cents, rounded once.
    expect(preview.lines.map((l) => [l.kind, l.amount, l.periodStart])).toEqual([
      ["base", 517, "2026-06-15T12:00:00.000Z"],
    ]);

    t.clock.set("2026-07-10T00:00:00Z");
    const upgrade = await t.engine.subscriptions.assign(live("cal"), { planKey: "pro" }, admin("grew"));
    expect(upgrade.subscription.billingAnchor).toEqual(at("2026-06-01T00:00:00Z"));
    const back = await t.engine.subscriptions.assign(
      live("cal"),
      { planKey: "pro", billingAlignment: "anniversary" },
      admin("bills on its own day again"),
    );
    expect(back.subscription.billingAnchor).toEqual(at("2026-07-10T00:00:00Z"));
  });

  it("a downgrade waits for the period end", async () => {
    t.clock.set(START);
    await customerOn("down", "pro");
    t.clock.set("2026-06-20T08:00:00Z");
    expect(await tokens("down")).toMatchObject({ limit: 1000 });

    const result = await t.engine.subscriptions.assign(live("down"), { planKey: "basic" }, admin("cost cut"));
    expect(result).toMatchObject({ change: "downgrade", scheduled: true });
    expect(result.subscription.effectiveFrom).toEqual(at("2026-07-15T12:00:00Z"));

    expect(await tokens("down")).toMatchObject({ allowed: true, limit: 1000 });
    expect(await exportsCheck("down")).toMatchObject({ allowed: true });
    expect((await t.engine.entitlements.get(live("down"))).plan?.key).toBe("pro");

    t.clock.set("2026-07-15T11:59:59Z");
    expect(await tokens("down")).toMatchObject({ limit: 1000 });
    expect((await t.engine.entitlements.get(live("down"))).plan?.key).toBe("pro");

    t.clock.set("2026-07-15T12:00:00Z");
    expect(await tokens("down")).toMatchObject({ allowed: true, limit: 100 });
    expect(await exportsCheck("down")).toMatchObject({ allowed: false, reason: "feature_not_in_plan" });
    expect((await t.engine.entitlements.get(live("down"))).plan?.key).toBe("basic");

    const [scheduled] = (await t.engine.customers.history(live("down"))).entries;
    expect(scheduled).toMatchObject({ action: "subscription.change_scheduled", reason: "cost cut" });
  });

  it("an explicit effectiveAt overrides the upgrade-now and downgrade-later rules", async () => {
    t.clock.set(START);
    await customerOn("explicit_up", "basic");
    await customerOn("explicit_down", "pro");
    t.clock.set("2026-06-18T00:00:00Z");

    const later = await t.engine.subscriptions.assign(
      live("explicit_up"),
      { planKey: "pro", effectiveAt: at("2026-06-25T00:00:00Z") },
      admin("upgrade from the 25th"),
    );
    expect(later).toMatchObject({ change: "upgrade", scheduled: true });
    expect(await tokens("explicit_up")).toMatchObject({ limit: 100 });

    const now = await t.engine.subscriptions.assign(
      live("explicit_down"),
      { planKey: "basic", effectiveAt: at("2026-06-18T00:00:00Z") },
      admin("downgrade today"),
    );
    expect(now).toMatchObject({ change: "downgrade", scheduled: false });
    expect(await tokens("explicit_down")).toMatchObject({ limit: 100 });

    t.clock.set("2026-06-25T00:00:00Z");
    expect(await tokens("explicit_up")).toMatchObject({ limit: 1000 });
  });

  it("refuses to back-date a change", async () => {
    t.clock.set(START);
    await customerOn("backdate", "basic");
    const before = await subscriptionRows("backdate");
    await expect(
      t.engine.subscriptions.assign(
        live("backdate"),
        { planKey: "pro", effectiveAt: at("2026-06-01T00:00:00Z") },
        admin("oops"),
      ),
    ).rejects.toMatchObject({ code: "effective_at_in_past", param: "effectiveAt" });
    expect(await subscriptionRows("backdate")).toEqual(before);
  });

  it("entitlements.get with `at` answers what was in force then", async () => {
    t.clock.set(START);
    await customerOn("history_at", "basic");
    t.clock.set("2026-06-20T00:00:00Z");
    await t.engine.subscriptions.assign(live("history_at"), { planKey: "max" }, admin("growth"));
    t.clock.set("2026-06-22T00:00:00Z");
    await t.engine.subscriptions.assign(live("history_at"), { planKey: "pro" }, admin("trim"));

    const planAt = async (iso: string) =>
      (await t.engine.entitlements.get(live("history_at"), { at: at(iso) })).plan?.key ?? null;
    expect(await planAt("2026-06-15T11:59:59Z")).toBeNull();
    expect(await planAt("2026-06-17T00:00:00Z")).toBe("basic");
    expect(await planAt("2026-06-19T23:59:59Z")).toBe("basic");
    expect(await planAt("2026-06-20T00:00:00Z")).toBe("max");
    expect(await planAt("2026-07-15T11:59:59Z")).toBe("max");
    expect(await planAt("2026-07-15T12:00:00Z")).toBe("pro");

    const then = await t.engine.entitlements.get(live("history_at"), { at: at("2026-06-17T00:00:00Z") });
    expect(then.at).toBe("2026-06-17T00:00:00.000Z");
    expect(then.entitlements.find((e) => e.feature === "tokens")?.limit).toBe(100);
    expect((await t.engine.entitlements.get(live("history_at"))).plan?.key).toBe("max");
  });
});

describe("plan versions", () => {
  it("publishing a version leaves subscribers on theirs until they are moved, with a history entry", async () => {
    t.clock.set(START);
    await customerOn("pinned", "team");
    expect(await tokens("pinned")).toMatchObject({ limit: 500 });

    t.clock.set("2026-06-16T00:00:00Z");
    const v2 = await t.engine.plans.publishVersion(
      "team",
      plan({ name: "TEAM", basePrice: 3000, entitlements: { api: {}, tokens: { limit: 800 } } }),
      admin("more tokens for new customers"),
    );
    expect(v2.version).toBe(2);

    expect((await t.engine.entitlements.get(live("pinned"))).plan).toMatchObject({ key: "team", version: 1 });
    expect(await tokens("pinned")).toMatchObject({ limit: 500 });
    await customerOn("fresh", "team");
    expect((await t.engine.entitlements.get(live("fresh"))).plan?.version).toBe(2);

    t.clock.set("2026-06-17T00:00:00Z");
    const moved = await t.engine.subscriptions.assign(
      live("pinned"),
      { planKey: "team", version: 2 },
      admin("migrate to team v2"),
    );
    expect(moved).toMatchObject({ change: "lateral", scheduled: false });
    expect(await tokens("pinned")).toMatchObject({ limit: 800 });

    const history = await t.engine.customers.history(live("pinned"));
    expect(history.subscriptions.map((s) => [s.planVersionId, s.effectiveFrom, s.effectiveTo])).toEqual([
      ["pv_team_1", at(START), at("2026-06-17T00:00:00Z")],
      ["pv_team_2", at("2026-06-17T00:00:00Z"), null],
    ]);
    const [entry] = history.entries;
    expect(entry).toMatchObject({
      action: "subscription.assigned",
      reason: "migrate to team v2",
      before: expect.objectContaining({ planVersionId: "pv_team_1", planVersion: 1 }),
      after: expect.objectContaining({ planVersionId: "pv_team_2", planVersion: 2, change: "lateral" }),
    });
  });

  it("lists a plan by its newest version's name and kind; a contract keeps its own version's kind", async () => {
    await t.engine.plans.create(
      { key: "growth", custom: false, env: "live" },
      plan({ name: "Growth" }),
      admin(),
    );
    await customerOn("grower_v1", "growth");
    await t.engine.plans.publishVersion(
      "growth",
      plan({ name: "Growth Enterprise", kind: "enterprise" }),
      admin("growth becomes an enterprise line"),
    );
    const listed = (await t.engine.plans.list()).find((p) => p.key === "growth");
    expect(listed).toMatchObject({ name: "Growth Enterprise", kind: "enterprise" });
    expect((await t.engine.entitlements.get(live("grower_v1"))).plan).toMatchObject({
      version: 1,
      label: "Growth",
      kind: "standard",
    });
  });
});

describe("assignments that must be refused", () => {
  async function snapshot(customerId: string, env: Env = "live") {
    return {
      rows: await subscriptionRows(customerId, env),
      history: (await t.engine.customers.history({ env, customerId })).entries,
      audit: await auditCount(),
    };
  }

  it.each([
    ["an archived plan", "legacy", "plan_archived"],
    ["a version not yet in effect", "future", "plan_not_yet_effective"],
    ["an expired version", "expired", "plan_expired"],
    ["another customer's custom plan", "owner_custom", "plan_not_owned"],
    ["an unknown plan", "nope", "plan_not_found"],
  ])("assigning %s fails and changes nothing", async (_what, planKey, code) => {
    t.clock.set(START);
    await customerOn(`guarded_${planKey}`, "basic");
    const ref = live(`guarded_${planKey}`);
    const before = await snapshot(ref.customerId);
    await expect(t.engine.subscriptions.assign(ref, { planKey }, admin("try"))).rejects.toMatchObject({
      code,
    });
    expect(await snapshot(ref.customerId)).toEqual(before);
    expect((await t.engine.entitlements.get(ref)).plan?.key).toBe("basic");
  });

  it("refuses a version number the plan does not have", async () => {
    t.clock.set(START);
    await customerOn("guarded_version", "basic");
    const before = await snapshot("guarded_version");
    await expect(
      t.engine.subscriptions.assign(live("guarded_version"), { planKey: "pro", version: 9 }, admin("try")),
    ).rejects.toMatchObject({ code: "plan_version_not_found" });
    expect(await snapshot("guarded_version")).toEqual(before);
  });

  it("refuses a custom plan to the customer with the same id in the other environment", async () => {
    t.clock.set(START);
    const ref = { env: "test" as const, customerId: "owner" };
    await t.engine.customers.upsert("test", { id: "owner" }, system);
    const before = await snapshot("owner", "test");
    await expect(
      t.engine.subscriptions.assign(ref, { planKey: "owner_custom" }, admin("try")),
    ).rejects.toMatchObject({ code: "plan_not_owned" });
    expect(await snapshot("owner", "test")).toEqual(before);
    expect((await t.engine.entitlements.get(ref)).plan).toBeNull();
  });

  it("archiving a plan keeps its subscribers on it but takes no new assignment", async () => {
    t.clock.set(START);
    await t.engine.plans.create(
      { key: "sunset", custom: false, env: "live" },
      plan({ name: "Sunset", basePrice: 1500, entitlements: { api: {}, tokens: { limit: 300 } } }),
      admin("catalog"),
    );
    await customerOn("sunset_user", "sunset");
    await customerOn("sunset_late", "basic");
    await t.engine.plans.archive("sunset", admin("no longer sold"));
    expect((await t.engine.entitlements.get(live("sunset_user"))).plan?.key).toBe("sunset");
    expect(await tokens("sunset_user")).toMatchObject({ allowed: true, limit: 300 });
    await expect(
      t.engine.subscriptions.assign(live("sunset_late"), { planKey: "sunset" }, admin("try")),
    ).rejects.toMatchObject({ code: "plan_archived" });
    await expect(
      t.engine.subscriptions.assign(live("sunset_user"), { planKey: "sunset" }, admin("renew")),
    ).rejects.toMatchObject({ code: "plan_archived" });
    expect(await subscriptionRows("sunset_user")).toHaveLength(1);
  });

  it("lets the owner take its custom plan, and a not-yet-effective version from its start", async () => {
    t.clock.set(START);
    const owned = await t.engine.subscriptions.assign(
      live("owner"),
      { planKey: "owner_custom" },
      admin("deal"),
    );
    expect(owned.change).toBe("new");
    await customerOn("early_bird", "basic");
    const scheduled = await t.engine.subscriptions.assign(
      live("early_bird"),
      { planKey: "future", effectiveAt: at("2027-01-01T00:00:00Z") },
      admin("pre-order"),
    );
    expect(scheduled).toMatchObject({ scheduled: true });
  });
});

describe("cancel", () => {
  it("ends the contract now and drops a scheduled change", async () => {
    t.clock.set(START);
    await customerOn("leaver", "pro");
    t.clock.set("2026-06-20T00:00:00Z");
    await t.engine.subscriptions.assign(live("leaver"), { planKey: "basic" }, admin("cost cut"));
    expect(await tokens("leaver")).toMatchObject({ allowed: true, limit: 1000 });

    const result = await t.engine.subscriptions.cancel(live("leaver"), {}, admin("churned"));
    expect(result).toEqual({
      canceledAt: at("2026-06-20T00:00:00Z"),
      effectiveTo: at("2026-06-20T00:00:00Z"),
    });
    expect(await tokens("leaver")).toMatchObject({ allowed: false, reason: "no_subscription" });
    expect((await t.engine.entitlements.get(live("leaver"))).plan).toBeNull();

    const rows = await subscriptionRows("leaver");
    expect(rows.map((r) => [r.planKey, r.status, r.effectiveFrom, r.effectiveTo])).toEqual([
      ["pro", "canceled", at(START), at("2026-06-20T00:00:00Z")],
      ["basic", "canceled", at("2026-07-15T12:00:00Z"), at("2026-07-15T12:00:00Z")],
    ]);
    t.clock.set("2026-07-20T00:00:00Z");
    expect(await tokens("leaver")).toMatchObject({ allowed: false, reason: "no_subscription" });

    const [entry] = (await t.engine.customers.history(live("leaver"))).entries;
    expect(entry).toMatchObject({
      action: "subscription.canceled",
      reason: "churned",
      before: expect.objectContaining({ planKey: "pro", status: "active" }),
      after: expect.objectContaining({ status: "canceled", effectiveTo: "2026-06-20T00:00:00.000Z" }),
    });
    await expect(t.engine.subscriptions.cancel(live("leaver"), {}, admin("again"))).rejects.toMatchObject({
      code: "no_subscription",
    });
  });

  it("with effectiveAt keeps the plan in force until then", async () => {
    t.clock.set(START);
    await customerOn("notice", "pro");
    await t.engine.subscriptions.cancel(
      live("notice"),
      { effectiveAt: at("2026-07-01T00:00:00Z") },
      admin("notice given"),
    );
    expect(await tokens("notice")).toMatchObject({ allowed: true, limit: 1000 });
    t.clock.set("2026-06-30T23:59:59Z");
    expect(await tokens("notice")).toMatchObject({ allowed: true });
    t.clock.set("2026-07-01T00:00:00Z");
    expect(await tokens("notice")).toMatchObject({ allowed: false, reason: "no_subscription" });
  });
});

describe("contract ranges", () => {
  it("never overlap after a run of assignments, downgrades, upgrades and a cancellation", async () => {
    const customerId = "sequence";
    const step = (iso: string, planKey: string, effectiveAt?: string) => {
      t.clock.set(iso);
      return t.engine.subscriptions.assign(
        live(customerId),
        { planKey, ...(effectiveAt ? { effectiveAt: at(effectiveAt) } : {}) },
        admin(`step ${iso}`),
      );
    };
    t.clock.set(START);
    await customerOn(customerId);
    expect((await step(START, "basic")).change).toBe("new");
    expect((await step("2026-06-16T00:00:00Z", "pro")).change).toBe("upgrade");
    expect((await step("2026-06-17T00:00:00Z", "basic")).scheduled).toBe(true);
    expect((await step("2026-06-18T00:00:00Z", "max")).change).toBe("upgrade");
    expect((await step("2026-06-19T00:00:00Z", "pro", "2026-06-25T00:00:00Z")).scheduled).toBe(true);
    expect((await step("2026-06-20T00:00:00Z", "basic")).scheduled).toBe(true);
    expect((await step("2026-07-20T00:00:00Z", "max")).change).toBe("upgrade");
    t.clock.set("2026-07-21T00:00:00Z");
    await t.engine.subscriptions.cancel(
      live(customerId),
      { effectiveAt: at("2026-08-01T00:00:00Z") },
      admin("end"),
    );
    expect((await step("2026-07-22T00:00:00Z", "pro")).scheduled).toBe(true);

    const rows = await subscriptionRows(customerId);
    expect(rows).toHaveLength(8);
    expect(overlappingPairs(rows)).toEqual([]);

    const planAt = async (iso: string) =>
      (await t.engine.entitlements.get(live(customerId), { at: at(iso) })).plan?.key ?? null;
    expect(await planAt("2026-06-15T12:00:00Z")).toBe("basic");
    expect(await planAt("2026-06-16T12:00:00Z")).toBe("pro");
    expect(await planAt("2026-06-18T12:00:00Z")).toBe("max");
    expect(await planAt("2026-06-25T00:00:00Z")).toBe("pro");
    expect(await planAt("2026-07-15T12:00:00Z")).toBe("basic");
    expect(await planAt("2026-07-20T00:00:00Z")).toBe("max");
    expect(await planAt("2026-08-01T00:00:00Z")).toBeNull();
    expect(await planAt("2026-08-15T12:00:00Z")).toBe("pro");
  });

  it("never overlap under concurrent assignments", async () => {
    t.clock.set(START);
    await customerOn("racer");
    const plans = ["basic", "pro", "max", "team", "pro", "basic", "max", "team", "basic", "pro"];
    const results = await Promise.allSettled(
      plans.map((planKey) => t.engine.subscriptions.assign(live("racer"), { planKey }, admin("race"))),
    );
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    const rows = await subscriptionRows("racer");
    expect(rows).toHaveLength(plans.length);
    expect(overlappingPairs(rows)).toEqual([]);
    const now = Date.parse(START);
    const inForce = rows.filter(
      (r) => r.effectiveFrom.getTime() <= now && (r.effectiveTo === null || now < r.effectiveTo.getTime()),
    );
    expect(inForce).toHaveLength(1);
    expect((await t.engine.entitlements.get(live("racer"))).plan?.key).toBe(inForce[0]?.planKey);
  });
});
