import { benchEngine } from "./benchSetup";
import { benchCheckInProcess } from "./checkInProcess";
import { benchCheckOverHttp } from "./checkOverHttp";

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 10_000);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

const ns = (value: number) => `${Math.round(value)} ns`;
const fixed = (value: number, digits = 2) => value.toFixed(digits);

const { engine, database, ids } = await benchEngine(CUSTOMERS);
const secret = "tg_bench_live_sk";
await engine.apiKeys.ensure(
  secret,
  { name: "bench", type: "secret", env: "live" },
  {
    actor: { id: "bench", role: "system" },
    reason: "benchmark",
  },
);

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
