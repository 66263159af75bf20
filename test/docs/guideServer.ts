import type { AddressInfo } from "node:net";
import { createEngine, seedDemo, seedDemoKeys } from "@tollgate/engine";
import { createLogger, startServer } from "@tollgate/server";
import { type Database, openTestDatabase } from "@tollgate/store";
import { StripePaymentProvider } from "@tollgate/stripe";
import { startFakeStripe } from "@tollgate/stripe/testing";
import { startBackgroundWork } from "../../packages/cli/src/backgroundWork";

export interface GuideServer {
  /** Where the API answers, e.g. `http://localhost:41234`. */
  baseUrl: string;
  database: Database;
  close(): Promise<void>;
}

/**
 * What `npm start` runs (`tollgate serve --demo`: the demo and its keys, the HTTP API, the
 * scheduler), on a fresh database, a free port and the wall clock, with Stripe configured as
 * `STRIPE_SECRET_KEY=sk_test_…` would, pointed at the local fake Stripe (`STRIPE_API_BASE`).
 */
export async function startGuideServer(): Promise<GuideServer> {
  const stripe = await startFakeStripe();
  const database = await openTestDatabase();
  const payments = new StripePaymentProvider({
    secretKey: stripe.secretKey,
    webhookSecret: stripe.webhookSecret,
    apiBase: stripe.apiBase,
  });
  const engine = createEngine({ database, payments });
  await seedDemo(engine);
  await seedDemoKeys(engine);
  const logger = createLogger();
  const server = await startServer(engine, logger, 0);
  const stopBackground = startBackgroundWork(engine, logger);
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://localhost:${port}`,
    database,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ("closeAllConnections" in server) server.closeAllConnections();
      });
      await stopBackground();
      await database.close();
      await stripe.close();
    },
  };
}
