import { benchEngine } from "./benchSetup";
import { benchCheckInProcess } from "./checkInProcess";
import { benchCheckOverHttp } from "./checkOverHttp";
import { benchHotCustomer } from "./hotCustomer";
import { benchIngest } from "./ingest";
import { benchInvoiceRun } from "./invoiceRun";
import { benchRating } from "./rating";
import { benchTrackOverHttp } from "./trackHttp";
import { benchUsageImport } from "./usageImport";
import { benchVisibility } from "./visibility";

/*
 * npm run bench — every section, each printing its figures beside a baseline measured in the
 * same run and the ratio between them. Sections:
 *   check       in-process check / checkCached vs Map.get (PGlite)
 *   checkHttp   POST /v1/check vs a bare Hono route (PGlite, child process, autocannon)
 *   ingest      batch ingest vs COPY of the same rows, and an all-duplicate replay vs the first ingest
 *   hot         check-and-consume on one hot customer (engine.usage.track) vs an in-memory counter
 *   trackHttp   POST /v1/track, one event a request, vs a bare Hono route (child process, autocannon)
 *   visibility  time from an accepted event to its visibility in check
 *   invoices    the period close over BENCH_INVOICE_CUSTOMERS (10000) customers, and its re-run
 *   rating      BENCH_RATING_EVENTS (1M) usage events rated into invoice lines vs a bare GROUP BY
 *   import      `tollgate usage import` of BENCH_IMPORT_LINES (1M) NDJSON lines over
 *               BENCH_IMPORT_CUSTOMERS (1000) customers vs reading and parsing the file; counts
 *               checked against the database, then a re-run (all duplicates)
 * BENCH_ONLY=ingest,hot runs only the sections named (comma-separated). The metering sections
 * (ingest, hot, trackHttp, visibility, import) run on a fresh database on the PostgreSQL server of
 * DATABASE_URL when it is set (created and dropped by the bench), else on in-memory PGlite,
 * where the COPY comparison is skipped. Sizes: BENCH_CUSTOMERS, BENCH_ITERATIONS, BENCH_SECONDS
 * (check sections; BENCH_SECONDS also trackHttp); BENCH_METER_CUSTOMERS, BENCH_INGEST_BATCHES,
 * BENCH_INGEST_CONCURRENCY, BENCH_INGEST_BUDGET_S (ingest); BENCH_HOT_LIMIT, BENCH_HOT_OFFERED,
 * BENCH_HOT_CONCURRENCY (hot); BENCH_TRACK_CUSTOMERS (trackHttp); BENCH_VISIBILITY_CUSTOMERS,
 * BENCH_VISIBILITY_SAMPLES (visibility).
 */
const SECTIONS = [
  "check",
  "checkHttp",
  "ingest",
  "hot",
  "trackHttp",
  "visibility",
  "invoices",
  "rating",
  "import",
] as const;
const only = (process.env.BENCH_ONLY ?? "")
  .split(",")
  .map((name) => name.trim())
  .filter((name) => name !== "");
const unknown = only.filter((name) => !(SECTIONS as readonly string[]).includes(name));
if (unknown.length > 0) {
  throw new Error(`BENCH_ONLY names unknown sections ${unknown.join(", ")}; known: ${SECTIONS.join(", ")}`);
}
const selected = (section: (typeof SECTIONS)[number]) => only.length === 0 || only.includes(section);

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 10_000);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

const ns = (value: number) => `${Math.round(value)} ns`;
const fixed = (value: number, digits = 2) => value.toFixed(digits);

const numberOr = (name: string, fallback: number) => {
  const value = process.env[name];
  return value === undefined || value === "" ? fallback : Number(value);
};
const started = Date.now();
const timings: Record<string, string> = {};
async function section(name: (typeof SECTIONS)[number], run: () => Promise<void>) {
  if (!selected(name)) return;
  const t0 = Date.now();
  await run();
  timings[name] = `${((Date.now() - t0) / 1000).toFixed(1)} s`;
}

await section("check", async () => {
  const { engine, database, ids } = await benchEngine(CUSTOMERS);
  const inProcess = await benchCheckInProcess(engine, ids, ITERATIONS);
  console.log(`\nin-process check, ${CUSTOMERS} customers, ${ITERATIONS} calls (each timed)`);
  console.table({
    "Map.get (baseline)": row(inProcess.baseline),
    "checkCached (sync)": row(inProcess.cachedSync),
    "check (async)": row(inProcess.asyncCheck),
  });
  console.log(
    `ratio to Map.get at p50: checkCached ${fixed(inProcess.cachedSync.p50ns / inProcess.baseline.p50ns)}×, ` +
      `check ${fixed(inProcess.asyncCheck.p50ns / inProcess.baseline.p50ns)}×`,
  );
  await database.close();
});

await section("checkHttp", async () => {
  const http = await benchCheckOverHttp(CUSTOMERS, SECONDS);
  console.log(`\nPOST /v1/check over HTTP, ${SECONDS}s per run, 20 connections`);
  console.table({
    "bare Hono + Map (baseline)": httpRow(http.bareFull, http.bareHalf),
    "Tollgate /v1/check": httpRow(http.tollgateFull, http.tollgateHalf),
  });
  console.log(
    `Tollgate serves ${fixed((100 * http.tollgateFull.requests.average) / http.bareFull.requests.average, 1)} % ` +
      `of the bare route's requests per second; p99 at half load ${http.tollgateHalf.latency.p99} ms`,
  );
});

await section("ingest", () =>
  benchIngest({
    customers: numberOr("BENCH_METER_CUSTOMERS", 1000),
    batches: process.env.BENCH_INGEST_BATCHES ? Number(process.env.BENCH_INGEST_BATCHES) : undefined,
    concurrency: numberOr("BENCH_INGEST_CONCURRENCY", 4),
    budgetSeconds: numberOr("BENCH_INGEST_BUDGET_S", 15),
  }),
);
await section("hot", () =>
  benchHotCustomer({
    limit: numberOr("BENCH_HOT_LIMIT", 20_000),
    offered: numberOr("BENCH_HOT_OFFERED", 30_000),
    concurrency: numberOr("BENCH_HOT_CONCURRENCY", 1000),
  }),
);
// 200 customers in turn keep the 20 connections' tracks on different customers; fewer customers
// than ingest's 1000 keep the set-up (each customer's entitlements resolved and cached) short.
await section("trackHttp", () => benchTrackOverHttp(numberOr("BENCH_TRACK_CUSTOMERS", 200), SECONDS));
await section("visibility", () =>
  benchVisibility({
    customers: numberOr("BENCH_VISIBILITY_CUSTOMERS", 100),
    samples: numberOr("BENCH_VISIBILITY_SAMPLES", 1000),
  }),
);

await section("invoices", () => benchInvoiceRun(numberOr("BENCH_INVOICE_CUSTOMERS", 10_000)));
await section("rating", () =>
  benchRating({
    events: numberOr("BENCH_RATING_EVENTS", 1_000_000),
    customers: numberOr("BENCH_RATING_CUSTOMERS", 1000),
  }),
);
await section("import", () =>
  benchUsageImport({
    lines: numberOr("BENCH_IMPORT_LINES", 1_000_000),
    customers: numberOr("BENCH_IMPORT_CUSTOMERS", 1000),
  }),
);

console.log(
  `\nsections: ${Object.entries(timings)
    .map(([name, took]) => `${name} ${took}`)
    .join(", ")}; total ${((Date.now() - started) / 1000).toFixed(1)} s` +
    (process.env.DATABASE_URL ? "" : " (no DATABASE_URL: metering sections on PGlite)"),
);

function row(s: { opsPerSec: number; p50ns: number; p99ns: number }) {
  return { "ops/s": Math.round(s.opsPerSec), p50: ns(s.p50ns), p99: ns(s.p99ns) };
}

function httpRow(
  full: { requests: { average: number }; latency: { p50: number; p99: number } },
  half: typeof full,
) {
  return {
    "req/s (full)": Math.round(full.requests.average),
    "p50 ms (full)": full.latency.p50,
    "p99 ms (full)": full.latency.p99,
    "req/s (half load)": Math.round(half.requests.average),
    "p99 ms (half load)": half.latency.p99,
  };
}
