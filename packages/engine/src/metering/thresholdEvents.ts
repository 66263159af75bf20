import { thresholdsReached } from "@tollgate/core";
import type { Queryable } from "@tollgate/store";
import { sql } from "drizzle-orm";
import { type CounterDelta, counterWindowId } from "./usageDeltas";
import type { CounterValue } from "./usageWrites";

/**
 * Writes a `quota_threshold_reached` event to the outbox for every threshold the counters now
 * reach, in the caller's transaction. The event key names the counter window and threshold, so
 * each fires once per window however many writers cross it; answers the keys that fired now.
 */
export async function fireThresholds(
  db: Queryable,
  deltas: readonly CounterDelta[],
  after: readonly CounterValue[],
  at: Date,
): Promise<string[]> {
  const rows: { customerId: string; env: string; key: string; payload: string }[] = [];
  const limited = new Map(deltas.filter((d) => d.limit !== null).map((d) => [counterWindowId(d), d]));
  for (const value of after) {
    const delta = limited.get(counterWindowId(value));
    if (!delta) continue;
    for (const threshold of thresholdsReached(delta.limit, delta.thresholds, value.used)) {
      const window = value.windowStart.toISOString();
      rows.push({
        customerId: value.customerId,
        env: value.env,
        key: `quota_threshold_reached:${value.feature}:${value.scopeKey}:${window}:${threshold}`,
        payload: JSON.stringify({
          type: "quota_threshold_reached",
          customerId: value.customerId,
          env: value.env,
          feature: value.feature,
          workspaceId: value.scopeKey === "" ? null : value.scopeKey,
          threshold,
          limit: delta.limit,
          used: value.used,
          windowStart: window,
          windowEnd: value.windowEnd?.toISOString() ?? null,
          at: at.toISOString(),
        }),
      });
    }
  }
  if (rows.length === 0) return [];
  const result = (await db.execute(sql`
    INSERT INTO outbox (customer_id, env, event_key, type, payload, created_at)
    SELECT customer_id, env, event_key, 'quota_threshold_reached', payload, ${at.toISOString()}::timestamptz
    FROM unnest(${sql.param(rows.map((r) => r.customerId))}::text[], ${sql.param(rows.map((r) => r.env))}::text[],
                ${sql.param(rows.map((r) => r.key))}::text[], ${sql.param(rows.map((r) => r.payload))}::jsonb[])
         AS t(customer_id, env, event_key, payload)
    ON CONFLICT ON CONSTRAINT outbox_pk DO NOTHING
    RETURNING event_key`)) as unknown as { rows: { event_key: string }[] };
  return result.rows.map((r) => r.event_key);
}
