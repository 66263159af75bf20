import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import type { Engine } from "@tollgate/engine";
import { createApp, createLogger } from "@tollgate/server";
import autocannon from "autocannon";
import { Hono } from "hono";

function listen(fetch: (request: Request) => Response | Promise<Response>): Promise<ServerType> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(server));
  });
}

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
 * POST /v1/check under load, beside a bare Hono route answering from a Map, both on loopback,
 * each first at full speed and then at half the speed it reached (for the p99).
 */
export async function benchCheckOverHttp(engine: Engine, ids: string[], secret: string, seconds: number) {
  const app = createApp({ engine, logger: createLogger("silent") });
  const bare = new Hono();
  const decisions = new Map(ids.map((id) => [id, { allowed: true }]));
  bare.post("/v1/check", async (c) => {
    const { customerId } = await c.req.json<{ customerId: string }>();
    return c.json(decisions.get(customerId) ?? { allowed: false });
  });
  const [tollgate, baseline] = await Promise.all([listen(app.fetch), listen(bare.fetch)]);
  const url = (server: ServerType) => `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/check`;
  const body = JSON.stringify({ customerId: ids[0], feature: "ai_tokens", quantity: 1 });
  try {
    const bareFull = await load(url(baseline), body, secret, seconds);
    const tollgateFull = await load(url(tollgate), body, secret, seconds);
    const bareHalf = await load(
      url(baseline),
      body,
      secret,
      seconds,
      Math.round(bareFull.requests.average / 2),
    );
    const tollgateHalf = await load(
      url(tollgate),
      body,
      secret,
      seconds,
      Math.round(tollgateFull.requests.average / 2),
    );
    return { bareFull, tollgateFull, bareHalf, tollgateHalf };
  } finally {
    tollgate.close();
    baseline.close();
  }
}
