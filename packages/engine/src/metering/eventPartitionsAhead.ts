import { addMonthsClamped } from "@tollgate/core";
import { ensureEventPartitions } from "@tollgate/store";
import type { EngineDeps } from "../context";

/**
 * Makes this month's and next month's usage event partitions (the scheduler runs it hourly), so
 * the first event of a month is not the one that makes its partition: making one locks
 * `usage_events` whole until it is made, and every write in flight waits for it.
 */
export async function makeEventPartitionsAhead(deps: EngineDeps): Promise<void> {
  const now = deps.clock();
  await ensureEventPartitions(deps.db, [now, addMonthsClamped(now, 1)]);
}
