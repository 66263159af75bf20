import { PlanTerms } from "@tollgate/core";
import { admin, live, type TestEngine } from "../testEngine";

/**
 * A small metered catalog: `calls` (sum) blocked at 100 a period, `tokens` (sum) billed past
 * 1000 at 0.002, `gb` (latest, a gauge) in grace past 50, `users` (unique users per day),
 * `runs` (count) per workspace, blocked at 3, and `gen` (sum) with no limit that costs one
 * credit a unit, `llm` (sum) blocked at 1000 a period, for reservations, and `exports` (sum)
 * throttled past 10 a day to 2 a minute. The plan includes 100 credits per seat a period and 3 seats.
 */
export async function seedMeteredPlan(t: TestEngine, customerIds: string[]): Promise<void> {
  const { engine } = t;
  const features = [
    { key: "calls", name: "API calls", type: "metered", aggregation: "sum" },
    { key: "tokens", name: "Tokens", type: "metered", aggregation: "sum" },
    { key: "gb", name: "Storage GB", type: "metered", aggregation: "latest" },
    {
      key: "users",
      name: "Active users",
      type: "metered",
      aggregation: "unique_count",
      uniqueProperty: "userId",
    },
    { key: "runs", name: "Runs", type: "metered", aggregation: "count" },
    { key: "gen", name: "Generations", type: "metered", aggregation: "sum" },
    { key: "llm", name: "LLM tokens", type: "metered", aggregation: "sum" },
    { key: "exports", name: "Exports", type: "metered", aggregation: "sum" },
  ] as const;
  for (const feature of features) await engine.features.create(feature, admin());
  await engine.plans.create(
    { key: "metered", custom: false, env: "live" },
    PlanTerms.parse({
      name: "Metered",
      kind: "standard",
      basePrice: 1000,
      credits: { perSeat: 100, price: "0.01", neverExpire: false },
      seats: { limit: 3, enforcement: "block" },
      entitlements: {
        gen: { limit: null, enforcement: "allow", creditCost: 1 },
        llm: { limit: 1000, window: "period", enforcement: "block" },
        exports: { limit: 10, window: "day", enforcement: "throttle", throttle: { perMinute: 2 } },
        calls: { limit: 100, window: "period", enforcement: "block" },
        tokens: {
          limit: 1000,
          window: "period",
          enforcement: "billable_overage",
          overage: { unitAmount: "0.002" },
        },
        gb: { limit: 50, window: "never", enforcement: "grace" },
        users: { limit: 2, window: "day", enforcement: "block" },
        runs: { limit: 3, window: "day", enforcement: "block", scope: "workspace" },
      },
    }),
    admin(),
  );
  for (const id of customerIds) {
    await engine.customers.upsert("live", { id }, admin().actor);
    await engine.subscriptions.assign(live(id), { planKey: "metered" }, admin());
  }
}
