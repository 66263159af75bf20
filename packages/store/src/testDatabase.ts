import { randomBytes } from "node:crypto";
import pg from "pg";
import { type Database, openDatabase } from "./database";
import { openFromPgliteTemplate } from "./pgliteTemplate";

/**
 * A fresh, migrated database for one test file: in-memory PGlite, or — when DATABASE_URL is
 * set — a new database on that PostgreSQL server, dropped again on close. `migrated: false`
 * leaves it empty (a test of a migration applies the ones before it first).
 */
export async function openTestDatabase({ migrated = true } = {}): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const template = process.env.TOLLGATE_PGLITE_TEMPLATE;
    if (!migrated) return openDatabase({});
    const database = template ? await openFromPgliteTemplate(template) : await openDatabase({});
    await database.migrate();
    return database;
  }
  const name = `tollgate_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  const database = await openDatabase({ url: target.toString(), poolSize: 20 });
  if (migrated) await database.migrate();
  return {
    ...database,
    async close() {
      await database.close();
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
