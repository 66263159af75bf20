import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { createApp, createLogger } from "@tollgate/server";
import { Hono } from "hono";
import { benchEngine } from "./benchSetup";

/**
 * Run as its own process by checkOverHttp.ts, so the load generator never shares an event
 * loop with the servers it measures. Prints the two ports as one JSON line once listening.
 */
const customers = Number(process.env.BENCH_CUSTOMERS ?? 10_000);
const { engine, ids } = await benchEngine(customers);
await engine.apiKeys.ensure(
  process.env.BENCH_SECRET ?? "",
  { name: "bench", type: "secret", env: "live" },
  { actor: { id: "bench", role: "system" }, reason: "benchmark" },
);

const app = createApp({ engine, logger: createLogger("silent") });
const bare = new Hono();
const decisions = new Map(ids.map((id) => [id, { allowed: true }]));
bare.post("/v1/check", async (c) => {
  const { customerId } = await c.req.json<{ customerId: string }>();
  return c.json(decisions.get(customerId) ?? { allowed: false });
});

const listen = (fetch: (request: Request) => Response | Promise<Response>) =>
  new Promise<ServerType>((resolve) => {
    const server = serve({ fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(server));
  });
const port = (server: ServerType) => (server.address() as AddressInfo).port;
const [tollgate, baseline] = await Promise.all([listen(app.fetch), listen(bare.fetch)]);
console.log(JSON.stringify({ tollgate: port(tollgate), baseline: port(baseline), customer: ids[0] }));
