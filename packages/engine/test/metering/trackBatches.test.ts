import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { live, openTestEngine, type TestEngine } from "../testEngine";
import { seedMeteredPlan } from "./meteringFixture";

const CUSTOMERS = Array.from({ length: 30 }, (_, i) => `many_${i}`);

let t: TestEngine;
beforeAll(async () => {
  // Several batches at once on PostgreSQL (one is the default): a customer must still be in one.
  t = await openTestEngine("2026-06-15T12:00:00Z", (database) => ({
    trackBatches: database.driver === "postgres" ? 4 : 1,
  }));
  await seedMeteredPlan(t, [...CUSTOMERS, "raced"]);
});
afterAll(() => t.database.close());

describe("tracks of many customers at once (batched into shared transactions)", () => {
  it("holds every customer's limit exactly: 30 customers × 150 concurrent calls against 100 each", async () => {
    const results = await Promise.all(
      CUSTOMERS.flatMap((customerId) =>
        Array.from({ length: 150 }, (_, i) =>
          t.engine.usage.track("live", { customerId, feature: "calls", id: `b_${i}`, quantity: 1 }),
        ),
      ),
    );
    expect(results.filter((r) => r.recorded)).toHaveLength(30 * 100);
    for (const customerId of CUSTOMERS) {
      const check = await t.engine.entitlements.check(live(customerId), { feature: "calls", quantity: 0 });
      expect(check.used).toBe(100);
      const series = await t.engine.usage.series(live(customerId), {
        feature: "calls",
        granularity: "month",
      });
      expect(series.reduce((sum, p) => sum + p.quantity, 0)).toBe(100);
    }
  });

  it("refuses an unknown customer without failing the other tracks sent with it", async () => {
    const [good, unknown] = await Promise.allSettled([
      t.engine.usage.track("live", { customerId: "raced", feature: "tokens", id: "k1", quantity: 1 }),
      t.engine.usage.track("live", { customerId: "nobody", feature: "tokens", id: "k1", quantity: 1 }),
    ]);
    expect(good).toMatchObject({ status: "fulfilled", value: { recorded: true } });
    expect(unknown).toMatchObject({ status: "rejected", reason: { code: "customer_not_found" } });
  });
});

describe("the same ids through track and batch ingest at once", () => {
  it("counts each id once, whichever path records it", async () => {
    const ids = Array.from({ length: 300 }, (_, i) => `r_${i}`);
    const event = (id: string) => ({ customerId: "raced", feature: "tokens", id, quantity: 2 });
    const batches = [ids.slice(0, 100), ids.slice(100, 200), ids.slice(200)];
    const [tracked, ingested] = await Promise.all([
      Promise.all(ids.map((id) => t.engine.usage.track("live", event(id)))),
      Promise.all(batches.map((batch) => t.engine.usage.ingest("live", batch.map(event)))),
    ]);
    const byTrack = tracked.filter((r) => r.recorded).length;
    const byIngest = ingested.reduce((sum, r) => sum + r.accepted, 0);
    expect(byTrack + byIngest).toBe(300);
    const check = await t.engine.entitlements.check(live("raced"), { feature: "tokens", quantity: 0 });
    expect(check.used).toBe(1 + 600);
  });
});
