import { sql } from "drizzle-orm";
import type { Db } from "./database";

/**
 * Usage events live in one partition a UTC month (`usage_events_YYYY_MM`). A write makes sure
 * the months of its events have theirs before its transaction opens: making a partition locks
 * the whole table until commit, so it must never happen inside a write's transaction, and an
 * event with no partition for its month cannot be stored. Each month is asked for once a
 * process (the database answers the rest of the time from the set below).
 */
const made = new WeakMap<Db, Set<number>>();

const monthStart = (at: Date) => Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1);

/** Makes the partitions of the months holding `instants` that this process has not seen made. */
export async function ensureEventPartitions(db: Db, instants: Iterable<Date>): Promise<void> {
  let known = made.get(db);
  if (!known) {
    known = new Set();
    made.set(db, known);
  }
  const missing = new Set<number>();
  for (const at of instants) {
    const month = monthStart(at);
    if (!known.has(month)) missing.add(month);
  }
  for (const month of missing) {
    await db.execute(sql`SELECT usage_events_partition(${new Date(month).toISOString()}::timestamptz)`);
    known.add(month);
  }
}
