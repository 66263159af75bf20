import { PlanTerms } from "@tollgate/core";
import { createEngine } from "@tollgate/engine";
import { ensureEventPartitions } from "@tollgate/store";
import { sql } from "drizzle-orm";
import { openBenchDatabase } from "./benchDatabase";
import { subscribeCustomers } from "./benchSetup";
import { since } from "./meteringSetup";

const system = { actor: { id: "bench", role: "system" }, reason: "benchmark setup" };

/**
 * Rating a period's usage into priced lines: `events` usage events over `customers` customers
 * (graduated tiers on one feature, overage on another), written as the ingest path leaves them
 * (raw rows plus hourly rollups, loaded here in bulk with SQL since loading is not what is
 * measured), then every customer's invoice rated (`invoices.upcoming`) beside the bare SQL
 * GROUP BY of the raw rows that a rater without rollups would need.
 */
export async function benchRating(options: { events: number; customers: number }) {
  const { events, customers } = options;
  const bench = await openBenchDatabase();
  try {
    const periodStart = new Date(Date.now() - 3 * 86_400_000);
    const engine = createEngine({ database: bench.database });
    await engine.features.create(
      { key: "storage", name: "Storage", type: "metered", aggregation: "sum" },
      system,
    );
    await engine.features.create(
      { key: "tokens", name: "Tokens", type: "metered", aggregation: "sum" },
      system,
    );
    const { version } = await engine.plans.create(
      { key: "metered", custom: false, env: "live" },
      PlanTerms.parse({
        name: "Metered",
        basePrice: 4900,
        entitlements: {
          storage: { limit: null, enforcement: "allow" },
          tokens: { limit: 1000, enforcement: "billable_overage", overage: { unitAmount: "0.0004" } },
        },
        prices: [
          {
            feature: "storage",
            model: "graduated",
            tiers: [
              { upTo: 100, unitAmount: "0" },
              { upTo: 1000, unitAmount: "0.05" },
              { upTo: null, unitAmount: "0.02" },
            ],
          },
        ],
      }),
      system,
    );
    const ids = Array.from({ length: customers }, (_, i) => `cus_${i}`);
    await subscribeCustomers(bench.database, ids, "metered", version.id, periodStart);
    const start = periodStart.toISOString();
    await ensureEventPartitions(bench.database.db, [
      periodStart,
      new Date(periodStart.getTime() + 200_000_000),
    ]);
    await bench.database.db.execute(sql`
      INSERT INTO usage_events (env, customer_id, event_id, feature_key, quantity, timestamp, received_at, window_start, backfill)
      SELECT 'live', 'cus_' || (n % ${customers}), 'e_' || n, CASE WHEN n % 2 = 0 THEN 'storage' ELSE 'tokens' END,
             (n % 7) + 1, ${start}::timestamptz + (n % 200000) * interval '1 second', now(), ${start}::timestamptz, false
      FROM generate_series(0, ${events - 1}) AS n`);
    await bench.database.db.execute(sql`
      INSERT INTO usage_hourly (env, customer_id, feature_key, hour_start, quantity, events, max_quantity, first_seen, latest_quantity, latest_at)
      SELECT env, customer_id, feature_key, date_trunc('hour', timestamp), sum(quantity), count(*), max(quantity), 0,
             (array_agg(quantity ORDER BY timestamp DESC))[1], max(timestamp)
      FROM usage_events GROUP BY 1, 2, 3, 4`);
    await bench.database.db.execute(sql`ANALYZE`);

    const baselineStarted = process.hrtime.bigint();
    const grouped = (await bench.database.db.execute(sql`
      SELECT customer_id, feature_key, sum(quantity) AS quantity FROM usage_events
      WHERE env = 'live' AND timestamp >= ${start}::timestamptz GROUP BY 1, 2`)) as unknown as {
      rows: unknown[];
    };
    const baselineMs = since(baselineStarted);

    const started = process.hrtime.bigint();
    let total = 0;
    let lines = 0;
    for (let i = 0; i < ids.length; i += 16) {
      const invoices = await Promise.all(
        ids.slice(i, i + 16).map((customerId) => engine.invoices.upcoming({ env: "live", customerId })),
      );
      for (const invoice of invoices) {
        total += invoice.subtotal;
        lines += invoice.lines.length;
      }
    }
    const ratingMs = since(started);
    console.log(
      `\nrating ${events.toLocaleString("en")} usage events over ${customers} customers into invoice lines, on ${bench.url ? "PostgreSQL" : "PGlite (in memory)"}`,
    );
    console.table({
      "bare SQL GROUP BY of the raw events (baseline)": {
        ms: Math.round(baselineMs),
        rows: grouped.rows.length,
      },
      "invoices.upcoming for every customer (rated lines)": { ms: Math.round(ratingMs), rows: lines },
    });
    console.log(
      `rating took ${(ratingMs / 1000).toFixed(2)} s (goal ≤ 5 s), ${(ratingMs / baselineMs).toFixed(2)}× the bare GROUP BY; ` +
        `${customers} invoices totalling ${total} minor units`,
    );
  } finally {
    await bench.close();
  }
}
