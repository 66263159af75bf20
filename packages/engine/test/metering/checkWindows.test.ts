import { PlanTerms } from "@tollgate/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admin, live, openTestEngine, type TestEngine } from "../testEngine";

let t: TestEngine;
beforeAll(async () => {
  t = await openTestEngine("2026-06-15T12:00:00Z");
  await t.engine.features.create(
    { key: "calls", name: "API calls", type: "metered", aggregation: "sum" },
    admin(),
  );
  const plan = (key: string, limit: number, window: "period" | "day") =>
    t.engine.plans.create(
      { key, custom: false, env: "live" },
      PlanTerms.parse({
        name: key,
        kind: "standard",
        basePrice: 0,
        entitlements: { calls: { limit, window, enforcement: "block" } },
      }),
      admin(),
    );
  await plan("monthly", 1000, "period");
  await plan("daily", 10, "day");
  await t.engine.customers.upsert("live", { id: "mover" }, admin().actor);
  await t.engine.subscriptions.assign(live("mover"), { planKey: "monthly" }, admin());
});
afterAll(() => t.database.close());

const track = (id: string, quantity: number) =>
  t.engine.usage.track("live", { customerId: "mover", feature: "calls", id, quantity });
const check = () => t.engine.entitlements.check(live("mover"), { feature: "calls", quantity: 1 });

describe("check after a plan change moves a feature to another window", () => {
  it("counts the new window's usage, as track does, not the old window's", async () => {
    expect((await track("m1", 500)).decision).toMatchObject({ used: 500, limit: 1000 });
    t.clock.advance(60_000);
    await t.engine.subscriptions.assign(live("mover"), { planKey: "daily", effectiveAt: t.clock() }, admin());
    // The 500 were counted in the monthly window; nothing yet in today's window of 10.
    expect(await check()).toMatchObject({ allowed: true, used: 0, limit: 10 });
    expect((await track("d1", 3)).decision).toMatchObject({ allowed: true, used: 3, limit: 10 });
    expect(await check()).toMatchObject({ allowed: true, used: 3 });
  });

  it("and back: the monthly window's usage again, however recent the daily one", async () => {
    t.clock.advance(60_000);
    await t.engine.subscriptions.assign(
      live("mover"),
      { planKey: "monthly", effectiveAt: t.clock() },
      admin(),
    );
    const standing = await check();
    const tracked = await track("m2", 1);
    expect(standing.used).toBe(tracked.decision.used - 1);
    expect(await check()).toMatchObject({ used: tracked.decision.used });
  });
});
