import type { TrackResult } from "@tollgate/engine";
import type { Database } from "@tollgate/store";
import { sql } from "drizzle-orm";
import { openBenchDatabase } from "./benchDatabase";
import { HOT, inFlight, meteringEngine, scalar, since, sleep } from "./meteringSetup";
import { percentile } from "./stats";

const HOT_CUSTOMER = "cus_hot";
const WARM_CUSTOMER = "cus_hot_warm";

/**
 * Atomic check-and-consume on one hot customer in process: `offered` calls of
 * `engine.usage.track` (quantity 1), `concurrency` in flight at once, against a block limit of
 * `limit` a period. Offered > limit, so exactly `limit` must be recorded and the counter must
 * never pass it; the counter is watched while the load runs (the cached counter every
 * millisecond, the stored one every few milliseconds). Baseline: an in-memory
 * check-and-consume — Map.get, compare with the limit, Map.set — as many times, in a loop.
 */
export async function benchHotCustomer(options: { limit: number; offered: number; concurrency: number }) {
  const { limit, offered, concurrency } = options;
  const bench = await openBenchDatabase();
  try {
    const { engine } = await meteringEngine(bench.database, 0, {
      hotLimit: limit,
      extra: [HOT_CUSTOMER, WARM_CUSTOMER],
    });
    const track = (customerId: string, i: number) =>
      engine.usage.track("live", { id: `hot_${i}`, customerId, feature: HOT, quantity: 1 });
    // Warm the JIT and the pool on another customer; not timed.
    await inFlight(Math.min(offered, 5000), concurrency, async (i) => {
      await track(WARM_CUSTOMER, i);
    });

    const ref = { env: "live" as const, customerId: HOT_CUSTOMER };
    let maxCached = 0;
    let maxStored = 0;
    let maxDecided = 0;
    let running = true;
    let cacheReads = 0;
    let storeReads = 0;
    const watchCache = setInterval(() => {
      cacheReads += 1;
      const used = engine.entitlements.checkCached(ref, { feature: HOT, quantity: 0 })?.used ?? 0;
      if (used > maxCached) maxCached = used;
    }, 1);
    const watchStore = (async () => {
      while (running) {
        maxStored = Math.max(maxStored, await storedUsed(bench.database));
        storeReads += 1;
        await sleep(2);
      }
    })();

    const callMs = new Float64Array(offered);
    let recorded = 0;
    let refused = 0;
    let failed = 0;
    (globalThis as { gc?: () => void }).gc?.();
    const started = process.hrtime.bigint();
    await inFlight(offered, concurrency, async (i) => {
      const t0 = process.hrtime.bigint();
      let result: TrackResult;
      try {
        result = await track(HOT_CUSTOMER, i);
      } catch {
        failed += 1;
        return;
      }
      callMs[i] = since(t0);
      if (result.recorded) recorded += 1;
      else if (!result.decision.allowed) refused += 1;
      if (result.decision.used > maxDecided) maxDecided = result.decision.used;
    });
    const ms = since(started);
    running = false;
    clearInterval(watchCache);
    await watchStore;

    const counter = await storedUsed(bench.database);
    const events = await scalar(
      bench.database,
      sql`SELECT COUNT(*) AS n FROM usage_events WHERE customer_id = ${HOT_CUSTOMER} AND env = 'live'`,
    );
    const checked = (await engine.entitlements.check(ref, { feature: HOT, quantity: 1 })).used;

    const baseline = inMemory(limit, offered);
    const opsPerSec = offered / (ms / 1000);
    callMs.sort();
    console.log(
      `\ncheck-and-consume on one hot customer, in process, on ${bench.url ? "PostgreSQL" : "PGlite (in memory)"}: ` +
        `${offered} track calls, ${concurrency} in flight, block limit ${limit}`,
    );
    console.table({
      "Map.get + compare + Map.set (baseline)": {
        "ops/s": Math.round(baseline.opsPerSec),
        recorded: baseline.recorded,
        "p50 ms": "-",
        "p99 ms": "-",
      },
      "engine.usage.track": {
        "ops/s": Math.round(opsPerSec),
        recorded,
        "p50 ms": percentile(callMs, 50).toFixed(1),
        "p99 ms": percentile(callMs, 99).toFixed(1),
      },
    });
    console.log(
      `track runs at ${((100 * opsPerSec) / baseline.opsPerSec).toFixed(3)} % of the in-memory baseline's ops/s ` +
        `(goal ≥ 15000 ops/s)`,
    );
    const exact =
      recorded === limit &&
      refused === offered - limit &&
      failed === 0 &&
      counter === limit &&
      events === limit &&
      checked === limit &&
      Math.max(maxCached, maxStored, maxDecided) <= limit;
    console.log(
      `${exact ? "zero overshoot" : "OVERSHOOT OR MISCOUNT"}: recorded ${recorded}, refused ${refused}, failed ${failed}; ` +
        `stored counter ${counter}, stored events ${events}, check answers used ${checked} (limit ${limit}); ` +
        `highest used seen while running: in decisions ${maxDecided}, ${watched("the cache", maxCached, cacheReads)}, ` +
        watched("the store", maxStored, storeReads),
    );
    if (!exact) process.exitCode = 1;
  } finally {
    await bench.close();
  }
}

/** What a watcher saw, or that it could not watch (PGlite runs in the event loop and starves timers). */
const watched = (where: string, max: number, reads: number) =>
  reads < 2
    ? `${where} not watched (${reads} reads: the event loop was busy)`
    : `in ${where} ${max} (${reads} reads)`;

/** The baseline: check-and-consume on a Map entry, `offered` times in a loop. */
function inMemory(limit: number, offered: number) {
  const counters = new Map<string, number>([[HOT_CUSTOMER, 0]]);
  let recorded = 0;
  const run = () => {
    for (let i = 0; i < offered; i++) {
      const used = counters.get(HOT_CUSTOMER) ?? 0;
      if (used + 1 <= limit) {
        counters.set(HOT_CUSTOMER, used + 1);
        recorded += 1;
      }
    }
  };
  run(); // warm
  counters.set(HOT_CUSTOMER, 0);
  recorded = 0;
  const started = process.hrtime.bigint();
  run();
  return { opsPerSec: offered / (since(started) / 1000), recorded };
}

async function storedUsed(database: Database): Promise<number> {
  return scalar(
    database,
    sql`SELECT COALESCE(SUM(used), 0) AS n FROM usage_counters
        WHERE customer_id = ${HOT_CUSTOMER} AND env = 'live' AND feature_key = ${HOT}`,
  );
}
