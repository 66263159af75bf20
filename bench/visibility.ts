import { createEngine } from "@tollgate/engine";
import { openBenchDatabase } from "./benchDatabase";
import { METERED, meteringEngine, since, sleep } from "./meteringSetup";
import { percentile } from "./stats";

/**
 * Time from an accepted event to its visibility in check on the same engine: `samples` times,
 * one event (quantity 1) is ingested for a customer, and once ingest returns, checkCached is
 * read until it counts the event (and check must agree). Baseline: the ingest call itself, the
 * least any submit-to-visible time can be. Then a probe of a second engine over the same
 * database, as a second server process would be: does its check see the event?
 */
export async function benchVisibility(options: { customers: number; samples: number }) {
  const { customers, samples } = options;
  const bench = await openBenchDatabase();
  try {
    const { engine, ids } = await meteringEngine(bench.database, customers);
    const input = { feature: METERED, quantity: 0 };
    const usedOf = (e: typeof engine, customerId: string) =>
      e.entitlements.checkCached({ env: "live", customerId }, input)?.used;
    const ingestOne = (e: typeof engine, customerId: string, id: string) =>
      e.usage.ingest("live", [{ id, customerId, feature: METERED, quantity: 1 }]);
    for (let i = 0; i < 200; i++) await ingestOne(engine, ids[i % ids.length] as string, `warm_${i}`);

    const ingestMs = new Float64Array(samples);
    const afterMs = new Float64Array(samples);
    const totalMs = new Float64Array(samples);
    let stale = 0;
    let checkDisagrees = 0;
    for (let i = 0; i < samples; i++) {
      const customerId = ids[i % ids.length] as string;
      const before = usedOf(engine, customerId) ?? 0;
      const t0 = process.hrtime.bigint();
      const { accepted } = await ingestOne(engine, customerId, `vis_${i}`);
      if (accepted !== 1) throw new Error(`event vis_${i} not accepted`);
      const t1 = process.hrtime.bigint();
      // Poll until visible, yielding to the event loop between reads; give up after 5 s.
      while ((usedOf(engine, customerId) ?? 0) < before + 1 && since(t1) < 5000) await sleep(0);
      if ((usedOf(engine, customerId) ?? 0) < before + 1) stale += 1;
      const t2 = process.hrtime.bigint();
      const checked = await engine.entitlements.check({ env: "live", customerId }, input);
      if (checked.used < before + 1) checkDisagrees += 1;
      ingestMs[i] = Number(t1 - t0) / 1e6;
      afterMs[i] = Number(t2 - t1) / 1e6;
      totalMs[i] = Number(t2 - t0) / 1e6;
    }
    ingestMs.sort();
    afterMs.sort();
    totalMs.sort();
    const row = (values: Float64Array) => ({
      "p50 ms": percentile(values, 50).toFixed(3),
      "p99 ms": percentile(values, 99).toFixed(3),
      "max ms": percentile(values, 100).toFixed(3),
    });
    console.log(
      `\nevent to check visibility on ${bench.url ? "PostgreSQL" : "PGlite (in memory)"}, same engine: ` +
        `${samples} single-event ingests, one at a time, over ${customers} customers`,
    );
    console.table({
      "ingest call (baseline)": row(ingestMs),
      "ingest returned → visible in checkCached": row(afterMs),
      "ingest called → visible": row(totalMs),
    });
    console.log(
      `submit-to-visible p99 is ${(percentile(totalMs, 99) / percentile(ingestMs, 99)).toFixed(2)}× the ingest ` +
        `call's p99 (goal p99 ≤ 250 ms); ${stale} events not visible within 5 s; ` +
        `check disagreed with checkCached ${checkDisagrees} times`,
    );

    // A second engine over the same database, its cache warm, as another server process.
    const other = createEngine({ database: bench.database });
    const probes = 5;
    let seen = 0;
    for (let i = 0; i < probes; i++) {
      const customerId = ids[(i * 7) % ids.length] as string;
      await other.entitlements.resolved({ env: "live", customerId });
      const before = usedOf(other, customerId) ?? 0;
      await ingestOne(engine, customerId, `other_${i}`);
      const t1 = process.hrtime.bigint();
      while ((usedOf(other, customerId) ?? 0) < before + 1 && since(t1) < 500) await sleep(5);
      const checked = await other.entitlements.check({ env: "live", customerId }, input);
      if (checked.used >= before + 1) seen += 1;
    }
    console.log(
      `another engine over the same database (a second server process): ${seen} of ${probes} events ` +
        `visible to its check within 500 ms`,
    );
  } finally {
    await bench.close();
  }
}
