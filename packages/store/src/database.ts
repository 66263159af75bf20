import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import { migrate as migrateNodePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import { newPglite } from "./embedded";
import * as schema from "./schema";

export type Schema = typeof schema;
/** The query surface shared by both drivers; engine code is written against this. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** A database handle or an open transaction: repository functions accept either. */
export type Queryable = Db | Tx;

export interface Database {
  db: Db;
  driver: "pglite" | "postgres";
  /** Applies the migrations not yet applied (those of `folder`: a test's older copy of the schema). */
  migrate(folder?: string): Promise<void>;
  close(): Promise<void>;
}

export const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), "..", "migrations");

export interface DatabaseOptions {
  /** PostgreSQL connection string; absent = embedded PGlite. */
  url?: string | undefined;
  /** Directory of the embedded database; absent (with no url) = in memory. */
  dataDir?: string | undefined;
  poolSize?: number;
}

/** Opens the embedded PGlite database (a directory, or memory) or a PostgreSQL server. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) {
    // Pipeline mode (node-postgres ≥ 8.23): a query is sent at once, not when the one before it
    // has answered, so statements issued together share a round trip (transactionOpenedWith).
    // Awaited one at a time, queries behave as without it.
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10, pipeline: true });
    // An idle connection the server closes (restart, failover, DROP … FORCE) is dropped from the
    // pool and replaced on next use; without a listener its error would crash the process.
    pool.on("error", () => {});
    const db = drizzleNodePg(pool, { schema }) as unknown as Db;
    return {
      db,
      driver: "postgres",
      migrate: (folder = migrationsFolder) => migrateNodePg(db as never, { migrationsFolder: folder }),
      close: () => pool.end(),
    };
  }
  const client = options.dataDir ? await newPglite(options.dataDir) : new PGlite();
  await client.waitReady;
  return wrapPglite(client);
}

export function wrapPglite(client: PGlite): Database & { client: PGlite } {
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    driver: "pglite",
    client,
    migrate: (folder = migrationsFolder) => migratePglite(db as never, { migrationsFolder: folder }),
    close: () => client.close(),
  };
}
