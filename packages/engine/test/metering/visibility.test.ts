import { afterAll, beforeAll, expect, it } from "vitest";
import { createEngine, type Engine } from "../../src/index";
import { live, openTestEngine, type TestEngine } from "../testEngine";
import { seedMeteredPlan } from "./meteringFixture";

// Two engines over one database stand for two server processes: each has its own cache.
let t: TestEngine;
let other: Engine;
beforeAll(async () => {
  t = await openTestEngine();
  await seedMeteredPlan(t, ["shared"]);
  other = createEngine({ database: t.database, clock: t.clock, config: { counterRefreshMs: 50 } });
});
afterAll(() => t.database.close());

it("usage recorded by another process reaches this one's checks within the refresh interval", async () => {
  const input = { feature: "calls", quantity: 1 };
  expect((await other.entitlements.check(live("shared"), input)).used).toBe(0);
  await t.engine.usage.track("live", { customerId: "shared", feature: "calls", id: "e1", quantity: 30 });
  const started = Date.now();
  let used = 0;
  while (used !== 30 && Date.now() - started < 2_000) {
    used = other.entitlements.checkCached(live("shared"), input)?.used ?? -1;
    await new Promise((r) => setTimeout(r, 10));
    t.clock.advance(10); // the engines' clock moves with real time
  }
  expect(used).toBe(30);
  expect(Date.now() - started).toBeLessThan(1_000);
});
