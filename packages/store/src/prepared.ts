import { createHash } from "node:crypto";
import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { Queryable } from "./database";

const dialect = new PgDialect();

/**
 * Runs `query` as a named prepared statement on PostgreSQL, named after a hash of its text, so
 * each connection parses and plans it once and then only binds and runs it (PGlite runs it as
 * it is). Only for statements whose text does not vary with the data (values as parameters):
 * every distinct text stays prepared on every connection that ran it.
 */
export async function executePrepared(
  db: Queryable,
  query: SQL,
): Promise<{ rows: Record<string, unknown>[] }> {
  const built = dialect.sqlToQuery(query);
  const name = `tg_${createHash("sha1").update(built.sql).digest("base64url")}`;
  return (await db._.session.prepareQuery(built, undefined, name, false).execute()) as {
    rows: Record<string, unknown>[];
  };
}
