import type { Decision } from "@tollgate/core";
import type { Queryable } from "@tollgate/store";
import { sql } from "drizzle-orm";
import type { CustomerRef } from "../context";

/** The decisions support must be able to find later: a refusal, a throttle, a billed overage. */
export const LOGGED_REASONS: ReadonlySet<Decision["reason"]> = new Set([
  "limit_exceeded",
  "throttled",
  "overage",
]);

/** Appends the decisions worth keeping to the enforcement log, in the caller's transaction. */
export async function logDecisions(
  db: Queryable,
  entries: readonly { ref: CustomerRef; eventId: string; decision: Decision }[],
  at: Date,
): Promise<void> {
  const kept = entries.filter((e) => LOGGED_REASONS.has(e.decision.reason));
  if (kept.length === 0) return;
  await db.execute(sql`
    INSERT INTO enforcement_log (customer_id, env, at, feature, event_id, reason, decision)
    SELECT customer_id, env, ${at.toISOString()}::timestamptz, feature, event_id, reason, decision
    FROM unnest(${sql.param(kept.map((e) => e.ref.customerId))}::text[], ${sql.param(kept.map((e) => e.ref.env))}::text[],
                ${sql.param(kept.map((e) => e.decision.feature))}::text[], ${sql.param(kept.map((e) => e.eventId))}::text[],
                ${sql.param(kept.map((e) => e.decision.reason))}::text[],
                ${sql.param(kept.map((e) => JSON.stringify(e.decision)))}::jsonb[])
         AS t(customer_id, env, feature, event_id, reason, decision)`);
}
