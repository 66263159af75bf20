import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import autocannon from "autocannon";

function load(url: string, body: string, key: string, seconds: number, overallRate?: number) {
  return autocannon({
    url,
    method: "POST",
    body,
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    connections: 20,
    duration: seconds,
    ...(overallRate ? { overallRate } : {}),
  });
}

/**
 * POST /v1/check under load, beside a bare Hono route answering from a Map, both served by a
 * separate process on loopback; each first at full speed, then at half the speed it reached.
 */
export async function benchCheckOverHttp(customers: number, seconds: number) {
  const secret = "tg_bench_live_sk";
  const child = spawn(
    process.execPath,
    [...process.execArgv, new URL("./httpServers.ts", import.meta.url).pathname],
    {
      env: { ...process.env, BENCH_CUSTOMERS: String(customers), BENCH_SECRET: secret },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once("line", resolve);
      child.once("exit", (code) => reject(new Error(`bench servers exited with ${code}`)));
    });
    const ports = JSON.parse(line) as { tollgate: number; baseline: number; customer: string };
    const url = (port: number) => `http://127.0.0.1:${port}/v1/check`;
    const body = JSON.stringify({ customerId: ports.customer, feature: "ai_tokens", quantity: 1 });
    const bareFull = await load(url(ports.baseline), body, secret, seconds);
    const tollgateFull = await load(url(ports.tollgate), body, secret, seconds);
    const bareHalf = await load(
      url(ports.baseline),
      body,
      secret,
      seconds,
      Math.round(bareFull.requests.average / 2),
    );
    const tollgateHalf = await load(
      url(ports.tollgate),
      body,
      secret,
      seconds,
      Math.round(tollgateFull.requests.average / 2),
    );
    return { bareFull, tollgateFull, bareHalf, tollgateHalf };
  } finally {
    child.kill();
  }
}
