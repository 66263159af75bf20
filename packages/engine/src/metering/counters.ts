import { type Window, windowEndMs, windowStartMs } from "@tollgate/core";
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

/**
 * Counters by feature (whole customer) or feature + workspace; no string is built for the
 * first. A feature usually has one current window; after a plan change that moves it to another
 * kind of window (a month to a day), both current windows are held, and a check reads the one
 * its entitlement counts in.
 */
export type Counters = Map<string, CounterState[]>;

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

/**
 * What is used of a feature in the window [`startMs`, `endMs`) (its entitlement's window
 * containing `nowMs`): 0 if no counter counts that window, or once it has ended.
 */
export function usedNow(
  counters: Counters,
  feature: string,
  scopeKey: string,
  nowMs: number,
  startMs: number,
  endMs: number | null,
): number {
  const held = counters.get(scopeKey === "" ? feature : counterKey(feature, scopeKey));
  if (!held || (endMs !== null && nowMs >= endMs)) return 0;
  for (const counter of held) {
    if (counter.windowStart === startMs && counter.windowEnd === endMs) return counter.used;
  }
  return 0;
}

/**
 * What was used of a feature (whole customer, or a workspace's `scopeKey`) in its entitlement's
 * `window` containing `atMs`.
 */
export function usedInWindow(
  entry: { counters: Counters; periodStartMs: number | null; periodEndMs: number | null },
  feature: string,
  scopeKey: string,
  window: Window,
  atMs: number,
): number {
  return usedNow(
    entry.counters,
    feature,
    scopeKey,
    atMs,
    windowStartMs(window, atMs, entry.periodStartMs),
    windowEndMs(window, atMs, entry.periodEndMs),
  );
}

/** At most this many windows a counter (current ones of different kinds, a few just ended). */
const WINDOWS_HELD = 4;

/**
 * Holds a counter's newest value for its window. A window that ended before one held began (a
 * late event's) is not kept; one that ended before this one began is dropped (yesterday's,
 * once today's is written).
 */
export function rememberCounter(counters: Counters, key: string, state: CounterState): void {
  const held = counters.get(key);
  if (!held) {
    counters.set(key, [state]);
    return;
  }
  const { windowEnd } = state;
  if (windowEnd !== null && held.some((counter) => windowEnd <= counter.windowStart)) return;
  let kept = 0;
  let replaced = false;
  for (const counter of held) {
    if (counter.windowStart === state.windowStart && counter.windowEnd === state.windowEnd) {
      held[kept++] = state;
      replaced = true;
    } else if (counter.windowEnd === null || counter.windowEnd > state.windowStart) {
      held[kept++] = counter;
    }
  }
  held.length = kept;
  if (!replaced) held.push(state);
  if (held.length > WINDOWS_HELD) held.splice(0, held.length - WINDOWS_HELD);
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
