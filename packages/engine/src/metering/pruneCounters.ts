import { sql } from "drizzle-orm";
import type { EngineDeps } from "../context";
import { throttleScope } from "./throttleCounter";

/** Closed windows are kept this long past the late window, for support and late corrections. */
const KEEP_AFTER_LATE_WINDOW_MS = 7 * 86_400_000;
/** A throttle's minute counters matter only during their minute. */
const KEEP_THROTTLE_MS = 3_600_000;

/**
 * Deletes enforcement counters nobody reads any more: windows that closed longer ago than the
 * late window (plus a week), and throttle minute counters older than an hour. Events and hourly
 * rollups, the records usage is billed from, are never touched. Answers how many rows went.
 */
export async function pruneCounters(deps: EngineDeps): Promise<number> {
  const now = deps.clock().getTime();
  const late = Math.max(...Object.values(deps.config.lateWindowMs));
  const closedBefore = new Date(now - late - KEEP_AFTER_LATE_WINDOW_MS).toISOString();
  const throttleBefore = new Date(now - KEEP_THROTTLE_MS).toISOString();
  const throttlePrefix = `${throttleScope("")}%`;
  const result = (await deps.db.execute(sql`
    DELETE FROM usage_counters
    WHERE window_end IS NOT NULL
      AND (window_end < ${closedBefore}::timestamptz
           OR (scope_key LIKE ${throttlePrefix} AND window_end < ${throttleBefore}::timestamptz))
    RETURNING 1`)) as unknown as { rows: unknown[] };
  return result.rows.length;
}
