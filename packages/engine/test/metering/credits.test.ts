import { tables } from "@tollgate/store";
import { and, eq, sum } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admin, live, openTestEngine, type TestEngine } from "../testEngine";
import { seedMeteredPlan } from "./meteringFixture";

let t: TestEngine;
beforeAll(async () => {
  t = await openTestEngine("2026-06-15T12:00:00Z");
  await seedMeteredPlan(t, [
    "wallet",
    "burn",
    "unlimited",
    "renew",
    "grow",
    "bulk",
    "spend",
    "spend_many",
    "batch_a",
    "batch_b",
    "batch_c",
    "conc_a",
    "conc_b",
    "decimals",
  ]);
  await t.engine.overrides.set(
    live("unlimited"),
    { overrides: { includedCredits: -1 } },
    admin("staff account"),
  );
});
afterAll(() => t.database.close());

const gen = (customerId: string, id: string, quantity = 1) =>
  t.engine.usage.track("live", { customerId, feature: "gen", id, quantity });
const ledgerSum = async (customerId: string) => {
  const l = tables.creditLedger;
  const [row] = await t.database.db
    .select({ total: sum(l.amount) })
    .from(l)
    .where(and(eq(l.customerId, customerId), eq(l.env, "live")));
  return Number(row?.total ?? 0);
};

describe("credits drawn by ingested events", () => {
  it("takes each event's cost, then what is left, records every event, and a replay takes nothing", async () => {
    const batch = [
      { id: "b1", customerId: "bulk", feature: "gen", quantity: 60 },
      { id: "b2", customerId: "bulk", feature: "gen", quantity: 30 },
      { id: "b3", customerId: "bulk", feature: "gen", quantity: 25 }, // 10 credits left: takes them
      { id: "b4", customerId: "bulk", feature: "gen", quantity: 5 }, // nothing left
    ];
    expect(await t.engine.usage.ingest("live", batch)).toMatchObject({ accepted: 4, duplicates: 0 });
    const credits = await t.engine.credits.get(live("bulk"));
    expect(credits.balance).toBe(0);
    expect(credits.grants).toEqual([
      expect.objectContaining({ source: "included", amount: 100, remaining: 0 }),
    ]);
    expect(await ledgerSum("bulk")).toBe(0);
    const l = tables.creditLedger;
    const debits = await t.database.db
      .select({ eventId: l.eventId, amount: l.amount })
      .from(l)
      .where(and(eq(l.customerId, "bulk"), eq(l.kind, "debit")));
    expect(debits.map((d) => [d.eventId, Number(d.amount)]).sort()).toEqual([
      ["b1", -60],
      ["b2", -30],
      ["b3", -10],
    ]);
    const usage = await t.engine.entitlements.get(live("bulk"));
    expect(usage.entitlements.find((e) => e.feature === "gen")?.used).toBe(120);

    expect(await t.engine.usage.ingest("live", batch)).toMatchObject({ accepted: 0, duplicates: 4 });
    expect((await t.engine.credits.get(live("bulk"))).balance).toBe(0);
    const check = await t.engine.entitlements.check(live("bulk"), { feature: "gen", quantity: 1 });
    expect(check).toMatchObject({ allowed: false, reason: "insufficient_credits" });
  });
});

describe("credits of several customers in one batch", () => {
  const grantsOf = async (customerId: string) => (await t.engine.credits.get(live(customerId))).grants;

  it("an ingest batch draws each customer's cost from its own credits, granting each period's included credits once", async () => {
    const batch = [
      { id: "x1", customerId: "batch_a", feature: "gen", quantity: 30 },
      { id: "x2", customerId: "batch_b", feature: "gen", quantity: 80 },
      { id: "x3", customerId: "batch_c", feature: "gen", quantity: 60 },
      { id: "x4", customerId: "batch_c", feature: "gen", quantity: 60 }, // 40 left: takes them
    ];
    expect(await t.engine.usage.ingest("live", batch)).toMatchObject({ accepted: 4, duplicates: 0 });
    for (const [customerId, balance] of [
      ["batch_a", 70],
      ["batch_b", 20],
      ["batch_c", 0],
    ] as const) {
      expect((await t.engine.credits.get(live(customerId))).balance).toBe(balance);
      expect(await ledgerSum(customerId)).toBe(balance);
      expect(await grantsOf(customerId)).toEqual([
        expect.objectContaining({ source: "included", amount: 100, remaining: balance }),
      ]);
    }
    await t.engine.usage.ingest("live", [
      { id: "y1", customerId: "batch_a", feature: "gen", quantity: 10 },
      { id: "y2", customerId: "batch_b", feature: "gen", quantity: 5 },
    ]);
    expect((await t.engine.credits.get(live("batch_a"))).balance).toBe(60);
    expect((await t.engine.credits.get(live("batch_b"))).balance).toBe(15);
    expect(await grantsOf("batch_a")).toHaveLength(1);
  });

  it("debits of fractional credits that use up a grant in one batch take it to 0 exactly", async () => {
    // 0.2 + 83.9 + 15.9 is 100.00000000000001 in floating point: summed so, the grant's update
    // would find 100 credits short of it and refuse the whole batch.
    const batch = [0.2, 83.9, 15.9].map((quantity, i) => ({
      id: `d${i}`,
      customerId: "decimals",
      feature: "gen",
      quantity,
    }));
    expect(await t.engine.usage.ingest("live", batch)).toMatchObject({ accepted: 3 });
    expect((await t.engine.credits.get(live("decimals"))).balance).toBe(0);
    expect(await ledgerSum("decimals")).toBe(0);
  });

  it("concurrent tracks of several customers each spend exactly their own balance", async () => {
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) => gen(i % 2 === 0 ? "conc_a" : "conc_b", `c${i}`)),
    );
    for (const customerId of ["conc_a", "conc_b"]) {
      const own = results.filter((_, i) => (i % 2 === 0 ? "conc_a" : "conc_b") === customerId);
      expect(own.filter((r) => r.recorded)).toHaveLength(100);
      expect((await t.engine.credits.get(live(customerId))).balance).toBe(0);
      expect(await ledgerSum(customerId)).toBe(0);
    }
  });
});

describe("credits drawn by track", () => {
  it("shows the period's included credits before the first use", async () => {
    const credits = await t.engine.credits.get(live("wallet"));
    expect(credits).toMatchObject({ balance: 100, unlimited: false, grants: [] });
    expect(credits.pendingIncluded).toEqual({ amount: 100, expiresAt: "2026-07-15T12:00:00.000Z" });
  });

  it("spends 100 credits on exactly 100 of 200 concurrent uses and never goes below zero", async () => {
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => gen("wallet", `g${i}`)));
    expect(results.filter((r) => r.recorded)).toHaveLength(100);
    const refused = results.filter((r) => !r.recorded);
    expect(refused).toHaveLength(100);
    expect(refused.every((r) => r.decision.reason === "insufficient_credits")).toBe(true);
    const credits = await t.engine.credits.get(live("wallet"));
    expect(credits.balance).toBe(0);
    expect(credits.grants).toEqual([
      expect.objectContaining({
        source: "included",
        amount: 100,
        remaining: 0,
        expiresAt: "2026-07-15T12:00:00.000Z",
      }),
    ]);
    expect(await ledgerSum("wallet")).toBe(0);
    const check = await t.engine.entitlements.check(live("wallet"), { feature: "gen", quantity: 1 });
    expect(check).toMatchObject({
      allowed: false,
      reason: "insufficient_credits",
      credits: { cost: 1, balance: 0 },
    });
  });

  it("answers the balance after the track's own debit", async () => {
    const result = await gen("spend", "s1", 30);
    expect(result.decision.credits).toEqual({ cost: 30, balance: 70, unlimited: false });
    expect((await t.engine.credits.get(live("spend"))).balance).toBe(70);
    const again = await gen("spend", "s1", 30);
    expect(again).toMatchObject({ duplicate: true, decision: { credits: { cost: 0, balance: 70 } } });
  });

  it("answers each of concurrent tracks the balance after its own debit and the ones decided before it", async () => {
    // Tracks arriving while a batch runs share the next one: each sees the debits before it too.
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => gen("spend_many", `m${i}`, 10)));
    const balances = results.map((r) => r.decision.credits?.balance).sort((a, b) => (b ?? 0) - (a ?? 0));
    expect(balances).toEqual([90, 80, 70, 60, 50]);
    expect((await t.engine.credits.get(live("spend_many"))).balance).toBe(50);
  });

  it("takes an admin's bonus grant at once, with an audit entry", async () => {
    const grant = await t.engine.credits.grant(
      live("wallet"),
      { amount: 5, source: "bonus" },
      admin("goodwill, ticket 88"),
    );
    expect(grant).toMatchObject({ amount: 5, remaining: 5, source: "bonus" });
    const check = await t.engine.entitlements.check(live("wallet"), { feature: "gen", quantity: 5 });
    expect(check).toMatchObject({ allowed: true, credits: { cost: 5, balance: 5 } });
    const { data } = await t.engine.audit.list({
      customerId: "wallet",
      action: "credits.granted",
      env: "live",
      limit: 5,
    });
    const [entry] = data;
    expect(entry).toMatchObject({ reason: "goodwill, ticket 88" });
  });

  it("refuses a bad grant naming the field, and changes nothing", async () => {
    const before = await t.engine.credits.get(live("wallet"));
    await expect(t.engine.credits.grant(live("wallet"), { amount: -5 }, admin("x"))).rejects.toMatchObject({
      code: "parameter_invalid",
      param: "amount",
    });
    await expect(t.engine.credits.grant(live("wallet"), { amount: 5 }, admin(""))).rejects.toMatchObject({
      param: "reason",
    });
    expect(await t.engine.credits.get(live("wallet"))).toEqual(before);
  });

  it("burns the soonest-expiring grant first, then by priority", async () => {
    await gen("burn", "warm", 0); // grants the included 100, expiring 07-15
    await t.engine.credits.grant(live("burn"), { amount: 10, source: "purchased" }, admin("bought 10"));
    await t.engine.credits.grant(
      live("burn"),
      { amount: 10, source: "promotional", expiresAt: "2026-06-20T00:00:00Z" },
      admin("launch promo"),
    );
    await gen("burn", "b1", 15);
    const grants = (await t.engine.credits.get(live("burn"))).grants;
    const bySource = Object.fromEntries(grants.map((g) => [g.source, g.remaining]));
    expect(bySource).toEqual({ promotional: 0, included: 95, purchased: 10 });
  });

  it("records usage without debiting when credits are unlimited", async () => {
    const result = await gen("unlimited", "u1", 1_000);
    expect(result).toMatchObject({ recorded: true, decision: { credits: { unlimited: true } } });
    expect(await ledgerSum("unlimited")).toBe(0);
    expect((await t.engine.credits.get(live("unlimited"))).unlimited).toBe(true);
  });

  it("tops the period's included credits up when seats are added, and takes nothing back when one goes", async () => {
    const ref = live("grow");
    await gen("grow", "g1", 10);
    expect((await t.engine.credits.get(ref)).balance).toBe(90); // 100 for the one seat counted when none are named
    await t.engine.seats.add(ref, { id: "u1", role: "admin" }, admin().actor);
    await t.engine.seats.add(ref, { id: "u2", role: "builder" }, admin().actor);
    const owed = await t.engine.credits.get(ref);
    expect(owed).toMatchObject({ balance: 190, pendingIncluded: { amount: 100 } });
    await gen("grow", "g2", 5);
    const after = await t.engine.credits.get(ref);
    expect(after).toMatchObject({ balance: 185, pendingIncluded: null });
    expect(after.grants.map((g) => [g.source, g.amount])).toEqual([
      ["included", 100],
      ["included", 100],
    ]);
    await t.engine.seats.remove(ref, "u2", admin().actor);
    expect((await t.engine.credits.get(ref)).balance).toBe(185);
    await t.engine.seats.add(ref, { id: "u2", role: "builder" }, admin().actor);
    await t.engine.seats.add(ref, { id: "u3", role: "viewer" }, admin().actor);
    expect((await t.engine.credits.get(ref)).balance).toBe(285);
  });

  it("expires a period's included credits at its end and grants the next period's", async () => {
    await gen("renew", "r1", 40);
    t.clock.set("2026-07-15T12:00:00Z");
    expect((await t.engine.credits.get(live("renew"))).balance).toBe(100);
    await gen("renew", "r2", 1);
    const credits = await t.engine.credits.get(live("renew"));
    expect(credits.balance).toBe(99);
    expect(credits.grants.map((g) => [g.source, g.amount, g.remaining, g.expired])).toEqual([
      ["included", 100, 99, false],
      ["included", 100, 0, true],
    ]);
    const l = tables.creditLedger;
    const kinds = await t.database.db
      .select({ kind: l.kind, amount: l.amount })
      .from(l)
      .where(eq(l.customerId, "renew"))
      .orderBy(l.id);
    expect(kinds).toEqual([
      { kind: "grant", amount: 100 },
      { kind: "debit", amount: -40 },
      { kind: "grant", amount: 100 },
      { kind: "expiry", amount: -60 },
      { kind: "debit", amount: -1 },
    ]);
  });
});
