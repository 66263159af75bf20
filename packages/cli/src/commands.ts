import { createEngine, DEMO_KEYS, type Engine, seedDemo, seedDemoKeys } from "@tollgate/engine";
import { createLogger, startServer } from "@tollgate/server";
import { type Database, openDatabase } from "@tollgate/store";
import type { Config } from "./config";
import { startSweeps } from "./sweeps";

async function open(config: Config): Promise<{ database: Database; engine: Engine }> {
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  await database.migrate();
  return { database, engine: createEngine({ database }) };
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
  const server = await startServer(engine, logger, config.port);
  const stopSweeps = startSweeps(engine, logger);
  const stop = async () => {
    stopSweeps();
    server.close();
    await database.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
