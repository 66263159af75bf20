import { type Query, type Queryable, type Row, run, type Statement, shaped } from "@tollgate/store";
import { type Placeholder, type SQL, sql } from "drizzle-orm";

/**
 * How metering hands a batch to SQL: each column as one array parameter, `unnest`ed, so a batch
 * of any size is one statement whose text depends only on its shape (built once, see `shaped`);
 * and several parts of a statement answered as one row of JSON arrays, so one round trip reads
 * or writes every table a batch touches.
 */

const NEEDS_ESCAPE = /["\\]/;
const ESCAPED = /["\\]/g;

/**
 * A column as PostgreSQL's array literal, to bind as one array parameter: the drivers' own
 * serialisers escape element by element with two regular expressions each, and were the
 * largest part of ingestion's CPU after the garbage collector. Values are text, numbers,
 * booleans or null.
 */
export function array(values: readonly unknown[]): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i];
    if (value === null || value === undefined) parts[i] = "NULL";
    else if (typeof value === "string")
      parts[i] = NEEDS_ESCAPE.test(value) ? `"${value.replace(ESCAPED, "\\$&")}"` : `"${value}"`;
    else if (typeof value === "boolean") parts[i] = value ? "t" : "f";
    else if (typeof value === "number") parts[i] = String(value);
    else throw new TypeError(`an array parameter holds text, numbers, booleans or null, not ${typeof value}`);
  }
  return `{${parts.join(",")}}`;
}

/** Columns of `rows` as array literals, one a `pick`, in order: the values of an `unnest`. */
export const columns = <T>(rows: readonly T[], ...picks: ((row: T) => unknown)[]): string[] =>
  picks.map((pick) => array(rows.map(pick)));

/**
 * An instant as SQL text. A batch's columns repeat instants (every event's window start, a
 * counter's hour), and formatting is a tenth of ingestion's CPU: the last one is remembered.
 */
let lastMs = Number.NaN;
let lastIso = "";
export function iso(d: Date | null): string | null {
  if (!d) return null;
  const ms = d.getTime();
  if (ms !== lastMs) {
    lastIso = d.toISOString();
    lastMs = ms;
  }
  return lastIso;
}

/** A CTE (`name AS (…)`) and the column of the answer it fills, if it answers rows. */
export interface Part extends Query {
  name: string;
  answers: boolean;
}

/**
 * The part `name` binding `values` in order (`text` receives a placeholder for each); `variant`
 * names what else its text depends on, if anything.
 */
export function part(
  name: string,
  answers: boolean,
  values: readonly unknown[],
  text: (...placeholders: Placeholder[]) => SQL,
  variant = "",
): Part {
  const {
    shape,
    text: built,
    values: named,
  } = shaped(`${name}${variant && `:${variant}`}`, values, text, `${name}_`);
  return { shape, text: built, values: named, name, answers };
}

/**
 * One statement of `parts` (WITH a AS (…), b AS (…) SELECT (SELECT json_agg(a) FROM a) AS a, …):
 * answers each answering part's rows by its name (no rows: an empty list). Data-modifying parts
 * run once each, to completion, whether answered or not. A single answering part answers its
 * rows as they are (JSON costs ingestion's thousands of rows about a tenth more), and a single
 * part is run as it is.
 */
export function partsStatement(parts: readonly Part[]): Statement<Record<string, Row[]>> {
  const [first] = parts;
  if (!first) return { query: null, answer: () => ({}) };
  if (parts.length === 1) return { query: first, answer: (rows) => ({ [first.name]: rows }) };
  const answered = parts.filter((p) => p.answers);
  const query: Query = {
    shape: parts.map((p) => `${p.shape}${p.answers ? "+" : ""}`).join(","),
    text: () => composed(parts, answered),
    values: Object.assign({}, ...parts.map((p) => p.values)),
  };
  const [only, ...others] = answered;
  if (only && others.length === 0) return { query, answer: (rows) => ({ [only.name]: rows }) };
  return {
    query,
    answer: ([row]) =>
      Object.fromEntries(answered.map((p) => [p.name, (row?.[p.name] as Row[] | null) ?? []])),
  };
}

function composed(parts: readonly Part[], answered: readonly Part[]): SQL {
  const ctes = sql.join(
    parts.map((p) => sql`${sql.identifier(p.name)} AS (${p.text()})`),
    sql`, `,
  );
  const [only, ...others] = answered;
  if (!only) return sql`WITH ${ctes} SELECT 1`;
  if (others.length === 0) return sql`WITH ${ctes} SELECT * FROM ${sql.identifier(only.name)}`;
  const columns = sql.join(
    answered.map(
      (p) =>
        sql`(SELECT json_agg(${sql.identifier(p.name)}) FROM ${sql.identifier(p.name)}) AS ${sql.identifier(p.name)}`,
    ),
    sql`, `,
  );
  return sql`WITH ${ctes} SELECT ${columns}`;
}

/** Runs `partsStatement(parts)`. */
export const runParts = (db: Queryable, parts: readonly Part[]) => run(db, partsStatement(parts));
