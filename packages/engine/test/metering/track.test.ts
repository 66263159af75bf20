import { tables } from "@tollgate/store";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { live, openTestEngine, type TestEngine } from "../testEngine";
import { seedMeteredPlan } from "./meteringFixture";

let t: TestEngine;
beforeAll(async () => {
  t = await openTestEngine("2026-06-15T12:00:00Z");
  await seedMeteredPlan(t, ["hot", "dup", "modes", "ws", "thr", "slow", "retry", "retry_past"]);
});
afterAll(() => t.database.close());

const track = (customerId: string, feature: string, id: string, quantity = 1, extra: object = {}) =>
  t.engine.usage.track("live", { customerId, feature, id, quantity, ...extra });

describe("track under a block limit", () => {
  it("records exactly 100 of 200 concurrent calls against a limit of 100, and never more", async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => track("hot", "calls", `evt_${i}`)),
    );
    expect(results.filter((r) => r.recorded)).toHaveLength(100);
    const refused = results.filter((r) => !r.recorded);
    expect(refused).toHaveLength(100);
    expect(refused.every((r) => r.decision.reason === "limit_exceeded" && !r.decision.allowed)).toBe(true);
    const check = await t.engine.entitlements.check(live("hot"), { feature: "calls", quantity: 1 });
    expect(check).toMatchObject({ used: 100, remaining: 0, allowed: false });
    const series = await t.engine.usage.series(live("hot"), { feature: "calls", granularity: "month" });
    expect(series.reduce((sum, p) => sum + p.quantity, 0)).toBe(100);
  });

  it("says how much is left after each recorded use", async () => {
    const first = await track("dup", "calls", "a1", 30);
    expect(first).toMatchObject({ recorded: true, duplicate: false });
    expect(first.decision).toMatchObject({ allowed: true, used: 30, remaining: 70, limit: 100 });
  });
});

describe("sandbox", () => {
  it("counts test-environment usage apart: it never reaches the live customer of the same id", async () => {
    const sandbox = { env: "test" as const, customerId: "hot" };
    await t.engine.customers.upsert("test", { id: "hot" }, { id: "key_test", role: "secret" });
    await t.engine.subscriptions.assign(
      sandbox,
      { planKey: "metered" },
      { actor: { id: "a", role: "admin" }, reason: "sandbox" },
    );
    const result = await t.engine.usage.track("test", {
      customerId: "hot",
      feature: "calls",
      id: "evt_0",
      quantity: 7,
    });
    expect(result).toMatchObject({ recorded: true, duplicate: false, decision: { used: 7 } });
    expect((await t.engine.entitlements.check(sandbox, { feature: "calls", quantity: 0 })).used).toBe(7);
    expect((await t.engine.entitlements.check(live("hot"), { feature: "calls", quantity: 0 })).used).toBe(
      100,
    );
  });
});

describe("throttle", () => {
  it("admits past the limit at the reduced rate, refuses the rest with retryAfter, and admits again next minute", async () => {
    t.clock.set("2026-06-15T12:00:15Z");
    expect((await track("slow", "exports", "x1", 10)).decision.reason).toBe("within_limit");
    const past = await track("slow", "exports", "x2", 1);
    expect(past).toMatchObject({ recorded: true, decision: { allowed: true, reason: "throttle_admitted" } });
    expect((await track("slow", "exports", "x3", 1)).recorded).toBe(true);
    const refused = await track("slow", "exports", "x4", 1);
    expect(refused).toMatchObject({ recorded: false, decision: { reason: "throttled", retryAfter: 45 } });
    const check = await t.engine.entitlements.check(live("slow"), { feature: "exports", quantity: 1 });
    expect(check).toMatchObject({ allowed: false, reason: "throttled", used: 12, retryAfter: 45 });
    t.clock.set("2026-06-15T12:01:00Z");
    expect((await track("slow", "exports", "x5", 2)).decision.reason).toBe("throttle_admitted");
    expect((await track("slow", "exports", "x6", 1)).recorded).toBe(false);
    t.clock.set("2026-06-15T12:00:00Z");
  });
});

describe("idempotency", () => {
  it("counts an id once whether it is sent again concurrently or a week later", async () => {
    const [a, b] = await Promise.all([track("dup", "calls", "same", 5), track("dup", "calls", "same", 5)]);
    expect([a.recorded, b.recorded].sort()).toEqual([false, true]);
    expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
    t.clock.advance(7 * 86_400_000);
    const later = await track("dup", "calls", "same", 5);
    expect(later).toMatchObject({ recorded: false, duplicate: true });
    const check = await t.engine.entitlements.check(live("dup"), { feature: "calls", quantity: 0 });
    expect(check.used).toBe(35);
  });

  it("answers a retry near the limit with the standing as it is, not a refusal of what was counted", async () => {
    expect((await track("retry", "calls", "near", 95)).decision).toMatchObject({ used: 95, remaining: 5 });
    const retry = await track("retry", "calls", "near", 95);
    expect(retry).toMatchObject({ recorded: false, duplicate: true });
    expect(retry.decision).toMatchObject({ allowed: true, reason: "within_limit", used: 95, remaining: 5 });
  });

  it("answers a retry past a block limit as already recorded, not as a refusal of 0 more", async () => {
    expect((await track("retry_past", "calls", "past", 5)).recorded).toBe(true);
    // `/v1/events` enforces nothing: it takes the customer past the limit of 100.
    await t.engine.usage.ingest("live", [
      { id: "bulk", customerId: "retry_past", feature: "calls", quantity: 120 },
    ]);
    const retry = await track("retry_past", "calls", "past", 5);
    expect(retry).toMatchObject({ recorded: false, duplicate: true });
    expect(retry.decision).toMatchObject({
      allowed: true,
      reason: "already_recorded",
      used: 125,
      remaining: 0,
    });
    expect(retry.decision.message).toBe("already recorded, counted once; 125 of 100 calls used");
    const fresh = await track("retry_past", "calls", "new", 1);
    expect(fresh).toMatchObject({ recorded: false, decision: { allowed: false, reason: "limit_exceeded" } });
  });
});

describe("enforcement modes on track", () => {
  it("bills the excess past the limit under billable_overage", async () => {
    const within = await track("modes", "tokens", "t1", 900);
    expect(within.decision).toMatchObject({ allowed: true, reason: "within_limit" });
    const over = await track("modes", "tokens", "t2", 300);
    expect(over.recorded).toBe(true);
    expect(over.decision).toMatchObject({
      reason: "overage",
      overage: { quantity: 200, amount: 40, currency: "usd" },
    });
  });

  it("keeps the latest value of a gauge and allows past the limit in grace", async () => {
    await track("modes", "gb", "g1", 40);
    const over = await track("modes", "gb", "g2", 60);
    expect(over.decision).toMatchObject({ allowed: true, reason: "grace_over_limit" });
    const down = await track("modes", "gb", "g3", 10);
    expect(down.decision.used).toBe(10);
  });

  it("counts unique values per day and refuses the third new user under block", async () => {
    expect((await track("modes", "users", "u1", 1, { properties: { userId: "ann" } })).recorded).toBe(true);
    expect((await track("modes", "users", "u2", 1, { properties: { userId: "ann" } })).decision.used).toBe(1);
    expect((await track("modes", "users", "u3", 1, { properties: { userId: "bob" } })).recorded).toBe(true);
    const third = await track("modes", "users", "u4", 1, { properties: { userId: "cy" } });
    expect(third).toMatchObject({ recorded: false, decision: { reason: "limit_exceeded" } });
    const again = await track("modes", "users", "u5", 1, { properties: { userId: "bob" } });
    expect(again.recorded).toBe(true);
  });

  it("keeps a per-workspace quota for each workspace", async () => {
    for (const id of ["r1", "r2", "r3"]) await track("ws", "runs", id, 1, { workspaceId: "w1" });
    expect((await track("ws", "runs", "r4", 1, { workspaceId: "w1" })).recorded).toBe(false);
    expect((await track("ws", "runs", "r5", 1, { workspaceId: "w2" })).recorded).toBe(true);
    await expect(track("ws", "runs", "r6")).rejects.toMatchObject({
      code: "workspace_required",
      param: "workspaceId",
    });
  });
});

const outboxOf = (customerId: string) =>
  t.database.db
    .select({ type: tables.outbox.type, payload: tables.outbox.payload })
    .from(tables.outbox)
    .where(and(eq(tables.outbox.customerId, customerId), eq(tables.outbox.type, "quota_threshold_reached")))
    .orderBy(tables.outbox.seq);

describe("threshold events", () => {
  it("fire once per threshold per window, however the usage arrives", async () => {
    await track("thr", "calls", "c1", 85);
    expect((await outboxOf("thr")).map((e) => (e.payload as { threshold: number }).threshold)).toEqual([0.8]);
    await track("thr", "calls", "c2", 5);
    await track("thr", "calls", "c3", 1);
    await t.engine.usage.ingest("live", [{ id: "c4", customerId: "thr", feature: "calls", quantity: 9 }]);
    await track("thr", "calls", "c5", 1);
    const events = await outboxOf("thr");
    expect(events.map((e) => e.type)).toEqual(Array(3).fill("quota_threshold_reached"));
    expect(events.map((e) => e.payload)).toEqual([
      expect.objectContaining({ feature: "calls", threshold: 0.8, limit: 100, used: 85 }),
      expect.objectContaining({ threshold: 0.9, used: 90 }),
      expect.objectContaining({ threshold: 1, used: 100 }),
    ]);
  });

  it("fired exactly three times for the 200 concurrent calls that filled the hot customer's quota", async () => {
    const thresholds = (await outboxOf("hot")).map((e) => (e.payload as { threshold: number }).threshold);
    expect(thresholds).toEqual([0.8, 0.9, 1]);
  });
});

describe("enforcement log", () => {
  it("keeps every refused track of the hot customer, and the billed overage", async () => {
    const refused = await t.database.db
      .select()
      .from(tables.enforcementLog)
      .where(
        and(eq(tables.enforcementLog.customerId, "hot"), eq(tables.enforcementLog.reason, "limit_exceeded")),
      );
    expect(refused).toHaveLength(100);
    expect(refused[0]?.decision).toMatchObject({ allowed: false, feature: "calls", limit: 100 });
    const overage = await t.database.db
      .select()
      .from(tables.enforcementLog)
      .where(and(eq(tables.enforcementLog.customerId, "modes"), eq(tables.enforcementLog.reason, "overage")));
    expect(overage.map((o) => o.eventId)).toEqual(["t2"]);
  });
});

describe("counter retention", () => {
  it("prunes closed windows past the late window and old throttle minutes, and keeps what is still read", async () => {
    const counters = async () =>
      t.database.db
        .select({ feature: tables.usageCounters.featureKey, scope: tables.usageCounters.scopeKey })
        .from(tables.usageCounters)
        .where(eq(tables.usageCounters.customerId, "slow"));
    const before = await counters();
    expect(before.some((c) => c.scope.startsWith("\u0001throttle"))).toBe(true);
    t.clock.set("2026-06-15T14:00:00Z");
    expect(await t.engine.usage.pruneCounters()).toBeGreaterThan(0);
    const after = await counters();
    expect(after.some((c) => c.scope.startsWith("\u0001throttle"))).toBe(false);
    expect(after.filter((c) => c.feature === "exports")).toHaveLength(1); // today's window stays
    t.clock.set("2026-06-27T00:00:00Z"); // the day window closed 11 days ago: past 72 h + 7 days
    await t.engine.usage.pruneCounters();
    expect((await counters()).filter((c) => c.feature === "exports")).toHaveLength(0);
    t.clock.set("2026-06-15T12:00:00Z");
  });
});
