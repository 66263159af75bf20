import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { openTestApp, type TestApp } from "../../server/test/testApp";

/** The real app with the demo and its keys, serving packages/admin/dist at /admin on a free port. */
export async function startLiveAdmin(): Promise<{ baseUrl: string; t: TestApp; close(): Promise<void> }> {
  const t = await openTestApp();
  const server = await new Promise<ServerType>((resolve) => {
    const listening = serve({ fetch: t.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    t,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await t.close();
    },
  };
}
