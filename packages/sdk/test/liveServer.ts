import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { createEngine, DEMO_KEYS, type Engine, seedDemo, seedDemoKeys } from "@tollgate/engine";
import { createApp } from "@tollgate/server";
import { type Database, openTestDatabase } from "@tollgate/store";
import pino from "pino";

export { DEMO_KEYS };

/** The real app on a fresh database with the demo and its keys, listening on a real port. */
export interface LiveServer {
  baseUrl: string;
  engine: Engine;
  /** An admin call over HTTP with the demo admin key; answers status and JSON body. */
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  /** Stops listening and drops open connections (streams included): the server is unreachable. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startLiveServer(): Promise<LiveServer> {
  const database: Database = await openTestDatabase();
  const engine = createEngine({ database });
  await seedDemo(engine);
  await seedDemoKeys(engine);
  const app = createApp({ engine, logger: pino({ level: "silent" }) });
  let server = await listen(app.fetch, 0);
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  let listening = true;

  async function stop(): Promise<void> {
    if (!listening) return;
    listening = false;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      if ("closeAllConnections" in server) server.closeAllConnections();
    });
  }

  return {
    baseUrl,
    engine,
    admin: async (method, path, body) => {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${DEMO_KEYS.admin}`, "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: await response.json() };
    },
    stop,
    restart: async () => {
      server = await listen(app.fetch, port);
      listening = true;
    },
    close: async () => {
      await stop();
      await database.close();
    },
  };
}

function listen(
  fetch: (request: Request) => Response | Promise<Response>,
  port: number,
): Promise<ServerType> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port, hostname: "127.0.0.1" }, () => resolve(server));
  });
}

/** A fetch that counts the calls going through it, by kind. */
export function countingFetch() {
  const counts = { all: 0, stream: 0, other: 0 };
  const requests: { url: string; headers: Headers }[] = [];
  const counted: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    counts.all++;
    if (url.includes("/v1/events/stream")) counts.stream++;
    else counts.other++;
    requests.push({ url, headers: new Headers(init?.headers) });
    return fetch(input, init);
  };
  return { fetch: counted, counts, requests };
}

/** Waits until `condition` holds, checking every 10 ms, for at most `withinMs`; answers whether it held. */
export async function eventually(condition: () => boolean, withinMs = 1_000): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}
