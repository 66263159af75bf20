import { addQuantities } from "@tollgate/core";
import type { Queryable, Row } from "@tollgate/store";
import { type SQL, sql } from "drizzle-orm";
import type { Env } from "../context";
import { columns, iso, type Part, part, runParts } from "./batchSql";
import {
  type CounterDelta,
  type CounterOp,
  counterKeyColumns,
  counterWindowId,
  type HourlyDelta,
} from "./usageDeltas";

/**
 * The writes of metering: a batch's events, unique values, counters and hourly rollups in one
 * statement (one data-modifying CTE a table), each write idempotent or commutative, so safe
 * under concurrency. Rows are written in key order, so concurrent writers lock the rows they
 * share in the same order and wait for each other instead of deadlocking.
 */

export interface EventRow {
  env: Env;
  customerId: string;
  eventId: string;
  feature: string;
  quantity: number;
  timestamp: Date;
  workspaceId: string | null;
  userId: string | null;
  properties: Record<string, unknown> | null;
  windowStart: Date;
  backfill: boolean;
}

export const eventKey = (env: Env, customerId: string, eventId: string) =>
  `${env}\u0000${customerId}\u0000${eventId}`;

/** A value of a `unique_count` feature, brought by the event `eventId`. */
export interface UniqueValueRow {
  env: Env;
  customerId: string;
  eventId: string;
  feature: string;
  scopeKey: string;
  windowStart: Date;
  value: string;
}

/** A unique value in its window, as a set key (whichever event brought it). */
export const uniqueKey = (r: Omit<UniqueValueRow, "eventId">) =>
  `${r.env}\u0000${r.customerId}\u0000${r.feature}\u0000${r.scopeKey}\u0000${r.windowStart.getTime()}\u0000${r.value}`;

/** In key order, each key built once (a comparator building both would build them n log n times). */
function byUniqueKey(values: readonly UniqueValueRow[]): UniqueValueRow[] {
  return values
    .map((value) => ({ key: uniqueKey(value), value }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((keyed) => keyed.value);
}

export interface CounterValue {
  env: Env;
  customerId: string;
  feature: string;
  scopeKey: string;
  windowStart: Date;
  windowEnd: Date | null;
  used: number;
}

export interface UsageWrites {
  /** Inserted, skipping ids already recorded (their months' partitions must exist). */
  events?: readonly EventRow[];
  /**
   * The writer knows of no event id already recorded: the ids are inserted as they are, a third
   * cheaper than skipping the recorded ones, and one recorded after all fails the write with
   * `isEventIdTaken` (the transaction is then aborted: retry it, or roll back to a savepoint).
   */
  eventsAreNew?: boolean;
  /** Recorded when their event is inserted by the same write (a repeated id brings nothing). */
  uniqueValues?: readonly UniqueValueRow[];
  /** Adds to one counter may come in several deltas; a max or latest comes in one. */
  counters?: readonly CounterDelta[];
  hourly?: readonly HourlyDelta[];
}

export interface UsageWritten {
  /**
   * The `eventKey`s of the events inserted; null when they were written as new (`eventsAreNew`):
   * then every one was, and no key is built.
   */
  inserted: Set<string> | null;
  /** The `uniqueKey`s of the values seen for the first time in their window. */
  firstSeen: Set<string>;
  /** The counters written, as they are after the write (what the in-process cache then holds). */
  counters: CounterValue[];
}

/**
 * Writes what is given in one statement (none when there is nothing to write), or two when
 * events inserted as new bring unique values. Every writer must take the rows it shares with
 * another in the same order — ids, then unique values, then counters, each in key order — or
 * two writers can each wait for a row the other holds (a deadlock). In one statement, the
 * answered parts run in the order of the answer (events, so their ids, first); parts nothing
 * reads run last, in an order PostgreSQL does not promise: new events answer nothing, so their
 * unique values wait for a statement of their own.
 */
export async function writeUsage(db: Queryable, writes: UsageWrites, at: Date): Promise<UsageWritten> {
  const { events = [], counters = [], hourly = [], eventsAreNew = false } = writes;
  const uniqueValues = byUniqueKey(writes.uniqueValues ?? []);
  let parts: Part[] = [];
  if (events.length > 0) parts.push(...insertEvents(events, at, eventsAreNew));
  let written: Record<string, Row[]> = {};
  if (uniqueValues.length > 0 && events.length > 0) {
    if (eventsAreNew) {
      written = await runParts(db, parts);
      parts = [];
    }
    parts.push(insertUniqueValues(uniqueValues, eventsAreNew));
  }
  for (const op of ["add", "max", "latest"] as const) {
    const batch = onePerCounter(counters.filter((d) => d.op === op));
    if (batch.length > 0) parts.push(upsertDeltas(batch, op, at));
  }
  if (hourly.length > 0) parts.push(upsertHourly(hourly));
  Object.assign(written, await runParts(db, parts));
  return {
    inserted: eventsAreNew
      ? null
      : new Set(
          (written.events ?? []).map((r) =>
            eventKey(r.env as Env, r.customer_id as string, r.event_id as string),
          ),
        ),
    firstSeen: new Set((written.unique_values ?? []).map((r) => uniqueKey(toUniqueValue(r)))),
    counters: ["add", "max", "latest"].flatMap((op) => (written[`counters_${op}`] ?? []).map(toCounterValue)),
  };
}

/**
 * In key order, and one a counter, since a statement may not update a row twice: adds to the
 * same counter (a batch's usage and the units an expired hold gives back) are summed. Deltas
 * already so (`foldDeltas` answers them so) are answered as they are.
 */
function onePerCounter(deltas: readonly CounterDelta[]): readonly CounterDelta[] {
  const ids = deltas.map(counterWindowId);
  if (ids.every((id, i) => i === 0 || (ids[i - 1] as string) < id)) return deltas;
  const byCounter = new Map<string, CounterDelta>();
  for (const [i, d] of deltas.entries()) {
    const id = ids[i] as string;
    const same = byCounter.get(id);
    if (same && d.op === "add") same.value = addQuantities(same.value, d.value);
    else if (same) throw new Error(`two ${d.op} deltas for one counter in a write`);
    else byCounter.set(id, { ...d });
  }
  return [...byCounter.keys()].sort().map((id) => byCounter.get(id) as CounterDelta);
}

/**
 * The events' ids, then the events: all of them when `areNew`, else those whose id the first
 * insert took (a recorded id, or one another writer is recording, is skipped).
 */
function insertEvents(events: readonly EventRow[], receivedAt: Date, areNew: boolean): Part[] {
  const variant = areNew ? "new" : "";
  const rows = part(
    "event_rows",
    false,
    columns(
      events,
      (e) => e.env,
      (e) => e.customerId,
      (e) => e.eventId,
      (e) => e.feature,
      (e) => e.quantity,
      (e) => iso(e.timestamp),
      (e) => e.workspaceId,
      (e) => e.userId,
      (e) => (e.properties ? JSON.stringify(e.properties) : null),
      (e) => iso(e.windowStart),
      (e) => e.backfill,
    ),
    (
      envs,
      customerIds,
      eventIds,
      features,
      quantities,
      timestamps,
      workspaceIds,
      userIds,
      properties,
      windowStarts,
      backfills,
    ) =>
      sql`SELECT * FROM unnest(${envs}::text[], ${customerIds}::text[], ${eventIds}::text[], ${features}::text[],
                               ${quantities}::numeric[], ${timestamps}::timestamptz[], ${workspaceIds}::text[],
                               ${userIds}::text[], ${properties}::jsonb[], ${windowStarts}::timestamptz[],
                               ${backfills}::boolean[])
          AS t(env, customer_id, event_id, feature_key, quantity, timestamp, workspace_id, user_id,
               properties, window_start, backfill)`,
  );
  const ids = part(
    "event_ids",
    false,
    [],
    () => sql`INSERT INTO usage_event_ids (customer_id, env, event_id, timestamp)
      SELECT customer_id, env, event_id, timestamp FROM event_rows
      ${areNew ? sql`` : sql`ON CONFLICT ON CONSTRAINT usage_event_ids_pk DO NOTHING RETURNING env, customer_id, event_id`}`,
    variant,
  );
  const inserted = part(
    "events",
    !areNew,
    [iso(receivedAt)],
    (received) => sql`INSERT INTO usage_events (env, customer_id, event_id, feature_key, quantity, timestamp,
                                received_at, workspace_id, user_id, properties, window_start, backfill)
      SELECT env, customer_id, event_id, feature_key, quantity, timestamp, ${received}::timestamptz,
             workspace_id, user_id, properties, window_start, backfill
      FROM event_rows ${areNew ? sql`` : sql`JOIN event_ids USING (customer_id, env, event_id) RETURNING env, customer_id, event_id`}`,
    variant,
  );
  return [rows, ids, inserted];
}

/** The error of a write of `eventsAreNew` that met an id already recorded. */
export const isEventIdTaken = (error: unknown) =>
  databaseError(error, (code, constraint) => code === "23505" && constraint === "usage_event_ids_pk");

/** PostgreSQL aborted the transaction to break a deadlock: it may be run again. */
export const isDeadlock = (error: unknown) => databaseError(error, (code) => code === "40P01");

/** Runs `attempt` (a whole transaction) again while it fails as `retryable` says, three tries in all. */
export async function retried<T>(
  attempt: () => Promise<T>,
  retryable: (error: unknown) => boolean,
): Promise<T> {
  for (let tries = 1; ; tries += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!retryable(error) || tries === 3) throw error;
    }
  }
}

/** Whether the database's error, under the wrappers of Drizzle, has the SQLSTATE and constraint asked. */
function databaseError(error: unknown, is: (code: unknown, constraint: unknown) => boolean): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const { code, constraint } = e as { code?: unknown; constraint?: unknown };
    if (is(code, constraint)) return true;
  }
  return false;
}

/** Only the values whose event the `events` part inserted. */
const insertUniqueValues = (values: readonly UniqueValueRow[], eventsAreNew: boolean) =>
  part(
    "unique_values",
    true,
    columns(
      values,
      ...counterKeyColumns,
      (v) => v.value,
      (v) => v.eventId,
    ),
    (envs, customerIds, features, scopeKeys, windowStarts, uniqueValues, eventIds) =>
      sql`INSERT INTO usage_unique_values (env, customer_id, feature_key, scope_key, window_start, value)
          SELECT t.env, t.customer_id, t.feature_key, t.scope_key, t.window_start, t.value
          FROM unnest(${envs}::text[], ${customerIds}::text[], ${features}::text[], ${scopeKeys}::text[],
                      ${windowStarts}::timestamptz[], ${uniqueValues}::text[], ${eventIds}::text[])
               AS t(env, customer_id, feature_key, scope_key, window_start, value, event_id)
          ${
            eventsAreNew
              ? sql``
              : sql`WHERE EXISTS (SELECT FROM events e
                                  WHERE e.env = t.env AND e.customer_id = t.customer_id AND e.event_id = t.event_id)`
          }
          ON CONFLICT ON CONSTRAINT usage_unique_values_pk DO NOTHING
          RETURNING env, customer_id, feature_key, scope_key, window_start, value`,
    eventsAreNew ? "new" : "",
  );

const MERGE: Record<CounterOp, SQL> = {
  add: sql`used = usage_counters.used + excluded.used`,
  max: sql`used = GREATEST(usage_counters.used, excluded.used)`,
  latest: sql`used = CASE WHEN usage_counters.latest_at IS NULL OR excluded.latest_at >= usage_counters.latest_at
                          THEN excluded.used ELSE usage_counters.used END,
              latest_at = GREATEST(usage_counters.latest_at, excluded.latest_at)`,
};

/** Deltas of one op, one a counter, in key order. */
const upsertDeltas = (deltas: readonly CounterDelta[], op: CounterOp, at: Date) =>
  part(
    `counters_${op}`,
    true,
    [
      iso(at),
      ...columns(
        deltas,
        ...counterKeyColumns,
        (d) => iso(d.windowEnd),
        (d) => d.value,
        (d) => iso(d.latestAt),
      ),
    ],
    (now, envs, customerIds, features, scopeKeys, windowStarts, windowEnds, values, latestAts) =>
      sql`INSERT INTO usage_counters (env, customer_id, feature_key, scope_key, window_start, window_end, used,
                                      latest_at, updated_at)
          SELECT env, customer_id, feature_key, scope_key, window_start, window_end, used, latest_at, ${now}::timestamptz
          FROM unnest(${envs}::text[], ${customerIds}::text[], ${features}::text[], ${scopeKeys}::text[],
                      ${windowStarts}::timestamptz[], ${windowEnds}::timestamptz[], ${values}::numeric[],
                      ${latestAts}::timestamptz[])
               AS t(env, customer_id, feature_key, scope_key, window_start, window_end, used, latest_at)
          ON CONFLICT ON CONSTRAINT usage_counters_pk DO UPDATE SET ${MERGE[op]}, updated_at = excluded.updated_at
          RETURNING env, customer_id, feature_key, scope_key, window_start, window_end, used`,
  );

const upsertHourly = (deltas: readonly HourlyDelta[]) =>
  part(
    "hourly",
    false,
    columns(
      deltas,
      (d) => d.env,
      (d) => d.customerId,
      (d) => d.feature,
      (d) => iso(d.hourStart),
      (d) => d.quantity,
      (d) => d.events,
      (d) => d.maxQuantity,
      (d) => d.firstSeen,
      (d) => d.latestQuantity,
      (d) => iso(d.latestAt),
    ),
    (
      envs,
      customerIds,
      features,
      hourStarts,
      quantities,
      events,
      maxQuantities,
      firstSeen,
      latestQuantities,
      latestAts,
    ) =>
      sql`INSERT INTO usage_hourly (env, customer_id, feature_key, hour_start, quantity, events, max_quantity,
                                    first_seen, latest_quantity, latest_at)
          SELECT * FROM unnest(${envs}::text[], ${customerIds}::text[], ${features}::text[],
                               ${hourStarts}::timestamptz[], ${quantities}::numeric[], ${events}::integer[],
                               ${maxQuantities}::numeric[], ${firstSeen}::integer[], ${latestQuantities}::numeric[],
                               ${latestAts}::timestamptz[])
          ON CONFLICT ON CONSTRAINT usage_hourly_pk DO UPDATE SET
            quantity = usage_hourly.quantity + excluded.quantity,
            events = usage_hourly.events + excluded.events,
            max_quantity = GREATEST(usage_hourly.max_quantity, excluded.max_quantity),
            first_seen = usage_hourly.first_seen + excluded.first_seen,
            latest_quantity = CASE WHEN usage_hourly.latest_at IS NULL OR excluded.latest_at >= usage_hourly.latest_at
                                   THEN excluded.latest_quantity ELSE usage_hourly.latest_quantity END,
            latest_at = GREATEST(usage_hourly.latest_at, excluded.latest_at)`,
  );

export const toCounterValue = (r: Row): CounterValue => ({
  env: r.env as Env,
  customerId: r.customer_id as string,
  feature: r.feature_key as string,
  scopeKey: r.scope_key as string,
  windowStart: new Date(r.window_start as string),
  windowEnd: r.window_end === null ? null : new Date(r.window_end as string),
  used: Number(r.used),
});

export const toUniqueValue = (r: Row): Omit<UniqueValueRow, "eventId"> => ({
  env: r.env as Env,
  customerId: r.customer_id as string,
  feature: r.feature_key as string,
  scopeKey: r.scope_key as string,
  windowStart: new Date(r.window_start as string),
  value: r.value as string,
});
