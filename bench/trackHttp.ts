import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import autocannon from "autocannon";
import pg from "pg";
import { createScratchDatabase, type ScratchDatabase } from "./benchDatabase";
import { METERED } from "./meteringSetup";
import { cpuSince } from "./processCpu";

const CONNECTIONS = 20;
/**
 * Group commit batches the tracks that arrive while a batch is written, so 20 connections in a
 * closed loop cap the rate at 20 over a track's latency, and batches stay near ten tracks, each
 * batch paying its transaction. A server taking 8,000 tracks a second has far more requests in
 * flight. So the goal is also measured over this many connections: at full load, and with 8,000
 * requests a second offered.
 */
const GOAL_CONNECTIONS = 100;
const GOAL_RATE = 8000;

/**
 * POST /v1/track under load, one event a request, each with an id of its own and the customers
 * taken in turn (so no customer nears its limit), beside a bare Hono route doing an in-memory
 * check-and-consume; both served by a separate process on loopback, each first at full speed,
 * then at half the speed it reached.
 */
export async function benchTrackOverHttp(customers: number, seconds: number) {
  const secret = "tg_bench_live_sk";
  const serverUrl = process.env.DATABASE_URL;
  const scratch: ScratchDatabase | undefined = serverUrl ? await createScratchDatabase(serverUrl) : undefined;
  const child = spawn(
    process.execPath,
    [...process.execArgv, new URL("./trackHttpServers.ts", import.meta.url).pathname],
    {
      env: {
        ...process.env,
        BENCH_CUSTOMERS: String(customers),
        BENCH_SECRET: secret,
        BENCH_DATABASE_URL: scratch?.url ?? "",
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const exited = once(child, "exit");
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once("line", resolve);
      child.once("exit", (code) => reject(new Error(`bench servers exited with ${code}`)));
    });
    const ports = JSON.parse(line) as { tollgate: number; baseline: number };
    let sent = 0;
    const load = (port: number, overallRate?: number, connections = CONNECTIONS) =>
      autocannon({
        url: `http://127.0.0.1:${port}`,
        headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
        connections,
        duration: seconds,
        ...(overallRate ? { overallRate } : {}),
        requests: [
          {
            method: "POST",
            path: "/v1/track",
            setupRequest: (request) => {
              const n = sent++;
              return {
                ...request,
                body: JSON.stringify({
                  id: `trk_${n}`,
                  customerId: `cus_${n % customers}`,
                  feature: METERED,
                  quantity: 1,
                }),
              };
            },
          },
        ],
      });
    const bareFull = await load(ports.baseline);
    const cpu = cpuReadings(child.pid);
    const tollgateFull = await load(ports.tollgate);
    const perRequest = cpu.perRequest(tollgateFull.requests.total);
    const bareHalf = await load(ports.baseline, Math.round(bareFull.requests.average / 2));
    const tollgateHalf = await load(ports.tollgate, Math.round(tollgateFull.requests.average / 2));
    const wideCpu = cpuReadings(child.pid);
    const tollgateWide = await load(ports.tollgate, undefined, GOAL_CONNECTIONS);
    const widePerRequest = wideCpu.perRequest(tollgateWide.requests.total);
    const tollgateGoal = await load(ports.tollgate, GOAL_RATE, GOAL_CONNECTIONS);

    console.log(
      `\nPOST /v1/track over HTTP on ${scratch ? "PostgreSQL" : "PGlite (in memory)"}, one event a request ` +
        `(unique ids, ${customers} customers in turn), ${seconds}s per run, ${CONNECTIONS} connections`,
    );
    console.table({
      "bare Hono + Map check-and-consume (baseline)": httpRow(bareFull, bareHalf),
      "Tollgate /v1/track": httpRow(tollgateFull, tollgateHalf),
    });
    const roundTrip = scratch ? await roundTripMs(scratch.url) : undefined;
    console.log(
      `CPU a request at full load: ${perRequest}` +
        (roundTrip === undefined
          ? ""
          : `; a PostgreSQL round trip (SELECT 1) takes ${roundTrip.toFixed(3)} ms (p50)`),
    );
    console.log(
      `over ${GOAL_CONNECTIONS} connections: ${Math.round(tollgateWide.requests.average)} req/s at full load ` +
        `(p50 ${tollgateWide.latency.p50} ms, p99 ${tollgateWide.latency.p99} ms; CPU a request: ${widePerRequest}); ` +
        `${GOAL_RATE} req/s offered: ${Math.round(tollgateGoal.requests.average)} req/s served, ` +
        `p50 ${tollgateGoal.latency.p50} ms, p99 ${tollgateGoal.latency.p99} ms`,
    );
    const failures = [bareFull, tollgateFull, bareHalf, tollgateHalf, tollgateWide, tollgateGoal].reduce(
      (sum, r) => sum + r.non2xx + r.errors + r.timeouts,
      0,
    );
    console.log(
      `Tollgate tracks ${((100 * tollgateFull.requests.average) / bareFull.requests.average).toFixed(1)} % ` +
        `of the bare route's requests per second; p99 ${tollgateFull.latency.p99} ms at full load, ` +
        `${tollgateHalf.latency.p99} ms at half load (goal ≥ 8000/s, p99 ≤ 15 ms; over ${GOAL_CONNECTIONS} ` +
        `connections: ${Math.round(tollgateGoal.requests.average)}/s, p99 ${tollgateGoal.latency.p99} ms); ` +
        `${failures} non-2xx responses, errors or timeouts`,
    );
    if (failures > 0) process.exitCode = 1;
  } finally {
    child.kill();
    await exited;
    await scratch?.drop();
  }
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

/**
 * The CPU the server process, PostgreSQL and this process (the load generator) spend from now
 * on, a request: where the time of a track goes, and how near the machine is to full.
 */
function cpuReadings(serverPid: number | undefined) {
  const spent = cpuSince(serverPid);
  return {
    perRequest(requests: number): string {
      const { self, postgres, server } = spent();
      const us = (seconds: number | undefined) =>
        seconds === undefined ? "n/a" : `${Math.round((seconds * 1e6) / requests)} µs`;
      return `server ${us(server)}, PostgreSQL ${us(postgres)}, load generator ${us(self)}`;
    },
  };
}

/** The median time of `SELECT 1` on a connection of its own: what each of a batch's round trips costs at the least. */
async function roundTripMs(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const samples: number[] = [];
    for (let i = 0; i < 200; i++) {
      const started = process.hrtime.bigint();
      await client.query("SELECT 1");
      samples.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    samples.sort((a, b) => a - b);
    return samples[100] as number;
  } finally {
    await client.end();
  }
}
