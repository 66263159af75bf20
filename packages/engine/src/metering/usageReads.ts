import { addQuantities } from "@tollgate/core";
import { type Queryable, type Row, run, type Statement } from "@tollgate/store";
import { sql } from "drizzle-orm";
import type { CustomerRef, Env } from "../context";
import { columns, iso, type Part, part, partsStatement } from "./batchSql";
import { type CounterDelta, type CounterKey, counterKeyColumns, counterWindowId } from "./usageDeltas";
import { eventKey, toCounterValue, toUniqueValue, type UniqueValueRow, uniqueKey } from "./usageWrites";

export interface UsageQuery {
  /** The customers whose overdue holds expire first (every customer: the periodic sweep). */
  expireHeld?: readonly CustomerRef[] | "everyone";
  events?: readonly { env: Env; customerId: string; eventId: string }[];
  counters?: readonly CounterKey[];
  uniqueValues?: readonly Omit<UniqueValueRow, "eventId">[];
}

export interface UsageStanding {
  /** The `eventKey`s already recorded. */
  existing: Set<string>;
  /** Counter values by `counterWindowId`, net of the holds just expired (absent: 0). */
  used: Map<string, number>;
  /** The `uniqueKey`s already counted. */
  counted: Set<string>;
  /**
   * The units the holds just expired give back, one delta a counter: the caller's transaction
   * must write them (`writeUsage`), as the reservations are expired in it.
   */
  freed: CounterDelta[];
}

/**
 * What a batch must know before deciding, read in one statement: which of its event ids and
 * unique values are already recorded and what its counters hold once the held reservations past
 * their TTL give their units back. Called under the customers' row locks, taken by an earlier
 * statement (in READ COMMITTED a statement sees what committed before it began, and a lock wait
 * inside a statement would leave its reads stale).
 */
export const readUsage = (db: Queryable, at: Date, query: UsageQuery): Promise<UsageStanding> =>
  run(db, usageRead(at, query));

/** `readUsage`'s statement, for a caller that sends it itself. */
export function usageRead(at: Date, query: UsageQuery): Statement<UsageStanding> {
  const { expireHeld = [], events = [], counters = [], uniqueValues = [] } = query;
  const parts: Part[] = [];
  if (expireHeld === "everyone" || expireHeld.length > 0) parts.push(expireHolds(expireHeld, at));
  if (events.length > 0) parts.push(existingEvents(events));
  if (counters.length > 0) parts.push(readCounters(counters));
  if (uniqueValues.length > 0) parts.push(countedValues(uniqueValues));
  const statement = partsStatement(parts);
  return { query: statement.query, answer: (rows) => standing(statement.answer(rows)) };
}

function standing(read: Record<string, Row[]>): UsageStanding {
  const freed = givenBack(read.expired ?? []);
  const used = new Map(
    (read.counters ?? []).map((r) => [counterWindowId(toCounterValue(r)), Number(r.used)]),
  );
  for (const d of freed) {
    const before = used.get(counterWindowId(d));
    if (before !== undefined) used.set(counterWindowId(d), addQuantities(before, d.value));
  }
  return {
    existing: new Set(
      (read.existing ?? []).map((r) => eventKey(r.env as Env, r.customer_id as string, r.event_id as string)),
    ),
    used,
    counted: new Set((read.counted ?? []).map((r) => uniqueKey(toUniqueValue(r)))),
    freed,
  };
}

/**
 * Claims the overdue holds (`WHERE status = 'held'` makes each settle once, whoever gets there
 * first) of the customers given, or of everyone.
 */
function expireHolds(refs: readonly CustomerRef[] | "everyone", at: Date): Part {
  const returning = sql`RETURNING r.env, r.customer_id, r.feature_key, r.scope_key, r.window_start, r.window_end,
                                  r.quantity`;
  if (refs === "everyone") {
    return part(
      "expired",
      true,
      [iso(at)],
      (now) => sql`UPDATE reservations r SET status = 'expired', settled_at = ${now}::timestamptz
                   WHERE r.status = 'held' AND r.expires_at <= ${now}::timestamptz ${returning}`,
      "everyone",
    );
  }
  return part(
    "expired",
    true,
    [
      iso(at),
      ...columns(
        refs,
        (r) => r.customerId,
        (r) => r.env,
      ),
    ],
    (now, customerIds, envs) =>
      sql`UPDATE reservations r SET status = 'expired', settled_at = ${now}::timestamptz
          FROM unnest(${customerIds}::text[], ${envs}::text[]) AS t(customer_id, env)
          WHERE r.customer_id = t.customer_id AND r.env = t.env
            AND r.status = 'held' AND r.expires_at <= ${now}::timestamptz ${returning}`,
  );
}

/** What expired holds give back: one delta a counter (a statement may not update a row twice). */
function givenBack(expired: readonly Row[]): CounterDelta[] {
  const byCounter = new Map<string, CounterDelta>();
  for (const row of expired) {
    const { used: _, ...counter } = toCounterValue(row);
    const id = counterWindowId(counter);
    const quantity = Number(row.quantity);
    const held = byCounter.get(id);
    if (held) held.value = addQuantities(held.value, -quantity);
    else
      byCounter.set(id, {
        ...counter,
        op: "add",
        value: -quantity,
        latestAt: null,
        limit: null,
        thresholds: [],
      });
  }
  return [...byCounter.values()];
}

// Each key is probed on its own (LATERAL … LIMIT 1, which the planner cannot turn into a join):
// joined as a set, a table still small when the plan was made (a new installation's first
// minutes, or the generic plan of a prepared statement) is hash-joined by a full scan, which
// grows with every event until the table is analysed.
const existingEvents = (events: NonNullable<UsageQuery["events"]>) =>
  part(
    "existing",
    true,
    columns(
      events,
      (e) => e.env,
      (e) => e.customerId,
      (e) => e.eventId,
    ),
    (envs, customerIds, eventIds) =>
      sql`SELECT u.env, u.customer_id, u.event_id
          FROM unnest(${envs}::text[], ${customerIds}::text[], ${eventIds}::text[]) AS t(env, customer_id, event_id),
          LATERAL (SELECT u.env, u.customer_id, u.event_id FROM usage_event_ids u
                   WHERE u.customer_id = t.customer_id AND u.env = t.env AND u.event_id = t.event_id
                   LIMIT 1) u`,
  );

const readCounters = (keys: readonly CounterKey[]) =>
  part(
    "counters",
    true,
    columns(keys, ...counterKeyColumns),
    (envs, customerIds, features, scopeKeys, windowStarts) =>
      sql`SELECT c.env, c.customer_id, c.feature_key, c.scope_key, c.window_start, c.window_end, c.used
          FROM unnest(${envs}::text[], ${customerIds}::text[], ${features}::text[], ${scopeKeys}::text[],
                      ${windowStarts}::timestamptz[]) AS t(env, customer_id, feature_key, scope_key, window_start),
          LATERAL (SELECT c.env, c.customer_id, c.feature_key, c.scope_key, c.window_start, c.window_end, c.used
                   FROM usage_counters c
                   WHERE c.customer_id = t.customer_id AND c.env = t.env AND c.feature_key = t.feature_key
                     AND c.scope_key = t.scope_key AND c.window_start = t.window_start
                   LIMIT 1) c`,
  );

const countedValues = (values: NonNullable<UsageQuery["uniqueValues"]>) =>
  part(
    "counted",
    true,
    columns(values, ...counterKeyColumns, (v) => v.value),
    (envs, customerIds, features, scopeKeys, windowStarts, uniqueValues) =>
      sql`SELECT u.env, u.customer_id, u.feature_key, u.scope_key, u.window_start, u.value
          FROM unnest(${envs}::text[], ${customerIds}::text[], ${features}::text[], ${scopeKeys}::text[],
                      ${windowStarts}::timestamptz[], ${uniqueValues}::text[])
               AS t(env, customer_id, feature_key, scope_key, window_start, value),
          LATERAL (SELECT u.env, u.customer_id, u.feature_key, u.scope_key, u.window_start, u.value
                   FROM usage_unique_values u
                   WHERE u.env = t.env AND u.customer_id = t.customer_id AND u.feature_key = t.feature_key
                     AND u.scope_key = t.scope_key AND u.window_start = t.window_start AND u.value = t.value
                   LIMIT 1) u`,
  );
