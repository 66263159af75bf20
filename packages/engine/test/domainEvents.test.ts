import { PlanTerms } from "@tollgate/core";
import { tables } from "@tollgate/store";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { admin, live, openTestEngine, type TestEngine } from "./testEngine";

let t: TestEngine;
beforeAll(async () => {
  t = await openTestEngine("2026-06-15T12:00:00Z");
  await t.engine.features.create({ key: "api", name: "API", type: "boolean" }, admin());
  await t.engine.plans.create(
    { key: "team", custom: false, env: "live" },
    PlanTerms.parse({
      name: "Team",
      basePrice: 1000,
      seats: { limit: 5 },
      credits: { perSeat: 10, price: "1", neverExpire: false },
      entitlements: { api: {} },
    }),
    admin(),
  );
  await t.engine.customers.upsert("live", { id: "c" }, admin().actor);
});
afterAll(() => t.database.close());

it("writes a domain event for every change a cache of the customer's entitlements must hear of", async () => {
  const ref = live("c");
  await t.engine.subscriptions.assign(ref, { planKey: "team" }, admin("signed"));
  await t.engine.seats.add(ref, { id: "u1", role: "admin" }, admin().actor);
  await t.engine.credits.grant(ref, { amount: 50, source: "bonus" }, admin("goodwill"));
  await t.engine.seats.remove(ref, "u1", admin().actor);
  await t.engine.overrides.set(ref, { overrides: { planLabel: "Team+" } }, admin("label"));
  await t.engine.subscriptions.cancel(ref, {}, admin("churned"));
  const events = await t.database.db
    .select()
    .from(tables.outbox)
    .where(eq(tables.outbox.customerId, "c"))
    .orderBy(asc(tables.outbox.seq));
  expect(
    events.map((e) => [
      e.type,
      (e.payload as { cause?: string; change?: string }).cause ?? (e.payload as { change?: string }).change,
    ]),
  ).toEqual([
    ["plan_changed", "new"],
    ["entitlements_changed", "seat.added"],
    ["entitlements_changed", "credits.granted"],
    ["entitlements_changed", "seat.removed"],
    ["plan_adjusted", undefined],
    ["plan_changed", "canceled"],
  ]);
});
