import { tables } from "@tollgate/store";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine } from "../../src/engine";
import { openTestEngine, type TestEngine } from "../testEngine";
import { seedMeteredPlan } from "./meteringFixture";

let t: TestEngine;
beforeAll(async () => {
  t = await openTestEngine("2026-06-15T12:00:00Z");
  await seedMeteredPlan(t, ["near", "rolled"]);
});
afterAll(() => t.database.close());

const fired = async (customerId = "near") =>
  (
    await t.database.db
      .select({ payload: tables.outbox.payload })
      .from(tables.outbox)
      .where(and(eq(tables.outbox.customerId, customerId), eq(tables.outbox.type, "quota_threshold_reached")))
      .orderBy(tables.outbox.seq)
  ).map((e) => e.payload as { threshold: number; used: number; windowStart: string });

describe("threshold events past a threshold", () => {
  it("fire once while every later write reaches the threshold again, in this process or another", async () => {
    const track = (engine: TestEngine["engine"], id: string, quantity: number) =>
      engine.usage.track("live", { customerId: "near", feature: "calls", id, quantity });
    await track(t.engine, "n1", 85);
    await track(t.engine, "n2", 1);
    await t.engine.usage.ingest("live", [{ id: "n3", customerId: "near", feature: "calls", quantity: 1 }]);
    // Another server over the same database knows nothing of what this one fired.
    const other = createEngine({ database: t.database, clock: t.clock });
    await track(other, "n4", 1);
    expect(await fired()).toEqual([expect.objectContaining({ threshold: 0.8, used: 85 })]);
  });

  it("fire again in the next window", async () => {
    const [first] = await fired();
    t.clock.advance(31 * 86_400_000);
    await t.engine.usage.track("live", { customerId: "near", feature: "calls", id: "m1", quantity: 80 });
    const events = await fired();
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({ threshold: 0.8, used: 80 });
    expect(events[1]?.windowStart).not.toBe(first?.windowStart);
  });

  it("fire with the next write when the transaction that first reached them rolled back", async () => {
    // The outbox refuses this customer's events once: the track that reaches 80 % fails whole.
    await t.database.db.execute(sql`
      CREATE FUNCTION refuse_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'outbox unavailable'; END $$`);
    await t.database.db.execute(sql`
      CREATE TRIGGER refuse_once BEFORE INSERT ON outbox FOR EACH ROW
      WHEN (NEW.customer_id = 'rolled') EXECUTE FUNCTION refuse_once()`);
    const track = (id: string, quantity: number) =>
      t.engine.usage.track("live", { customerId: "rolled", feature: "calls", id, quantity });
    await expect(track("r1", 85)).rejects.toThrow();
    await t.database.db.execute(sql`DROP TRIGGER refuse_once ON outbox`);
    expect(await fired("rolled")).toEqual([]);
    expect((await track("r2", 85)).recorded).toBe(true);
    expect(await fired("rolled")).toEqual([expect.objectContaining({ threshold: 0.8, used: 85 })]);
  });
});
