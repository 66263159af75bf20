import { PlanTerms } from "@tollgate/core";
import { tables } from "@tollgate/store";
import { and, asc, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SetOverridesInput } from "../src/index";
import { admin, live, openTestEngine, type TestEngine } from "./testEngine";

let t: TestEngine;
const system = { id: "test_system", role: "system" };
const START = "2026-06-15T12:00:00Z";
const at = (iso: string) => new Date(iso);
const DAY = 86_400_000;

beforeAll(async () => {
  t = await openTestEngine(START);
  const { engine } = t;
  await engine.features.create({ key: "api", name: "API", type: "boolean" }, admin());
  await engine.features.create({ key: "exports", name: "Exports", type: "boolean" }, admin());
  await engine.features.create({ key: "tokens", name: "Tokens", type: "metered" }, admin());
  await engine.features.create({ key: "support", name: "Support", type: "config" }, admin());
  for (const key of ["base", "other"]) {
    await engine.plans.create(
      { key, custom: false, env: "live" },
      PlanTerms.parse({
        name: key.toUpperCase(),
        basePrice: 2000,
        seats: { limit: 10 },
        entitlements: {
          api: {},
          tokens: { limit: 100, enforcement: "block" },
          support: { value: "standard" },
        },
      }),
      admin("catalog"),
    );
  }
});
afterAll(() => t.database.close());

async function customerOnBase(customerId: string) {
  t.clock.set(START);
  await t.engine.customers.upsert("live", { id: customerId }, system);
  await t.engine.subscriptions.assign(live(customerId), { planKey: "base" }, admin("signed up"));
  return live(customerId);
}

const tokens = (quantity = 1) => ({ feature: "tokens", quantity });

async function overrideRows(customerId: string) {
  const o = tables.overrideSets;
  return t.database.db
    .select()
    .from(o)
    .where(and(eq(o.customerId, customerId), eq(o.env, "live")))
    .orderBy(asc(o.effectiveFrom), asc(o.createdAt));
}

async function auditCount() {
  const [row] = await t.database.db.select({ n: count() }).from(tables.auditLog);
  return row?.n ?? 0;
}

describe("setting and clearing overrides", () => {
  it("check and checkCached reflect new overrides at once, and clearing returns to the base plan", async () => {
    const ref = await customerOnBase("deal");
    expect(await t.engine.entitlements.check(ref, tokens())).toMatchObject({
      limit: 100,
      enforcement: "block",
    });
    expect(t.engine.entitlements.checkCached(ref, tokens())).toMatchObject({ limit: 100 });

    await t.engine.overrides.set(
      ref,
      {
        overrides: {
          additionalFeatures: ["exports"],
          entitlements: { tokens: { limit: 500, enforcement: "grace" }, support: { value: "premium" } },
        },
      },
      admin("bigger deal"),
    );
    expect(t.engine.entitlements.checkCached(ref, tokens())).toBeUndefined();
    const decision = await t.engine.entitlements.check(ref, tokens());
    expect(decision).toMatchObject({ allowed: true, limit: 500, remaining: 500, enforcement: "grace" });
    expect(t.engine.entitlements.checkCached(ref, tokens())).toEqual(decision);
    expect(await t.engine.entitlements.check(ref, tokens(600))).toMatchObject({
      allowed: true,
      reason: "grace_over_limit",
    });
    expect(await t.engine.entitlements.check(ref, { feature: "exports", quantity: 1 })).toMatchObject({
      allowed: true,
      reason: "enabled",
    });
    expect(await t.engine.entitlements.check(ref, { feature: "support", quantity: 1 })).toMatchObject({
      value: "premium",
    });

    await t.engine.overrides.clear(ref, admin("deal ended"));
    expect(t.engine.entitlements.checkCached(ref, tokens())).toBeUndefined();
    expect(await t.engine.entitlements.check(ref, tokens())).toMatchObject({
      limit: 100,
      enforcement: "block",
    });
    expect(t.engine.entitlements.checkCached(ref, tokens())).toMatchObject({ limit: 100 });
    expect(await t.engine.entitlements.check(ref, tokens(600))).toMatchObject({
      allowed: false,
      reason: "limit_exceeded",
    });
    expect(await t.engine.entitlements.check(ref, { feature: "exports", quantity: 1 })).toMatchObject({
      allowed: false,
      reason: "feature_not_in_plan",
    });
  });

  it("after clearing, the customer resolves exactly as a customer who never had overrides", async () => {
    const ref = await customerOnBase("was_special");
    const plain = await customerOnBase("never_special");
    await t.engine.overrides.set(
      ref,
      { overrides: { seatLimit: 99, planLabel: "Special", additionalFeatures: ["exports"] } },
      admin("special"),
    );
    expect((await t.engine.entitlements.get(ref)).plan?.label).toBe("Special");
    await t.engine.overrides.clear(ref, admin("no longer special"));

    const { customerId: _a, ...cleared } = await t.engine.entitlements.get(ref, { explain: true });
    const { customerId: _b, ...never } = await t.engine.entitlements.get(plain, { explain: true });
    expect({ ...cleared, subscription: null }).toEqual({ ...never, subscription: null });
    expect(cleared.plan?.label).toBe("BASE");
    expect(cleared.seats?.limit).toBe(10);
  });

  it("writes plan_adjusted to the outbox when overrides are set and when they are cleared", async () => {
    const ref = await customerOnBase("adjusted");
    await t.engine.overrides.set(ref, { overrides: { planLabel: "Adjusted" } }, admin("label"));
    await t.engine.overrides.clear(ref, admin("back to base"));
    const events = await t.database.db
      .select()
      .from(tables.outbox)
      .where(and(eq(tables.outbox.customerId, "adjusted"), eq(tables.outbox.type, "plan_adjusted")))
      .orderBy(asc(tables.outbox.seq));
    expect(events.map((e) => (e.payload as { reason: string }).reason)).toEqual(["label", "back to base"]);
  });

  it("clearing a customer without overrides is refused", async () => {
    const ref = await customerOnBase("nothing_to_clear");
    const before = await auditCount();
    await expect(t.engine.overrides.clear(ref, admin("clear"))).rejects.toMatchObject({
      code: "no_overrides",
    });
    expect(await auditCount()).toBe(before);
  });

  it("an override for another base plan is not applied, and the notes say why", async () => {
    const ref = await customerOnBase("wrong_base");
    const set = await t.engine.overrides.set(
      ref,
      { overrides: { basePlanId: "other", seatLimit: 77 } },
      admin("deal on other"),
    );
    const view = await t.engine.entitlements.get(ref, { explain: true });
    expect(view.seats?.limit).toBe(10);
    expect(view.explain?.notes).toEqual([expect.stringContaining(set.id)]);
  });
});

describe("invalid overrides", () => {
  const refusals: Array<[string, SetOverridesInput["overrides"], string, string]> = [
    [
      "an unknown added feature",
      { additionalFeatures: ["teleport"] },
      "unknown_feature",
      "overrides.additionalFeatures.0",
    ],
    [
      "an unknown feature's entitlement",
      { entitlements: { teleport: { limit: 5 } } },
      "unknown_feature",
      "overrides.entitlements.teleport",
    ],
    [
      "a limit on a boolean feature",
      { entitlements: { api: { limit: 5 } } },
      "limit_on_unmetered_feature",
      "overrides.entitlements.api.limit",
    ],
    ["an unknown base plan", { basePlanId: "nope", seatLimit: 3 }, "plan_not_found", "overrides.basePlanId"],
  ];

  it.each(refusals)(
    "%s is refused with its code and leaves the database unchanged",
    async (_what, overrides, code, param) => {
      const ref = await customerOnBase(`guard_${code}_${param.length}`);
      await t.engine.overrides.set(ref, { overrides: { seatLimit: 5 } }, admin("existing deal"));
      const rowsBefore = await overrideRows(ref.customerId);
      const auditBefore = await auditCount();
      const decisionBefore = await t.engine.entitlements.check(ref, tokens());

      await expect(t.engine.overrides.set(ref, { overrides }, admin("bad change"))).rejects.toMatchObject({
        code,
        param,
      });

      expect(await overrideRows(ref.customerId)).toEqual(rowsBefore);
      expect(await auditCount()).toBe(auditBefore);
      expect(await t.engine.entitlements.check(ref, tokens())).toEqual(decisionBefore);
      expect((await t.engine.entitlements.get(ref)).seats?.limit).toBe(5);
    },
  );

  it("an empty or back-dated range is refused", async () => {
    const ref = await customerOnBase("bad_range");
    const auditBefore = await auditCount();
    await expect(
      t.engine.overrides.set(
        ref,
        {
          overrides: { seatLimit: 3 },
          effectiveFrom: at("2026-07-01T00:00:00Z"),
          effectiveTo: at("2026-07-01T00:00:00Z"),
        },
        admin("empty"),
      ),
    ).rejects.toMatchObject({ code: "invalid_effective_range" });
    await expect(
      t.engine.overrides.set(
        ref,
        { overrides: { seatLimit: 3 }, effectiveFrom: at("2026-06-01T00:00:00Z") },
        admin("past"),
      ),
    ).rejects.toMatchObject({ code: "effective_at_in_past" });
    expect(await overrideRows(ref.customerId)).toEqual([]);
    expect(await auditCount()).toBe(auditBefore);
  });
});

describe("effective-dated overrides", () => {
  it("overrides effective in the future apply only from then", async () => {
    const ref = await customerOnBase("future_deal");
    await t.engine.overrides.set(
      ref,
      { overrides: { entitlements: { tokens: { limit: 300 } } } },
      admin("current deal"),
    );
    expect(await t.engine.entitlements.check(ref, tokens())).toMatchObject({ limit: 300 });

    const startsAt = new Date(Date.parse(START) + 3 * DAY);
    const future = await t.engine.overrides.set(
      ref,
      { overrides: { entitlements: { tokens: { limit: 900 } } }, effectiveFrom: startsAt },
      admin("renewal from the 18th"),
    );
    expect(future.effectiveFrom).toEqual(startsAt);
    expect(await t.engine.entitlements.check(ref, tokens())).toMatchObject({ limit: 300 });
    const limitAt = async (instant: Date) =>
      (await t.engine.entitlements.get(ref, { at: instant })).entitlements.find((e) => e.feature === "tokens")
        ?.limit;
    expect(await limitAt(new Date(startsAt.getTime() - 1))).toBe(300);
    expect(await limitAt(startsAt)).toBe(900);

    const rows = await overrideRows(ref.customerId);
    expect(rows.map((r) => [r.effectiveFrom, r.effectiveTo])).toEqual([
      [at(START), startsAt],
      [startsAt, null],
    ]);

    t.clock.set(new Date(startsAt.getTime() - 1000).toISOString());
    expect(await t.engine.entitlements.check(ref, tokens())).toMatchObject({ limit: 300 });
    t.clock.set(startsAt.toISOString());
    expect(await t.engine.entitlements.check(ref, tokens())).toMatchObject({ limit: 900 });
    expect(
      (await t.engine.entitlements.get(ref)).entitlements.find((e) => e.feature === "tokens")?.source,
    ).toMatchObject({
      kind: "override",
      id: future.id,
    });
  });

  it("overrides with an end return the customer to the base plan at that end", async () => {
    const ref = await customerOnBase("promo");
    const endsAt = new Date(Date.parse(START) + 7 * DAY);
    await t.engine.overrides.set(
      ref,
      { overrides: { additionalFeatures: ["exports"] }, effectiveTo: endsAt },
      admin("one-week promotion"),
    );
    const exportsCheck = { feature: "exports", quantity: 1 };
    expect(await t.engine.entitlements.check(ref, exportsCheck)).toMatchObject({ allowed: true });
    t.clock.set(endsAt.toISOString());
    expect(await t.engine.entitlements.check(ref, exportsCheck)).toMatchObject({
      allowed: false,
      reason: "feature_not_in_plan",
    });
  });

  it("clearing drops a pending future set too", async () => {
    const ref = await customerOnBase("pending_only");
    const startsAt = new Date(Date.parse(START) + 2 * DAY);
    await t.engine.overrides.set(
      ref,
      { overrides: { seatLimit: 40 }, effectiveFrom: startsAt },
      admin("later"),
    );
    await t.engine.overrides.clear(ref, admin("deal fell through"));
    expect((await t.engine.entitlements.get(ref, { at: startsAt })).seats?.limit).toBe(10);
    t.clock.set(startsAt.toISOString());
    expect((await t.engine.entitlements.get(ref)).seats?.limit).toBe(10);
  });
});

describe("override audit", () => {
  it("records actor, action, before, after and reason for set and clear", async () => {
    const ref = await customerOnBase("audited");
    const command = { actor: { id: "key_ops", role: "operator" }, reason: "MSA v1", requestId: "req_1" };
    const first = await t.engine.overrides.set(ref, { overrides: { seatLimit: 20 } }, command);
    const second = await t.engine.overrides.set(
      ref,
      { overrides: { seatLimit: 30, creditPrice: "0.50" } },
      { ...command, reason: "MSA v2", requestId: "req_2" },
    );
    await t.engine.overrides.clear(ref, { ...command, reason: "MSA terminated", requestId: "req_3" });

    const { data } = await t.engine.audit.list({ customerId: "audited", limit: 10 });
    const entries = data.filter((e) => e.action.startsWith("overrides."));
    expect(entries.map((e) => [e.action, e.reason, e.requestId])).toEqual([
      ["overrides.cleared", "MSA terminated", "req_3"],
      ["overrides.set", "MSA v2", "req_2"],
      ["overrides.set", "MSA v1", "req_1"],
    ]);
    for (const e of entries)
      expect(e).toMatchObject({ actorId: "key_ops", actorRole: "operator", env: "live" });
    const [cleared, setSecond, setFirst] = entries;
    expect(setFirst?.before).toBeNull();
    expect(setFirst?.after).toMatchObject({ id: first.id, overrides: { seatLimit: 20 }, reason: "MSA v1" });
    expect(setSecond?.before).toMatchObject({ id: first.id, overrides: { seatLimit: 20 } });
    expect(setSecond?.after).toMatchObject({
      id: second.id,
      overrides: { seatLimit: 30, creditPrice: "0.50" },
    });
    expect(cleared?.before).toMatchObject({ id: second.id, overrides: { seatLimit: 30 } });
    expect(cleared?.after).toBeNull();

    const history = await t.engine.customers.history(ref);
    expect(history.entries.filter((e) => e.action.startsWith("overrides.")).map((e) => e.id)).toEqual(
      entries.map((e) => e.id),
    );
  });
});
