import { PlanTerms } from "@tollgate/core";
import { createEngine, type Engine } from "@tollgate/engine";
import type { Database } from "@tollgate/store";
import type { SQL } from "drizzle-orm";
import { subscribeCustomers } from "./benchSetup";

const system = { actor: { id: "bench", role: "system" }, reason: "benchmark setup" };

/** The metered feature that ingest, HTTP track and visibility write: blocked at a limit never reached. */
export const METERED = "api_calls";
/** The metered feature of the hot-customer benchmark, blocked at the limit it is given. */
export const HOT = "hot_calls";
/** A metered feature with no limit whose every unit costs one credit (a billion included a period). */
export const CREDITED = "credited_calls";

export interface MeteringBench {
  engine: Engine;
  ids: string[];
  /** The start of every customer's current period: the window their counters count in. */
  periodStart: Date;
}

/**
 * An engine over `database` with two metered `sum` features on one plan — `api_calls` blocked at
 * a billion a period, `hot_calls` blocked at `hotLimit` a period — and `count` customers
 * (`cus_0` …) plus `extra` named ones on it, inserted in bulk, every one's entitlements cached.
 */
export async function meteringEngine(
  database: Database,
  count: number,
  options: { hotLimit?: number; extra?: string[] } = {},
): Promise<MeteringBench> {
  const engine = createEngine({ database });
  await engine.features.create(
    { key: METERED, name: "API calls", type: "metered", aggregation: "sum" },
    system,
  );
  await engine.features.create({ key: HOT, name: "Hot calls", type: "metered", aggregation: "sum" }, system);
  await engine.features.create(
    { key: CREDITED, name: "Credited calls", type: "metered", aggregation: "sum" },
    system,
  );
  const { version } = await engine.plans.create(
    { key: "metered", custom: false, env: "live" },
    PlanTerms.parse({
      name: "Metered",
      basePrice: 1000,
      credits: { perSeat: 1_000_000_000 },
      entitlements: {
        [METERED]: { limit: 1_000_000_000, window: "period", enforcement: "block" },
        [HOT]: { limit: options.hotLimit ?? 1_000_000, window: "period", enforcement: "block" },
        [CREDITED]: { limit: null, window: "period", enforcement: "allow", creditCost: 1 },
      },
    }),
    system,
  );
  const ids = Array.from({ length: count }, (_, i) => `cus_${i}`);
  const periodStart = new Date();
  await subscribeCustomers(database, [...ids, ...(options.extra ?? [])], "metered", version.id, periodStart);
  for (const customerId of [...ids, ...(options.extra ?? [])])
    await engine.entitlements.resolved({ env: "live", customerId });
  return { engine, ids, periodStart };
}

export const since = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e6;

/**
 * Runs `task(0)` … `task(count - 1)` with at most `concurrency` in flight, in order of start;
 * once `stop()` answers true no further task starts. Answers how many started.
 */
export async function inFlight(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
  stop: () => boolean = () => false,
): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < count && !stop()) {
      const i = next++;
      await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return next;
}

/** The number in column `n` of the first row of `query`. */
export async function scalar(database: Database, query: SQL): Promise<number> {
  const result = (await database.db.execute(query)) as unknown as { rows: { n: unknown }[] };
  return Number(result.rows[0]?.n);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
