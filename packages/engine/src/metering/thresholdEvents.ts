import { thresholdsReached } from "@tollgate/core";
import type { Queryable } from "@tollgate/store";
import { sql } from "drizzle-orm";
import { type CounterDelta, counterWindowId } from "./usageDeltas";
import type { CounterValue } from "./usageWrites";

/** Past this many, the keys remembered are forgotten (and asked for again, once each). */
const REMEMBERED = 100_000;

/**
 * The threshold events this process knows are in the outbox (by environment, customer and event
 * key, the outbox's own key): a counter past a threshold reaches it again on every write, and
 * asking the outbox each time, to be told it fired already, would cost every such batch a
 * statement.
 */
export class FiredThresholds {
  readonly #keys = new Set<string>();

  has(key: string): boolean {
    return this.#keys.has(key);
  }

  /** Call once the transaction that fired (or found) them has committed. */
  remember(keys: readonly string[]): void {
    if (this.#keys.size + keys.length > REMEMBERED) this.#keys.clear();
    for (const key of keys) this.#keys.add(key);
  }
}

/**
 * Writes a `quota_threshold_reached` event to the outbox for every threshold the counters now
 * reach, in the caller's transaction, but those `known` to be there already. The event key names
 * the counter window and threshold, so each fires once per window however many writers cross
 * it. Answers the thresholds reached, as `known` names them: once the caller's transaction
 * commits, every one of them is in the outbox, and the caller hands them to `known.remember`.
 */
export async function fireThresholds(
  db: Queryable,
  deltas: readonly CounterDelta[],
  after: readonly CounterValue[],
  at: Date,
  known: FiredThresholds,
): Promise<string[]> {
  const reached: string[] = [];
  const rows: { customerId: string; env: string; key: string; payload: string }[] = [];
  const limited = new Map(deltas.filter((d) => d.limit !== null).map((d) => [counterWindowId(d), d]));
  for (const value of after) {
    const delta = limited.get(counterWindowId(value));
    if (!delta) continue;
    for (const threshold of thresholdsReached(delta.limit, delta.thresholds, value.used)) {
      const window = value.windowStart.toISOString();
      const key = `quota_threshold_reached:${value.feature}:${value.scopeKey}:${window}:${threshold}`;
      const remembered = `${value.env}\u0000${value.customerId}\u0000${key}`;
      reached.push(remembered);
      if (known.has(remembered)) continue;
      rows.push({
        customerId: value.customerId,
        env: value.env,
        key,
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
  if (rows.length === 0) return reached;
  await db.execute(sql`
    INSERT INTO outbox (customer_id, env, event_key, type, payload, created_at)
    SELECT customer_id, env, event_key, 'quota_threshold_reached', payload, ${at.toISOString()}::timestamptz
    FROM unnest(${sql.param(rows.map((r) => r.customerId))}::text[], ${sql.param(rows.map((r) => r.env))}::text[],
                ${sql.param(rows.map((r) => r.key))}::text[], ${sql.param(rows.map((r) => r.payload))}::jsonb[])
         AS t(customer_id, env, event_key, payload)
    ON CONFLICT ON CONSTRAINT outbox_pk DO NOTHING`);
  return reached;
}
