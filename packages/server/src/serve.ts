import { type ServerType, serve } from "@hono/node-server";
import type { Engine } from "@tollgate/engine";
import type { Logger } from "pino";
import { createApp } from "./app";

/** Listens on `port`; resolves once the socket is bound. */
export function startServer(
  engine: Engine,
  logger: Logger,
  port: number,
  options: { publicUrl?: string | undefined } = {},
): Promise<ServerType> {
  const app = createApp({ engine, logger, publicUrl: options.publicUrl });
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port }, (info) => {
      logger.info({ port: info.port }, "tollgate listening");
      resolve(server);
    });
  });
}
