import { randomBytes } from "node:crypto";
import { type Database, openDatabase } from "@tollgate/store";
import pg from "pg";

/** A scratch PostgreSQL database on the server of `serverUrl`, created empty and dropped on `drop`. */
export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createScratchDatabase(serverUrl: string): Promise<ScratchDatabase> {
  const name = `tollgate_bench_${randomBytes(6).toString("hex")}`;
  await onServer(serverUrl, `CREATE DATABASE ${name}`);
  const target = new URL(serverUrl);
  target.pathname = `/${name}`;
  return {
    url: target.toString(),
    drop: () => onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function onServer(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export interface BenchDatabase {
  database: Database;
  /** The scratch database's URL on PostgreSQL; undefined on in-memory PGlite. */
  url: string | undefined;
  close(): Promise<void>;
}

/**
 * A fresh, migrated database for one benchmark: a new database on the PostgreSQL server of
 * DATABASE_URL (dropped again on close), else in-memory PGlite.
 */
export async function openBenchDatabase(poolSize = 20): Promise<BenchDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const database = await openDatabase({});
    await database.migrate();
    return { database, url: undefined, close: () => database.close() };
  }
  const scratch = await createScratchDatabase(serverUrl);
  const database = await openDatabase({ url: scratch.url, poolSize });
  await database.migrate();
  return {
    database,
    url: scratch.url,
    async close() {
      await database.close();
      await scratch.drop();
    },
  };
}
