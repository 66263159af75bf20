import { createHash } from "node:crypto";
import { type Query as BuiltQuery, is, Placeholder, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { Queryable } from "./database";

const dialect = new PgDialect();

export type Row = Record<string, unknown>;

/**
 * A statement whose text is the same for every use of its shape, its values bound apart. The
 * text is built, rendered and named once per shape, on its first use; later uses only bind
 * their values. (Building Drizzle's SQL for a batch statement and rendering it cost more of a
 * metering batch's CPU than anything else it does outside the drivers.)
 */
export interface Query {
  /** Names the text: two queries of one shape must build the same text. */
  readonly shape: string;
  /** The text, with a `sql.placeholder(name)` for each value of `values`. */
  readonly text: () => SQL;
  readonly values: Readonly<Record<string, unknown>>;
}

/**
 * A query of `shape` binding `values` in order: `text` receives a placeholder for each, named
 * `prefix` and its position (so that the values of several queries composed into one can be
 * merged without clashing).
 */
export function shaped(
  shape: string,
  values: readonly unknown[],
  text: (...placeholders: Placeholder[]) => SQL,
  prefix = "v",
): Query {
  const named: Record<string, unknown> = {};
  for (let i = 0; i < values.length; i += 1) named[`${prefix}${i}`] = values[i];
  return {
    shape,
    text: () => text(...values.map((_, i) => sql.placeholder(`${prefix}${i}`))),
    values: named,
  };
}

interface Prepared {
  built: BuiltQuery;
  name: string;
}

/** The rendered text of each shape seen, and its statement name. */
const shapes = new Map<string, Prepared>();
/** Shapes are a handful per kind of statement; many more means a shape that varies with data. */
const MAX_SHAPES = 10_000;
/** Under the test runner every use renders its text again and must find the shape's text. */
const checkShapes = process.env.VITEST !== undefined;

function prepared(query: Query): Prepared {
  const known = shapes.get(query.shape);
  if (known && !checkShapes) return known;
  const built = dialect.sqlToQuery(query.text());
  // A value written into the text, not bound by a placeholder, would be kept with the text and
  // bound again on every later use of the shape, whatever that use's value.
  const bound = built.params.map((p) => {
    if (!is(p, Placeholder))
      throw new Error(`the statement shape "${query.shape}" holds a value, not a placeholder`);
    return p.name;
  });
  if (known) {
    const knownBound = known.built.params.map((p) => (p as Placeholder).name);
    if (known.built.sql !== built.sql || knownBound.join() !== bound.join()) {
      throw new Error(
        `two texts for the statement shape "${query.shape}":\n${known.built.sql}\n${built.sql}`,
      );
    }
    return known;
  }
  if (shapes.size >= MAX_SHAPES) shapes.clear();
  const made = { built, name: `tg_${createHash("sha1").update(built.sql).digest("base64url")}` };
  shapes.set(query.shape, made);
  return made;
}

/**
 * Runs `query` as a named prepared statement on PostgreSQL, named after a hash of its text, so
 * each connection parses and plans it once and then only binds and runs it (PGlite runs it as
 * it is). Every distinct text stays prepared on every connection that ran it.
 */
export async function executePrepared(db: Queryable, query: Query): Promise<{ rows: Row[] }> {
  const { built, name } = prepared(query);
  return (await db._.session.prepareQuery(built, undefined, name, false).execute(query.values)) as {
    rows: Row[];
  };
}

/**
 * A statement and how to read its answer, apart, so that a caller may send it as it chooses (on
 * its own with `run`, or with others in one round trip with `transactionOpenedWith`). No query:
 * nothing to ask, and the answer is `answer([])`.
 */
export interface Statement<T> {
  query: Query | null;
  answer(rows: Row[]): T;
}

/** Runs `statement` (as a prepared statement) and reads its answer. */
export async function run<T>(db: Queryable, statement: Statement<T>): Promise<T> {
  return statement.answer(statement.query ? (await executePrepared(db, statement.query)).rows : []);
}

/**
 * `column = ANY(values)` with the values as one text-array parameter: Drizzle's `inArray` binds
 * each value as a parameter of its own, and rendering a statement of a thousand walks every one.
 * For Drizzle's query builders, not inside a `shaped` text (whose values must be placeholders).
 */
export const isAnyOf = (column: SQLWrapper, values: readonly string[]): SQL =>
  sql`${column} = ANY(${sql.param([...new Set(values)])}::text[])`;
