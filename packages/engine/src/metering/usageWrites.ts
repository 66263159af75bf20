import type { Queryable } from "@tollgate/store";
import { type SQL, sql } from "drizzle-orm";
import type { Env } from "../context";
import { type CounterDelta, type CounterKey, counterWindowId, type HourlyDelta } from "./usageDeltas";

/**
 * The SQL of metering. Each function writes a whole batch in one statement by passing columns
 * as arrays and `unnest`ing them, so a batch of 1000 events costs a handful of round trips on
 * either driver, and every write is idempotent or commutative (safe under concurrency).
 */

type Row = Record<string, unknown>;

async function rows(db: Queryable, query: SQL): Promise<Row[]> {
  const result = (await db.execute(query)) as unknown as { rows: Row[] };
  return result.rows;
}

const array = (values: unknown[]) => sql.param(values);
const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The events among `events` already recorded (any customers): their `eventKey`s. */
export async function existingEventIds(
  db: Queryable,
  events: readonly { env: Env; customerId: string; eventId: string }[],
): Promise<Set<string>> {
  if (events.length === 0) return new Set();
  const found = await rows(
    db,
    sql`SELECT u.env, u.customer_id, u.event_id FROM usage_events u
        JOIN unnest(${array(events.map((e) => e.env))}::text[],
                    ${array(events.map((e) => e.customerId))}::text[],
                    ${array(events.map((e) => e.eventId))}::text[])
             AS t(env, customer_id, event_id) USING (customer_id, env, event_id)`,
  );
  return new Set(found.map((r) => eventKey(r.env as Env, r.customer_id as string, r.event_id as string)));
}

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

/** Inserts events, skipping ids already recorded; answers the keys of those inserted. */
export async function insertEvents(
  db: Queryable,
  events: EventRow[],
  receivedAt: Date,
): Promise<Set<string>> {
  if (events.length === 0) return new Set();
  const inserted = await rows(
    db,
    sql`INSERT INTO usage_events (env, customer_id, event_id, feature_key, quantity, timestamp, received_at,
                                  workspace_id, user_id, properties, window_start, backfill)
        SELECT env, customer_id, event_id, feature_key, quantity, timestamp, ${iso(receivedAt)}::timestamptz,
               workspace_id, user_id, properties, window_start, backfill
        FROM unnest(${array(events.map((e) => e.env))}::text[],
                    ${array(events.map((e) => e.customerId))}::text[],
                    ${array(events.map((e) => e.eventId))}::text[],
                    ${array(events.map((e) => e.feature))}::text[],
                    ${array(events.map((e) => e.quantity))}::numeric[],
                    ${array(events.map((e) => iso(e.timestamp)))}::timestamptz[],
                    ${array(events.map((e) => e.workspaceId))}::text[],
                    ${array(events.map((e) => e.userId))}::text[],
                    ${array(events.map((e) => (e.properties ? JSON.stringify(e.properties) : null)))}::jsonb[],
                    ${array(events.map((e) => iso(e.windowStart)))}::timestamptz[],
                    ${array(events.map((e) => e.backfill))}::boolean[])
             AS t(env, customer_id, event_id, feature_key, quantity, timestamp, workspace_id, user_id,
                  properties, window_start, backfill)
        ON CONFLICT ON CONSTRAINT usage_events_pk DO NOTHING
        RETURNING env, customer_id, event_id`,
  );
  return new Set(inserted.map((r) => eventKey(r.env as Env, r.customer_id as string, r.event_id as string)));
}

export const eventKey = (env: Env, customerId: string, eventId: string) =>
  `${env}\u0000${customerId}\u0000${eventId}`;

export interface UniqueValueRow {
  env: Env;
  customerId: string;
  feature: string;
  scopeKey: string;
  windowStart: Date;
  value: string;
}

export const uniqueKey = (r: UniqueValueRow) =>
  `${r.env}\u0000${r.customerId}\u0000${r.feature}\u0000${r.scopeKey}\u0000${r.windowStart.getTime()}\u0000${r.value}`;

/** Records unique values; answers the keys of those seen for the first time in their window. */
export async function insertUniqueValues(db: Queryable, values: UniqueValueRow[]): Promise<Set<string>> {
  if (values.length === 0) return new Set();
  const inserted = await rows(
    db,
    sql`INSERT INTO usage_unique_values (env, customer_id, feature_key, scope_key, window_start, value)
        SELECT * FROM unnest(${array(values.map((v) => v.env))}::text[],
                             ${array(values.map((v) => v.customerId))}::text[],
                             ${array(values.map((v) => v.feature))}::text[],
                             ${array(values.map((v) => v.scopeKey))}::text[],
                             ${array(values.map((v) => iso(v.windowStart)))}::timestamptz[],
                             ${array(values.map((v) => v.value))}::text[])
        ON CONFLICT ON CONSTRAINT usage_unique_values_pk DO NOTHING
        RETURNING env, customer_id, feature_key, scope_key, window_start, value`,
  );
  return new Set(
    inserted.map((r) =>
      uniqueKey({
        env: r.env as Env,
        customerId: r.customer_id as string,
        feature: r.feature_key as string,
        scopeKey: r.scope_key as string,
        windowStart: new Date(r.window_start as string),
        value: r.value as string,
      }),
    ),
  );
}

/** The unique values of this customer already counted, among `values`. */
export async function existingUniqueValues(db: Queryable, values: UniqueValueRow[]): Promise<Set<string>> {
  if (values.length === 0) return new Set();
  const found = await rows(
    db,
    sql`SELECT u.env, u.customer_id, u.feature_key, u.scope_key, u.window_start, u.value
        FROM usage_unique_values u
        JOIN unnest(${array(values.map((v) => v.env))}::text[],
                    ${array(values.map((v) => v.customerId))}::text[],
                    ${array(values.map((v) => v.feature))}::text[],
                    ${array(values.map((v) => v.scopeKey))}::text[],
                    ${array(values.map((v) => iso(v.windowStart)))}::timestamptz[],
                    ${array(values.map((v) => v.value))}::text[])
             AS t(env, customer_id, feature_key, scope_key, window_start, value)
          USING (env, customer_id, feature_key, scope_key, window_start, value)`,
  );
  return new Set(
    found.map((r) =>
      uniqueKey({
        env: r.env as Env,
        customerId: r.customer_id as string,
        feature: r.feature_key as string,
        scopeKey: r.scope_key as string,
        windowStart: new Date(r.window_start as string),
        value: r.value as string,
      }),
    ),
  );
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

const MERGE: Record<CounterDelta["op"], SQL> = {
  add: sql`used = usage_counters.used + excluded.used`,
  max: sql`used = GREATEST(usage_counters.used, excluded.used)`,
  latest: sql`used = CASE WHEN usage_counters.latest_at IS NULL OR excluded.latest_at >= usage_counters.latest_at
                          THEN excluded.used ELSE usage_counters.used END,
              latest_at = GREATEST(usage_counters.latest_at, excluded.latest_at)`,
};

/**
 * Applies counter deltas (one statement per kind of merge) and answers the counters' values
 * after the write, which is what the in-process cache then holds.
 */
export async function applyCounterDeltas(
  db: Queryable,
  deltas: CounterDelta[],
  at: Date,
): Promise<CounterValue[]> {
  const after: CounterValue[] = [];
  for (const op of ["add", "max", "latest"] as const) {
    const batch = deltas.filter((d) => d.op === op);
    if (batch.length === 0) continue;
    const result = await rows(
      db,
      sql`INSERT INTO usage_counters (env, customer_id, feature_key, scope_key, window_start, window_end, used,
                                      latest_at, updated_at)
          SELECT env, customer_id, feature_key, scope_key, window_start, window_end, used, latest_at,
                 ${iso(at)}::timestamptz
          FROM unnest(${array(batch.map((d) => d.env))}::text[],
                      ${array(batch.map((d) => d.customerId))}::text[],
                      ${array(batch.map((d) => d.feature))}::text[],
                      ${array(batch.map((d) => d.scopeKey))}::text[],
                      ${array(batch.map((d) => iso(d.windowStart)))}::timestamptz[],
                      ${array(batch.map((d) => iso(d.windowEnd)))}::timestamptz[],
                      ${array(batch.map((d) => d.value))}::numeric[],
                      ${array(batch.map((d) => iso(d.latestAt)))}::timestamptz[])
               AS t(env, customer_id, feature_key, scope_key, window_start, window_end, used, latest_at)
          ON CONFLICT ON CONSTRAINT usage_counters_pk DO UPDATE SET ${MERGE[op]}, updated_at = excluded.updated_at
          RETURNING env, customer_id, feature_key, scope_key, window_start, window_end, used`,
    );
    for (const r of result) {
      after.push({
        env: r.env as Env,
        customerId: r.customer_id as string,
        feature: r.feature_key as string,
        scopeKey: r.scope_key as string,
        windowStart: new Date(r.window_start as string),
        windowEnd: r.window_end === null ? null : new Date(r.window_end as string),
        used: Number(r.used),
      });
    }
  }
  return after;
}

/** Adds a batch to the hourly rollups. */
export async function applyHourly(db: Queryable, deltas: HourlyDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  await db.execute(
    sql`INSERT INTO usage_hourly (env, customer_id, feature_key, hour_start, quantity, events, max_quantity,
                                  first_seen, latest_quantity, latest_at)
        SELECT * FROM unnest(${array(deltas.map((d) => d.env))}::text[],
                             ${array(deltas.map((d) => d.customerId))}::text[],
                             ${array(deltas.map((d) => d.feature))}::text[],
                             ${array(deltas.map((d) => iso(d.hourStart)))}::timestamptz[],
                             ${array(deltas.map((d) => d.quantity))}::numeric[],
                             ${array(deltas.map((d) => d.events))}::integer[],
                             ${array(deltas.map((d) => d.maxQuantity))}::numeric[],
                             ${array(deltas.map((d) => d.firstSeen))}::integer[],
                             ${array(deltas.map((d) => d.latestQuantity))}::numeric[],
                             ${array(deltas.map((d) => iso(d.latestAt)))}::timestamptz[])
        ON CONFLICT ON CONSTRAINT usage_hourly_pk DO UPDATE SET
          quantity = usage_hourly.quantity + excluded.quantity,
          events = usage_hourly.events + excluded.events,
          max_quantity = GREATEST(usage_hourly.max_quantity, excluded.max_quantity),
          first_seen = usage_hourly.first_seen + excluded.first_seen,
          latest_quantity = CASE WHEN usage_hourly.latest_at IS NULL OR excluded.latest_at >= usage_hourly.latest_at
                                 THEN excluded.latest_quantity ELSE usage_hourly.latest_quantity END,
          latest_at = GREATEST(usage_hourly.latest_at, excluded.latest_at)`,
  );
}

/** Current values of the given counters, by `counterWindowId` (a counter not yet written is absent: 0). */
export async function readCounters(db: Queryable, keys: readonly CounterKey[]): Promise<Map<string, number>> {
  if (keys.length === 0) return new Map();
  const found = await rows(
    db,
    sql`SELECT c.env, c.customer_id, c.feature_key, c.scope_key, c.window_start, c.used FROM usage_counters c
        JOIN unnest(${array(keys.map((k) => k.env))}::text[],
                    ${array(keys.map((k) => k.customerId))}::text[],
                    ${array(keys.map((k) => k.feature))}::text[],
                    ${array(keys.map((k) => k.scopeKey))}::text[],
                    ${array(keys.map((k) => iso(k.windowStart)))}::timestamptz[])
             AS t(env, customer_id, feature_key, scope_key, window_start)
          USING (customer_id, env, feature_key, scope_key, window_start)`,
  );
  return new Map(
    found.map((r) => [
      counterWindowId({
        env: r.env as Env,
        customerId: r.customer_id as string,
        feature: r.feature_key as string,
        scopeKey: r.scope_key as string,
        windowStart: new Date(r.window_start as string),
      }),
      Number(r.used),
    ]),
  );
}
