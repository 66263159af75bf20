import type { Queryable } from "@tollgate/store";
import { type SQL, sql } from "drizzle-orm";

/**
 * How metering hands a batch to SQL: each column as one array parameter, `unnest`ed, so a batch
 * of any size is one statement; and several parts of a statement answered as one row of JSON
 * arrays, so one round trip reads or writes every table a batch touches.
 */

export type Row = Record<string, unknown>;

async function rows(db: Queryable, query: SQL): Promise<Row[]> {
  const result = (await db.execute(query)) as unknown as { rows: Row[] };
  return result.rows;
}

export const array = (values: unknown[]) => sql.param(values);
export const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A CTE (`name AS (…)`) and the column of the answer it fills, if it answers rows. */
export interface Part {
  name: string;
  query: SQL;
  answers: boolean;
}

/**
 * One statement of `parts` (WITH a AS (…), b AS (…) SELECT (SELECT json_agg(a) FROM a) AS a, …):
 * answers each answering part's rows by its name (no rows: an empty list). Data-modifying parts
 * run once each, to completion, whether answered or not. A single answering part answers its
 * rows as they are (JSON costs ingestion's thousands of rows about a tenth more), and a single
 * part is run as it is.
 */
export async function runParts(db: Queryable, parts: readonly Part[]): Promise<Record<string, Row[]>> {
  const [first] = parts;
  if (!first) return {};
  if (parts.length === 1) return { [first.name]: await rows(db, first.query) };
  const ctes = sql.join(
    parts.map((p) => sql`${sql.identifier(p.name)} AS (${p.query})`),
    sql`, `,
  );
  const [only, ...others] = parts.filter((p) => p.answers);
  if (!only) {
    await db.execute(sql`WITH ${ctes} SELECT 1`);
    return {};
  }
  if (others.length === 0) {
    return { [only.name]: await rows(db, sql`WITH ${ctes} SELECT * FROM ${sql.identifier(only.name)}`) };
  }
  const answered = [only, ...others];
  const columns = sql.join(
    answered.map(
      (p) =>
        sql`(SELECT json_agg(${sql.identifier(p.name)}) FROM ${sql.identifier(p.name)}) AS ${sql.identifier(p.name)}`,
    ),
    sql`, `,
  );
  const [row] = await rows(db, sql`WITH ${ctes} SELECT ${columns}`);
  return Object.fromEntries(answered.map((p) => [p.name, (row?.[p.name] as Row[] | null) ?? []]));
}
