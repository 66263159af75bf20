import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Engine } from "@tollgate/engine";
import { sql } from "drizzle-orm";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { openBenchDatabase } from "./benchDatabase";
import { CREDITED, inFlight, METERED, meteringEngine, scalar, since } from "./meteringSetup";
import { cpuSince } from "./processCpu";
import { percentile } from "./stats";

interface Event {
  id: string;
  customerId: string;
  feature: string;
  quantity: number;
}

const BATCH = 1000;

/**
 * Batch ingest (`engine.usage.ingest`, up to 1000 events a transaction, idempotent, counters and
 * hourly rollups included) beside raw `COPY` of as many rows into usage_events, then the same
 * batches replayed (all duplicates) beside the first ingest. Each batch holds one event of every
 * customer; `concurrency` batches are in flight at once, as a server receiving several
 * producers' batches would have. Ingest runs twice: with the customers in a different order in
 * each batch (as independent producers send them; bounded by `budgetSeconds`, since concurrent
 * transactions that upsert the same counters in different orders can deadlock), and with every
 * batch in one customer order. COPY needs PostgreSQL: on PGlite the ingest and replay run alone.
 */
export async function benchIngest(options: {
  customers: number;
  batches?: number;
  concurrency: number;
  budgetSeconds: number;
}) {
  const { customers, concurrency, budgetSeconds } = options;
  const bench = await openBenchDatabase(Math.max(10, concurrency * 2));
  try {
    const onPostgres = bench.url !== undefined;
    const batches = options.batches ?? (onPostgres ? 200 : 50);
    const { engine, ids, periodStart } = await meteringEngine(bench.database, customers);
    /** Batch `b`; `shuffled`: its customers in an order of its own (919 is coprime with 1000). */
    const batch = (tag: string, b: number, shuffled: boolean, feature = METERED): Event[] =>
      Array.from({ length: BATCH }, (_, j) => ({
        id: `${tag}_${b}_${j}`,
        customerId: ids[shuffled ? (j * 919 + b * 37) % ids.length : j % ids.length] as string,
        feature,
        quantity: (j % 10) + 1,
      }));
    const total = batches * BATCH;
    const quantityOf = (events: Event[]) => events.reduce((sum, e) => sum + e.quantity, 0);

    console.log(
      `\nbatch ingest on ${onPostgres ? "PostgreSQL" : "PGlite (in memory)"}: ${batches} batches × ${BATCH} events ` +
        `over ${customers} customers (every customer once a batch), ${concurrency} batches in flight`,
    );
    // Warm the JIT, the pool's connections and the plan cache; not timed.
    const warm = Array.from({ length: 5 }, (_, b) => batch("warm", b, false));
    await runIngest(engine, warm, concurrency);

    let copy: Timed | undefined;
    let copyWithIds: Timed | undefined;
    if (bench.url) {
      const rows = Array.from({ length: batches }, (_, b) => copyText(batch("copy", b, false), periodStart));
      copy = await runCopy(bench.url, rows, concurrency);
      const withIds = Array.from({ length: batches }, (_, b) => batch("copyids", b, false));
      copyWithIds = await runCopy(
        bench.url,
        withIds.map((events) => copyText(events, periodStart)),
        concurrency,
        withIds.map(idsText),
      );
    } else {
      console.log(
        "  COPY baseline skipped: no DATABASE_URL, and PGlite has no COPY FROM STDIN over a socket " +
          "(set DATABASE_URL to compare with COPY)",
      );
    }
    const shuffledPayloads = Array.from({ length: batches }, (_, b) => batch("mix", b, true));
    const shuffled = await runIngest(engine, shuffledPayloads, concurrency, budgetSeconds);
    const payloads = Array.from({ length: batches }, (_, b) => batch("evt", b, false));
    const ingest = await runIngest(engine, payloads, concurrency);
    const replay = await runIngest(engine, payloads, concurrency);
    // The same batches' shape on a feature whose every unit costs a credit: each customer's wallet
    // is read, its period's credits granted on the first batch, and every event debited.
    const creditPayloads = Array.from({ length: batches }, (_, b) => batch("crd", b, false, CREDITED));
    const drawing = await runIngest(engine, creditPayloads, concurrency);
    const debited = await scalar(
      bench.database,
      sql`SELECT COALESCE(-SUM(amount), 0) AS n FROM credit_ledger WHERE kind = 'debit'`,
    );

    const expected =
      quantityOf(warm.flat()) +
      quantityOf(shuffledPayloads.slice(0, shuffled.batches).flat()) +
      quantityOf(payloads.flat());
    const counted = await scalar(
      bench.database,
      sql`SELECT COALESCE(SUM(used), 0) AS n FROM usage_counters WHERE feature_key = ${METERED}`,
    );
    const hourly = await scalar(
      bench.database,
      sql`SELECT COALESCE(SUM(events), 0) AS n FROM usage_hourly WHERE feature_key = ${METERED}`,
    );
    const stored = await scalar(
      bench.database,
      sql`SELECT COUNT(*) AS n FROM usage_events WHERE event_id LIKE 'evt\\_%'`,
    );
    const ok =
      shuffled.accepted === shuffled.batches * BATCH &&
      ingest.accepted === total &&
      replay.accepted === 0 &&
      replay.duplicates === total &&
      stored === total &&
      counted === expected &&
      drawing.accepted === total &&
      debited === quantityOf(creditPayloads.flat()) &&
      hourly === (warm.length + shuffled.batches + batches) * BATCH;

    const table: Record<string, Record<string, string | number>> = {};
    if (copy) table["COPY, same rows and columns (baseline)"] = timedRow(copy);
    if (copyWithIds) table["COPY, same rows and their ids (baseline)"] = timedRow(copyWithIds);
    table["ingest, customers in one order"] = timedRow(ingest);
    table["ingest, each batch its own order"] = timedRow(shuffled);
    table["replay of the first, all duplicates"] = timedRow(replay);
    table["ingest drawing a credit a unit"] = timedRow(drawing);
    console.table(table);
    if (copy && copyWithIds) {
      console.log(
        `ingest runs at ${percent(ingest, copy)} of COPY's events per second in one customer order, ` +
          `${percent(shuffled, copy)} with each batch in its own order (goal ≥ 50000 events/s and ≥ 40 %); ` +
          `${percent(ingest, copyWithIds)} of COPY writing the ids too (usage_events holds no unique key since ` +
          `it is partitioned by month: an event's id is kept unique in usage_event_ids)`,
      );
    }
    console.log(
      `replay runs at ${percent(replay, ingest)} of the first ingest's events per second (goal ≥ 80 %); ` +
        `drawing credits, ingest runs at ${percent(drawing, ingest)} of its events per second without`,
    );
    if (shuffled.batches < batches || shuffled.deadlocks > 0) {
      console.log(
        `each batch in its own order: ${shuffled.batches} of ${batches} batches within the ${budgetSeconds} s budget; ` +
          `${shuffled.deadlocks} transactions aborted as deadlock victims and were retried`,
      );
    }
    console.log(
      `${ok ? "verified" : "MISMATCH"}: ${ingest.accepted} accepted then ${replay.accepted} accepted / ` +
        `${replay.duplicates} duplicates on replay; ${stored} rows stored; counters sum ${counted} ` +
        `(expected ${expected}); hourly rollups count ${hourly} events; ${debited} credits debited ` +
        `(expected ${quantityOf(creditPayloads.flat())})` +
        (ingest.deadlocks + replay.deadlocks > 0
          ? `; ${ingest.deadlocks + replay.deadlocks} deadlocks in one customer order`
          : ""),
    );
    if (!ok) process.exitCode = 1;
  } finally {
    await bench.close();
  }
}

interface Timed {
  ms: number;
  /** Batches done (fewer than given when the time budget ran out). */
  batches: number;
  batchMs: Float64Array;
  /** CPU µs an event of this process (Node) and of PostgreSQL's processes; undefined off Linux. */
  cpu: { node: number; postgres: number | undefined };
  accepted: number;
  duplicates: number;
  deadlocks: number;
}

async function runIngest(
  engine: Engine,
  batches: Event[][],
  concurrency: number,
  budgetSeconds = Number.POSITIVE_INFINITY,
): Promise<Timed> {
  const batchMs = new Float64Array(batches.length);
  let accepted = 0;
  let duplicates = 0;
  let deadlocks = 0;
  (globalThis as { gc?: () => void }).gc?.();
  const cpu = cpuMeter();
  const started = process.hrtime.bigint();
  const run = async (b: number) => {
    const t0 = process.hrtime.bigint();
    for (;;) {
      try {
        const result = await engine.usage.ingest("live", batches[b] as Event[]);
        if (result.rejected.length > 0) throw new Error(`rejected: ${JSON.stringify(result.rejected[0])}`);
        accepted += result.accepted;
        duplicates += result.duplicates;
        break;
      } catch (error) {
        // A client retries a batch whose transaction PostgreSQL aborted as a deadlock victim.
        if (sqlState(error) !== "40P01") throw error;
        deadlocks += 1;
      }
    }
    batchMs[b] = since(t0);
  };
  const done = await inFlight(batches.length, concurrency, run, () => since(started) > budgetSeconds * 1000);
  return {
    ms: since(started),
    batches: done,
    batchMs: batchMs.subarray(0, done).sort(),
    cpu: cpu(done * BATCH),
    accepted,
    duplicates,
    deadlocks,
  };
}

function sqlState(error: unknown): string | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

const COPY_COLUMNS =
  "env, customer_id, event_id, feature_key, quantity, timestamp, received_at, workspace_id, user_id, " +
  "properties, window_start, backfill";

/** The batch as COPY text rows of the columns ingest writes (no value here needs escaping). */
function copyText(events: Event[], windowStart: Date): string {
  const now = new Date().toISOString();
  const window = windowStart.toISOString();
  let text = "";
  for (const e of events)
    text += `live\t${e.customerId}\t${e.id}\t${e.feature}\t${e.quantity}\t${now}\t${now}\t\\N\t\\N\t\\N\t${window}\tf\n`;
  return text;
}

/** The batch's ids as COPY text rows of usage_event_ids. */
const idsText = (events: Event[]) => {
  const now = new Date().toISOString();
  let text = "";
  for (const e of events) text += `${e.customerId}\tlive\t${e.id}\t${now}\n`;
  return text;
};

/** COPY of each batch's rows, and of its ids (`ids`, same order) in the same transaction. */
async function runCopy(url: string, batches: string[], concurrency: number, ids?: string[]): Promise<Timed> {
  const pool = new pg.Pool({ connectionString: url, max: concurrency });
  try {
    // Open the connections before timing, as the engine's pool already has.
    const clients = await Promise.all(Array.from({ length: concurrency }, () => pool.connect()));
    for (const client of clients) client.release();
    const batchMs = new Float64Array(batches.length);
    let copied = 0;
    (globalThis as { gc?: () => void }).gc?.();
    const cpu = cpuMeter();
    const started = process.hrtime.bigint();
    await inFlight(batches.length, concurrency, async (b) => {
      const t0 = process.hrtime.bigint();
      const client = await pool.connect();
      try {
        if (ids) await client.query("BEGIN");
        const stream = client.query(copyFrom(`COPY usage_events (${COPY_COLUMNS}) FROM STDIN`));
        await pipeline(Readable.from([batches[b] as string]), stream);
        copied += stream.rowCount;
        if (ids) {
          const idStream = client.query(
            copyFrom("COPY usage_event_ids (customer_id, env, event_id, timestamp) FROM STDIN"),
          );
          await pipeline(Readable.from([ids[b] as string]), idStream);
          await client.query("COMMIT");
        }
      } finally {
        client.release();
      }
      batchMs[b] = since(t0);
    });
    return {
      ms: since(started),
      batches: batches.length,
      batchMs: batchMs.sort(),
      cpu: cpu(batches.length * BATCH),
      accepted: copied,
      duplicates: 0,
      deadlocks: 0,
    };
  } finally {
    await pool.end();
  }
}

/** Starts counting CPU; the function answers the CPU µs an event since then, of `events` events. */
function cpuMeter(): (events: number) => Timed["cpu"] {
  const spent = cpuSince();
  return (events) => {
    const { self, postgres } = spent();
    return {
      node: (self * 1e6) / events,
      postgres: postgres === undefined ? undefined : (postgres * 1e6) / events,
    };
  };
}

const fixed = (value: number) => value.toFixed(1);
const rate = (t: Timed) => (t.batches * BATCH) / (t.ms / 1000);
const percent = (t: Timed, baseline: Timed) => `${fixed((100 * rate(t)) / rate(baseline))} %`;

function timedRow(t: Timed) {
  return {
    "events/s": Math.round(rate(t)),
    batches: t.batches,
    "total ms": Math.round(t.ms),
    "batch p50 ms": fixed(percentile(t.batchMs, 50)),
    "batch p99 ms": fixed(percentile(t.batchMs, 99)),
    "Node CPU µs/event": fixed(t.cpu.node),
    "PostgreSQL CPU µs/event": t.cpu.postgres === undefined ? "–" : fixed(t.cpu.postgres),
  };
}
