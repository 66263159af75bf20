import { type Queryable, tables } from "@tollgate/store";
import { and, eq, gt, isNull, lte, or } from "drizzle-orm";
import type { CustomerRef } from "../context";
import type { EntitlementCache } from "../entitlements/entitlementCache";
import type { CounterValue } from "./usageWrites";

/** A usage counter as the cache holds it: the window it counts and what was used in it. */
export interface CounterState {
  windowStart: number;
  windowEnd: number | null;
  used: number;
}

/** Counters by feature (whole customer) or feature + workspace; no string is built for the first. */
export type Counters = Map<string, CounterState>;

/**
 * The counters of every customer with no usage in its current windows: one shared, empty map,
 * so ten thousand idle customers cost no memory and a check stays in the CPU cache. Never
 * written: `writableCounters` swaps in a map of the entry's own first.
 */
export const NO_COUNTERS: Counters = new Map();

export function writableCounters(entry: { counters: Counters }): Counters {
  if (entry.counters === NO_COUNTERS) entry.counters = new Map();
  return entry.counters;
}

export const counterKey = (feature: string, scopeKey: string): string =>
  scopeKey === "" ? feature : `${feature}\u0000${scopeKey}`;

/** What is used of a feature in the window containing `nowMs`: 0 once its window has ended. */
export function usedNow(counters: Counters, feature: string, scopeKey: string, nowMs: number): number {
  const counter = counters.get(scopeKey === "" ? feature : counterKey(feature, scopeKey));
  if (!counter || counter.windowStart > nowMs) return 0;
  return counter.windowEnd === null || nowMs < counter.windowEnd ? counter.used : 0;
}

/** Keeps the newest window of each counter: a later window replaces an ended one. */
export function rememberCounter(counters: Counters, key: string, state: CounterState): void {
  const held = counters.get(key);
  if (!held || held.windowStart <= state.windowStart) counters.set(key, state);
}

/** The counters whose window contains `at`. */
export async function loadCounters(db: Queryable, ref: CustomerRef, at: Date): Promise<Counters> {
  const c = tables.usageCounters;
  const rows = await db
    .select({
      featureKey: c.featureKey,
      scopeKey: c.scopeKey,
      windowStart: c.windowStart,
      windowEnd: c.windowEnd,
      used: c.used,
    })
    .from(c)
    .where(
      and(
        eq(c.customerId, ref.customerId),
        eq(c.env, ref.env),
        lte(c.windowStart, at),
        or(isNull(c.windowEnd), gt(c.windowEnd, at)),
      ),
    );
  if (rows.length === 0) return NO_COUNTERS;
  const counters: Counters = new Map();
  for (const row of rows) {
    rememberCounter(counters, counterKey(row.featureKey, row.scopeKey), {
      windowStart: row.windowStart.getTime(),
      windowEnd: row.windowEnd?.getTime() ?? null,
      used: row.used,
    });
  }
  return counters;
}

/** Puts counter values just written into the cached entries of their customers, if cached. */
export function cacheCounterValues(cache: EntitlementCache, values: readonly CounterValue[]): void {
  for (const value of values) {
    const entry = cache.peek(value);
    if (!entry) continue;
    rememberCounter(writableCounters(entry), counterKey(value.feature, value.scopeKey), {
      windowStart: value.windowStart.getTime(),
      windowEnd: value.windowEnd?.getTime() ?? null,
      used: value.used,
    });
  }
}
