import { PlanTerms } from "@tollgate/core";
import { createEngine, type Engine } from "@tollgate/engine";
import { type Database, openDatabase, tables } from "@tollgate/store";

const system = { actor: { id: "bench", role: "system" }, reason: "benchmark setup" };

/**
 * An engine over in-memory PGlite with one plan and `count` customers on it, inserted in bulk
 * (the use cases are not what is measured here), and every customer's entitlements cached.
 */
export async function benchEngine(
  count: number,
): Promise<{ engine: Engine; database: Database; ids: string[] }> {
  const database = await openDatabase({});
  await database.migrate();
  const engine = createEngine({ database });
  await engine.features.create({ key: "ai_chat", name: "AI chat", type: "boolean" }, system);
  await engine.features.create(
    { key: "ai_tokens", name: "AI tokens", type: "metered", aggregation: "sum" },
    system,
  );
  const { version } = await engine.plans.create(
    { key: "team_pro", custom: false, env: "live" },
    PlanTerms.parse({
      name: "Team Pro",
      basePrice: 4900,
      entitlements: { ai_chat: {}, ai_tokens: { limit: 1_000_000, enforcement: "block" } },
    }),
    system,
  );
  const ids = Array.from({ length: count }, (_, i) => `cus_${i}`);
  await subscribeCustomers(database, ids, "team_pro", version.id);
  for (const customerId of ids) await engine.entitlements.resolved({ env: "live", customerId });
  return { engine, database, ids };
}

/** Inserts live customers on an active subscription to one plan version, a thousand rows a statement. */
export async function subscribeCustomers(
  database: Database,
  ids: readonly string[],
  planKey: string,
  planVersionId: string,
  now = new Date(),
): Promise<void> {
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    await database.db
      .insert(tables.customers)
      .values(chunk.map((customerId) => ({ customerId, env: "live" as const })));
    await database.db.insert(tables.subscriptions).values(
      chunk.map((customerId) => ({
        customerId,
        env: "live" as const,
        id: `sub_${customerId}`,
        planKey,
        planVersionId,
        status: "active" as const,
        effectiveFrom: now,
        billingAnchor: now,
        reason: "bench",
      })),
    );
  }
}
