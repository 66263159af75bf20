import { createHash } from "node:crypto";
import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { Queryable } from "./database";

const dialect = new PgDialect();

export type Row = Record<string, unknown>;

/**
 * Runs `query` as a named prepared statement on PostgreSQL, named after a hash of its text, so
 * each connection parses and plans it once and then only binds and runs it (PGlite runs it as
 * it is). Only for statements whose text does not vary with the data (values as parameters):
 * every distinct text stays prepared on every connection that ran it.
 */
export async function executePrepared(db: Queryable, query: SQL): Promise<{ rows: Row[] }> {
  const built = dialect.sqlToQuery(query);
  const name = `tg_${createHash("sha1").update(built.sql).digest("base64url")}`;
  return (await db._.session.prepareQuery(built, undefined, name, false).execute()) as { rows: Row[] };
}

/**
 * A statement and how to read its answer, apart, so that a caller may send it as it chooses (on
 * its own with `run`, or with others in one round trip with `transactionOpenedWith`). No query:
 * nothing to ask, and the answer is `answer([])`.
 */
export interface Statement<T> {
  query: SQL | null;
  answer(rows: Row[]): T;
}

/** Runs `statement` (as a prepared statement) and reads its answer. */
export async function run<T>(db: Queryable, statement: Statement<T>): Promise<T> {
  return statement.answer(statement.query ? (await executePrepared(db, statement.query)).rows : []);
}
