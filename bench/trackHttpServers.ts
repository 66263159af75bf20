import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { createApp, createLogger } from "@tollgate/server";
import { openDatabase } from "@tollgate/store";
import { Hono } from "hono";
import { METERED, meteringEngine } from "./meteringSetup";

/**
 * Run as its own process by trackHttp.ts, so the load generator never shares an event loop
 * with the servers it measures: Tollgate over the (already created, empty) PostgreSQL database
 * of BENCH_DATABASE_URL, else in-memory PGlite, beside a bare Hono route that parses the same
 * body and does an in-memory check-and-consume. Prints the two ports as one JSON line.
 */
const customers = Number(process.env.BENCH_CUSTOMERS ?? 1000);
const url = process.env.BENCH_DATABASE_URL;
const database = await openDatabase(url ? { url, poolSize: 20 } : {});
await database.migrate();
const { engine } = await meteringEngine(database, customers);
await engine.apiKeys.ensure(
  process.env.BENCH_SECRET ?? "",
  { name: "bench", type: "secret", env: "live" },
  { actor: { id: "bench", role: "system" }, reason: "benchmark" },
);

const app = createApp({ engine, logger: createLogger("silent") });
const bare = new Hono();
const LIMIT = 1_000_000_000;
const used = new Map<string, number>();
bare.post("/v1/track", async (c) => {
  const { customerId, quantity } = await c.req.json<{
    customerId: string;
    feature: string;
    quantity: number;
  }>();
  const before = used.get(customerId) ?? 0;
  const allowed = before + quantity <= LIMIT;
  if (allowed) used.set(customerId, before + quantity);
  return c.json(
    { recorded: allowed, duplicate: false, decision: { allowed, feature: METERED, used: before + quantity } },
    allowed ? 200 : 402,
  );
});

const listen = (fetch: (request: Request) => Response | Promise<Response>) =>
  new Promise<ServerType>((resolve) => {
    const server = serve({ fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(server));
  });
const port = (server: ServerType) => (server.address() as AddressInfo).port;
const [tollgate, baseline] = await Promise.all([listen(app.fetch), listen(bare.fetch)]);
console.log(JSON.stringify({ tollgate: port(tollgate), baseline: port(baseline) }));
