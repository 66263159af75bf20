import { PlanTerms } from "@tollgate/core";
import { createEngine } from "@tollgate/engine";
import { sql } from "drizzle-orm";
import { openBenchDatabase } from "./benchDatabase";
import { subscribeCustomers } from "./benchSetup";
import { since } from "./meteringSetup";

const system = { actor: { id: "bench", role: "system" }, reason: "benchmark setup" };
const DAY = 86_400_000;

/**
 * The period close over `customers` customers on one plan (a base fee and a metered feature
 * with overage, each customer with usage), beside its floor: one INSERT … SELECT writing as many
 * invoice rows straight from the subscriptions. Then the close again, which must create none.
 */
export async function benchInvoiceRun(customers: number) {
  const bench = await openBenchDatabase();
  try {
    const periodStart = new Date(Date.now() - 40 * DAY);
    const setup = createEngine({ database: bench.database, clock: () => periodStart });
    await setup.features.create({ key: "calls", name: "Calls", type: "metered", aggregation: "sum" }, system);
    const { version } = await setup.plans.create(
      { key: "metered", custom: false, env: "live" },
      PlanTerms.parse({
        name: "Metered",
        basePrice: 4900,
        entitlements: {
          calls: { limit: 1000, enforcement: "billable_overage", overage: { unitAmount: "0.002" } },
        },
      }),
      system,
    );
    const ids = Array.from({ length: customers }, (_, i) => `cus_${i}`);
    await subscribeCustomers(bench.database, ids, "metered", version.id, periodStart);
    for (let i = 0; i < ids.length; i += 1000) {
      const events = ids.slice(i, i + 1000).map((customerId, j) => ({
        id: `e_${i + j}`,
        customerId,
        feature: "calls",
        quantity: 500 + ((i + j) % 1000),
      }));
      await setup.usage.ingest("live", events);
    }

    const baselineStarted = process.hrtime.bigint();
    await bench.database.db.execute(sql`
      CREATE TEMP TABLE invoice_floor AS
      SELECT s.customer_id, s.env, s.effective_from AS period_start, 'inv_' || s.customer_id AS id,
             s.effective_from + interval '1 month' AS period_end, s.id AS subscription_id, s.plan_key,
             1 AS plan_version, 'usd' AS currency, '[]'::jsonb AS lines, 4900::bigint AS subtotal,
             4900::bigint AS amount_due, false AS skip_billing, 'open' AS status, now() AS finalized_at
      FROM subscriptions s`);
    const baselineMs = since(baselineStarted);

    const closer = createEngine({
      database: bench.database,
      clock: () => new Date(periodStart.getTime() + 32 * DAY),
    });
    const started = process.hrtime.bigint();
    const first = await closer.invoices.finalizeDue();
    const runMs = since(started);
    const rerunStarted = process.hrtime.bigint();
    const again = await closer.invoices.finalizeDue();
    const rerunMs = since(rerunStarted);
    const totals = (await bench.database.db.execute(
      sql`SELECT count(*) AS n, sum(subtotal) AS total FROM invoices`,
    )) as unknown as { rows: { n: string; total: string }[] };

    const perSecond = (n: number, ms: number) => Math.round((n * 1000) / ms);
    console.log(
      `\nperiod close on ${bench.url ? "PostgreSQL" : "PGlite (in memory)"}: ${customers} customers, each with usage past an overage limit`,
    );
    console.table({
      "INSERT … SELECT of as many rows (floor)": {
        invoices: customers,
        ms: Math.round(baselineMs),
        "invoices/s": perSecond(customers, baselineMs),
      },
      "finalizeDue (rated, stored)": {
        invoices: first.created,
        ms: Math.round(runMs),
        "invoices/s": perSecond(first.created, runMs),
      },
      "finalizeDue again": { invoices: again.created, ms: Math.round(rerunMs), "invoices/s": 0 },
    });
    console.log(
      `the close takes ${(runMs / baselineMs).toFixed(0)}× the floor's time (${Math.round((1000 * customers) / runMs)} invoices/s, goal ≥ 300 invoices/s); ` +
        `re-run created ${again.created} (already there: ${again.existing}); stored ${totals.rows[0]?.n} invoices totalling ${totals.rows[0]?.total} minor units`,
    );
    if (first.created !== customers || again.created !== 0) process.exitCode = 1;
  } finally {
    await bench.close();
  }
}
