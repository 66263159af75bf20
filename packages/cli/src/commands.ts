import { createEngine, DEMO_KEYS, type Engine, seedDemo, seedDemoKeys } from "@tollgate/engine";
import { createLogger, startServer } from "@tollgate/server";
import { type Database, openDatabase } from "@tollgate/store";
import { StripePaymentProvider } from "@tollgate/stripe";
import { startBackgroundWork } from "./backgroundWork";
import type { Config } from "./config";

async function open(config: Config): Promise<{ database: Database; engine: Engine }> {
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  await database.migrate();
  const payments = config.stripe && new StripePaymentProvider(config.stripe);
  const engine = createEngine({
    database,
    payments,
    config: { portalSecret: config.portalSecret, lateWindowMs: config.lateWindowMs },
  });
  return { database, engine };
}

/**
 * Runs one command over the database of `config` and closes it after; the command answers its
 * exit code (see EXIT).
 */
export async function withEngine(
  config: Config,
  command: (engine: Engine) => Promise<number>,
): Promise<void> {
  const { database, engine } = await open(config);
  try {
    process.exitCode = await command(engine);
  } finally {
    await database.close();
  }
}

export async function migrate(config: Config): Promise<void> {
  const { database } = await open(config);
  await database.close();
  console.log(`migrated ${config.databaseUrl ? "PostgreSQL" : config.dataDir}`);
}

export async function seed(config: Config): Promise<void> {
  const { database, engine } = await open(config);
  const { seeded } = await seedDemo(engine);
  await seedDemoKeys(engine);
  await database.close();
  console.log(seeded ? "loaded the demo data" : "the database already has plans: left as it is");
}

export async function serve(config: Config, options: { demo: boolean }): Promise<void> {
  const logger = createLogger();
  const { database, engine } = await open(config);
  if (config.adminKey) {
    await engine.apiKeys.ensure(
      config.adminKey,
      { name: "TOLLGATE_ADMIN_KEY", type: "admin", role: "admin", env: "live" },
      { actor: { id: "system", role: "system" }, reason: "TOLLGATE_ADMIN_KEY set at start" },
    );
  }
  if (options.demo || config.seed === "demo") {
    const { seeded } = await seedDemo(engine);
    await seedDemoKeys(engine);
    logger.info({ seeded, keys: DEMO_KEYS }, seeded ? "demo data loaded" : "demo data present");
  }
  const server = await startServer(engine, logger, config.port, { publicUrl: config.publicUrl });
  const stopBackground = startBackgroundWork(engine, logger);
  const stop = async () => {
    server.close();
    await stopBackground();
    await database.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

/** Runs the scheduler alone (no HTTP): due jobs and sweeps, until SIGINT or SIGTERM. */
export async function worker(config: Config): Promise<void> {
  const logger = createLogger();
  const { database, engine } = await open(config);
  const stopBackground = startBackgroundWork(engine, logger);
  logger.info({ database: config.databaseUrl ? "postgres" : config.dataDir }, "worker started");
  const keepAlive = setInterval(() => {}, 60_000);
  const stop = async () => {
    clearInterval(keepAlive);
    await stopBackground();
    await database.close();
    logger.info("worker stopped");
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

/** `tollgate stripe reconcile`: drift between Stripe and the database; exit 1 while some is left. */
export async function stripeReconcile(
  config: Config,
  options: { apply: boolean; json: boolean },
): Promise<void> {
  if (!config.stripe) throw new Error("STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET must be set");
  const { database, engine } = await open(config);
  try {
    const report = await engine.payments.reconcile({ apply: options.apply });
    if (options.json) console.log(JSON.stringify(report, null, 2));
    else {
      console.log(`checked ${report.checked} contracts billed by Stripe; ${report.drift.length} differences`);
      if (report.drift.length > 0) {
        console.table(
          report.drift.map((d) => ({
            customer: `${d.customer.env}/${d.customer.customerId}`,
            subscription: d.providerSubscriptionId,
            kind: d.kind,
            expected: d.expected,
            actual: d.actual,
            action: d.action,
            note: d.note,
          })),
        );
        if (!options.apply) console.log("run again with --apply to correct prices and quantities at Stripe");
      }
    }
    if (report.drift.some((d) => d.action === "left")) process.exitCode = 1;
  } finally {
    await database.close();
  }
}
