import { tables } from "@tollgate/store";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { live, openTestEngine, type TestEngine } from "../testEngine";
import { seedMeteredPlan } from "./meteringFixture";

let t: TestEngine;
beforeAll(async () => {
  t = await openTestEngine("2026-06-15T12:00:00Z");
  await seedMeteredPlan(t, [
    "ai",
    "ttl",
    "race",
    "lapse",
    "wallet",
    "wallet_race",
    "wallet_ttl",
    "wallet_cache",
    "retry",
    "retry_past",
    "wallet_retry",
  ]);
});
afterAll(() => t.database.close());

const reserve = (customerId: string, id: string, quantity: number, ttlSeconds = 60) =>
  t.engine.usage.reserve("live", { customerId, feature: "llm", id, quantity, ttlSeconds });
const used = async (customerId: string) =>
  (await t.engine.entitlements.check(live(customerId), { feature: "llm", quantity: 0 })).used;
/** The counter as stored, not as this process caches it. */
const stored = async (customerId: string) => {
  const rows = await t.database.db
    .select()
    .from(tables.usageCounters)
    .where(eq(tables.usageCounters.customerId, customerId));
  return rows.filter((r) => r.featureKey === "llm").reduce((sum, r) => sum + r.used, 0);
};

describe("reservations", () => {
  it("count against the limit at once, and a commit records the actual amount", async () => {
    const { reservation, decision } = await reserve("ai", "job_1", 600);
    expect(reservation).toMatchObject({ status: "held", quantity: 600 });
    // Answered as held, as a track is answered as recorded: what is used and left after it.
    expect(decision).toMatchObject({ allowed: true, used: 600, remaining: 400, limit: 1000 });
    expect(await used("ai")).toBe(600);
    const refused = await reserve("ai", "job_2", 500);
    expect(refused.reservation).toBeNull();
    expect(refused.decision.reason).toBe("limit_exceeded");

    const committed = await t.engine.usage.commit(live("ai"), "job_1", { quantity: 420 });
    expect(committed).toMatchObject({ status: "committed", committedQuantity: 420 });
    expect(await used("ai")).toBe(420);
    const [event] = await t.database.db
      .select()
      .from(tables.usageEvents)
      .where(eq(tables.usageEvents.eventId, "job_1"));
    expect(event?.quantity).toBe(420);
  });

  it("answers a settled reservation again when settled the same way, and 409 otherwise", async () => {
    expect((await t.engine.usage.commit(live("ai"), "job_1", { quantity: 420 })).status).toBe("committed");
    await expect(t.engine.usage.release(live("ai"), "job_1")).rejects.toMatchObject({
      code: "reservation_not_held",
    });
    await expect(t.engine.usage.release(live("ai"), "nope")).rejects.toMatchObject({
      code: "reservation_not_found",
    });
  });

  it("gives the units back on release", async () => {
    await reserve("ai", "job_3", 300);
    expect(await used("ai")).toBe(720);
    await t.engine.usage.release(live("ai"), "job_3");
    expect(await used("ai")).toBe(420);
  });

  it("gives the units back after the TTL when neither committed nor released", async () => {
    await reserve("ttl", "slow", 900, 30);
    expect(await used("ttl")).toBe(900);
    t.clock.advance(29_000);
    expect(await t.engine.usage.expireReservations()).toBe(0);
    t.clock.advance(1_000);
    expect(await t.engine.usage.expireReservations()).toBe(1);
    expect(await used("ttl")).toBe(0);
    await expect(t.engine.usage.commit(live("ttl"), "slow", { quantity: 5 })).rejects.toMatchObject({
      code: "reservation_not_held",
    });
  });

  it("frees expired units for the next track without waiting for the sweep", async () => {
    await reserve("ttl", "slow2", 1000, 1);
    t.clock.advance(1_000);
    const result = await t.engine.usage.track("live", {
      customerId: "ttl",
      feature: "llm",
      id: "after",
      quantity: 10,
    });
    expect(result.recorded).toBe(true);
    expect(result.decision.used).toBe(10);
    expect(await stored("ttl")).toBe(10);
    expect(await used("ttl")).toBe(10);
  });

  it("frees expired units in any reservation's transaction, whatever it answers", async () => {
    await reserve("lapse", "first", 1000, 1);
    t.clock.advance(1_000);
    // Decided against the counter net of the hold expiring in the same transaction.
    expect((await reserve("lapse", "second", 1000, 1)).decision.allowed).toBe(true);
    expect(await stored("lapse")).toBe(1000);
    t.clock.advance(1_000);
    // Reserving an id again answers the reservation made, and still gives the lapsed units back.
    expect((await reserve("lapse", "second", 1000)).reservation?.status).toBe("expired");
    expect(await stored("lapse")).toBe(0);
    await reserve("lapse", "third", 400);
    await t.engine.usage.commit(live("lapse"), "third", { quantity: 400 });
    await reserve("lapse", "fourth", 500, 1);
    expect(await stored("lapse")).toBe(900);
    t.clock.advance(1_000);
    // So does settling again the same way.
    expect((await t.engine.usage.commit(live("lapse"), "third", { quantity: 400 })).status).toBe("committed");
    expect(await stored("lapse")).toBe(400);
    expect(await used("lapse")).toBe(400);
  });

  it("answers a retried id with its reservation, allowed, holding nothing more, even at the limit", async () => {
    const first = await reserve("retry", "job", 1000);
    expect(first.decision.allowed).toBe(true);
    const again = await reserve("retry", "job", 1000);
    expect(again.reservation).toEqual(first.reservation);
    expect(again.decision).toMatchObject({ allowed: true, reason: "within_limit", used: 1000 });
    expect(await stored("retry")).toBe(1000);
    expect(await used("retry")).toBe(1000);
  });

  it("answers a retried id as already recorded once usage is past the limit", async () => {
    expect((await reserve("retry_past", "job", 1000)).reservation).not.toBeNull();
    await t.engine.usage.ingest("live", [
      { id: "bulk", customerId: "retry_past", feature: "llm", quantity: 50 },
    ]);
    const again = await reserve("retry_past", "job", 1000);
    expect(again.reservation).toMatchObject({ id: "job", status: "held", quantity: 1000 });
    expect(again.decision).toMatchObject({ allowed: true, reason: "already_recorded", used: 1050 });
    expect(await stored("retry_past")).toBe(1050);
  });

  it("holds no more than the limit under concurrent reservations", async () => {
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => reserve("race", `r${i}`, 100)));
    expect(results.filter((r) => r.reservation)).toHaveLength(10);
    expect(await used("race")).toBe(1000);
  });

  it("refuses features it cannot reserve, naming the field", async () => {
    await expect(
      t.engine.usage.reserve("live", { customerId: "ai", feature: "gb", id: "x", quantity: 1 }),
    ).rejects.toMatchObject({ code: "reservation_needs_sum", param: "feature" });
    await expect(reserve("ai", "zero", 0)).rejects.toMatchObject({ param: "quantity" });
  });
});

describe("reservations of a feature that draws on credits (gen: 1 credit a unit, 100 included)", () => {
  const reserveGen = (customerId: string, id: string, quantity: number, ttlSeconds = 60) =>
    t.engine.usage.reserve("live", { customerId, feature: "gen", id, quantity, ttlSeconds });
  const balance = async (customerId: string) => (await t.engine.credits.get(live(customerId))).balance;
  const track = (customerId: string, id: string, quantity: number) =>
    t.engine.usage.track("live", { customerId, feature: "gen", id, quantity });

  it("hold what the units cost: nothing else may spend it, and the commit debits the actual", async () => {
    const held = await reserveGen("wallet", "job_a", 60);
    expect(held.reservation).toMatchObject({ status: "held", quantity: 60 });
    expect(held.decision.credits).toEqual({ cost: 60, balance: 40, unlimited: false });
    expect(await balance("wallet")).toBe(40);
    const refused = await track("wallet", "t_1", 50);
    expect(refused.recorded).toBe(false);
    expect(refused.decision).toMatchObject({ allowed: false, reason: "insufficient_credits" });
    const short = await reserveGen("wallet", "job_b", 41);
    expect(short.reservation).toBeNull();
    expect(short.decision.reason).toBe("insufficient_credits");

    await t.engine.usage.commit(live("wallet"), "job_a", { quantity: 30 });
    expect(await balance("wallet")).toBe(70);
    const ledger = await t.database.db
      .select()
      .from(tables.creditLedger)
      .where(eq(tables.creditLedger.customerId, "wallet"));
    expect(ledger.filter((row) => row.kind === "debit").map((row) => [row.amount, row.eventId])).toEqual([
      [-30, "job_a"],
    ]);
  });

  it("give the hold back on release, and take what is left when the actual costs more than the balance", async () => {
    await reserveGen("wallet", "job_c", 70);
    expect(await balance("wallet")).toBe(0);
    await t.engine.usage.release(live("wallet"), "job_c");
    expect(await balance("wallet")).toBe(70);
    await reserveGen("wallet", "job_d", 50);
    await t.engine.usage.commit(live("wallet"), "job_d", { quantity: 90 }); // 90 credits, 70 there
    expect(await balance("wallet")).toBe(0);
    const [event] = await t.database.db
      .select()
      .from(tables.usageEvents)
      .where(eq(tables.usageEvents.eventId, "job_d"));
    expect(event?.quantity).toBe(90);
  });

  it("let the hold lapse at the TTL without a sweep", async () => {
    await reserveGen("wallet_ttl", "slow", 80, 30);
    expect(await balance("wallet_ttl")).toBe(20);
    t.clock.advance(31_000);
    expect((await track("wallet_ttl", "after", 90)).recorded).toBe(true);
    expect(await balance("wallet_ttl")).toBe(10);
  });

  it("give a cached check the credits back when the hold lapses", async () => {
    const gen = (quantity: number) => ({ feature: "gen", quantity });
    expect(await t.engine.entitlements.check(live("wallet_cache"), gen(90))).toMatchObject({ allowed: true });
    await reserveGen("wallet_cache", "slow", 80, 30);
    const held = await t.engine.entitlements.check(live("wallet_cache"), gen(90));
    expect(held).toMatchObject({ allowed: false, reason: "insufficient_credits" });
    t.clock.advance(31_000);
    expect(await t.engine.entitlements.check(live("wallet_cache"), gen(90))).toMatchObject({ allowed: true });
  });

  it("answer a retried id without holding its credits twice or refusing it insufficient_credits", async () => {
    const first = await reserveGen("wallet_retry", "job", 100);
    expect(await balance("wallet_retry")).toBe(0);
    const again = await reserveGen("wallet_retry", "job", 100);
    expect(again.reservation).toEqual(first.reservation);
    expect(again.decision).toMatchObject({ allowed: true, credits: { cost: 0, balance: 0 } });
    expect(await balance("wallet_retry")).toBe(0);
    await t.engine.usage.release(live("wallet_retry"), "job");
    expect(await balance("wallet_retry")).toBe(100);
  });

  it("hold no more than the balance under concurrent reservations", async () => {
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => reserveGen("wallet_race", `w${i}`, 10)),
    );
    expect(results.filter((r) => r.reservation)).toHaveLength(10);
    expect(await balance("wallet_race")).toBe(0);
  });
});
