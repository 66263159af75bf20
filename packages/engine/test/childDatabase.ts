import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { type Database, openDatabase, wrapPglite } from "@tollgate/store";
import { type SQL, sql } from "drizzle-orm";

/**
 * A database a child process can open and be killed in, for the crash tests: a PGlite
 * directory (only one process may have it open at a time), or a new PostgreSQL database when
 * DATABASE_URL is set. The child finds it in CHILD_DATA_DIR or CHILD_DATABASE_URL.
 */
export interface Target {
  driver: "pglite" | "postgres";
  /** A new handle on the database (PGlite: only while no child has the directory open). */
  open(): Promise<Database>;
  childEnv: Record<string, string>;
  /** Resolves once the server holds no connection of a killed child (PostgreSQL only). */
  childGone(database: Database): Promise<void>;
  dispose(): Promise<void>;
}

/** A PGlite directory holding the run's migrated dump (initdb takes seconds; loading the dump, one). */
async function fromTemplate(template: string, dataDir: string): Promise<Database> {
  const client = new PGlite({ dataDir, loadDataDir: new Blob([await readFile(template)]) });
  await client.waitReady;
  return wrapPglite(client);
}

/** A PGlite directory (loaded from the run's migrated dump when there is one), or a new PostgreSQL database. */
export async function prepareTarget(childApp: string): Promise<{ target: Target; first: Database }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const dir = mkdtempSync(join(tmpdir(), "tollgate-crash-"));
    const dataDir = join(dir, "pgdata");
    const template = process.env.TOLLGATE_PGLITE_TEMPLATE;
    const first = template ? await fromTemplate(template, dataDir) : await openDatabase({ dataDir });
    await first.migrate();
    return {
      first,
      target: {
        driver: "pglite",
        open: () => openDatabase({ dataDir }),
        childEnv: { CHILD_DATA_DIR: dataDir },
        childGone: async () => {},
        dispose: async () => rmSync(dir, { recursive: true, force: true }),
      },
    };
  }
  const name = `tollgate_test_${randomBytes(6).toString("hex")}`;
  const admin = async (statement: string) => {
    const database = await openDatabase({ url, poolSize: 1 });
    try {
      await database.db.execute(sql.raw(statement));
    } finally {
      await database.close();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const at = new URL(url);
  at.pathname = `/${name}`;
  const child = new URL(at);
  child.searchParams.set("application_name", childApp);
  const first = await openDatabase({ url: at.toString() });
  await first.migrate();
  return {
    first,
    target: {
      driver: "postgres",
      open: () => openDatabase({ url: at.toString() }),
      childEnv: { CHILD_DATABASE_URL: child.toString() },
      // The server aborts a dead client's open transaction only when it notices the closed
      // socket; until then a COMMIT already sent could still land. Check only after that.
      childGone: async (database) => {
        const deadline = Date.now() + 10_000;
        while (Date.now() < deadline) {
          const [row] = await rows(
            database,
            sql`SELECT count(*)::int AS n FROM pg_stat_activity
                WHERE datname = current_database() AND application_name = ${childApp}`,
          );
          if (row?.n === 0) return;
          await new Promise((r) => setTimeout(r, 20));
        }
        throw new Error("the killed child's connections are still open after 10 s");
      },
      dispose: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    },
  };
}

export type Row = Record<string, unknown>;
export async function rows(database: Database, query: SQL): Promise<Row[]> {
  return ((await database.db.execute(query)) as unknown as { rows: Row[] }).rows;
}
