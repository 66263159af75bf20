import { type Queryable, tables } from "@tollgate/store";
import { and, eq, sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import type { EngineDeps } from "../context";
import { messageId } from "./endpoints";

const MAX_ATTEMPTS = 8;
const TIMEOUT_MS = 10_000;
/** While a delivery is in flight, other workers leave it alone this long. */
const LEASE_MS = 60_000;

/** Retry n (1-based) waits 30 s × 2^(n−1), at most 6 hours: 30 s, 1 min, 2 min … about 1 h 4 min. */
export const retryDelayMs = (attempts: number) => Math.min(6 * 3_600_000, 30_000 * 2 ** (attempts - 1));

export interface DeliverySummary {
  dispatched: number;
  delivered: number;
  retrying: number;
  failed: number;
}

/**
 * One pass of webhook delivery: every outbox event not yet dispatched becomes a delivery per
 * enabled endpoint of its environment that takes its type; then every delivery due is sent,
 * signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature). A 2xx
 * answer delivers it; anything else (or no answer in 10 s) retries with backoff, up to 8
 * attempts. Each attempt is logged. Safe in several workers at once (`SKIP LOCKED`, leases).
 */
export async function deliverWebhooks(deps: EngineDeps): Promise<DeliverySummary> {
  const dispatched = await dispatchOutbox(deps.db, deps.clock());
  const summary: DeliverySummary = { dispatched, delivered: 0, retrying: 0, failed: 0 };
  for (;;) {
    const due = await claimDue(deps.db, deps.clock());
    if (due.length === 0) return summary;
    const outcomes = await Promise.all(due.map((delivery) => send(deps, delivery)));
    for (const outcome of outcomes) summary[outcome] += 1;
  }
}

/** Fans undispatched outbox events out to deliveries; answers how many events it dispatched. */
async function dispatchOutbox(db: Queryable, now: Date): Promise<number> {
  const at = now.toISOString();
  const result = (await db.execute(sql`
    WITH batch AS (
      SELECT seq, customer_id, env, type FROM outbox
      WHERE delivered_at IS NULL ORDER BY seq LIMIT 500 FOR UPDATE SKIP LOCKED),
    fanned AS (
      INSERT INTO webhook_deliveries (endpoint_id, event_seq, customer_id, env, type, status, next_attempt_at)
      SELECT e.id, b.seq, b.customer_id, b.env, b.type, 'pending', ${at}::timestamptz
      FROM batch b JOIN webhook_endpoints e
        ON e.env = b.env AND e.enabled AND (cardinality(e.event_types) = 0 OR b.type = ANY(e.event_types))
      ON CONFLICT ON CONSTRAINT webhook_deliveries_pk DO NOTHING)
    UPDATE outbox o SET delivered_at = ${at}::timestamptz
    FROM batch WHERE o.customer_id = batch.customer_id AND o.env = batch.env AND o.seq = batch.seq
    RETURNING o.seq`)) as unknown as { rows: unknown[] };
  return result.rows.length;
}

interface Due {
  endpointId: string;
  eventSeq: number;
  attempts: number;
}

async function claimDue(db: Queryable, now: Date): Promise<Due[]> {
  const result = (await db.execute(sql`
    UPDATE webhook_deliveries d
    SET attempts = d.attempts + 1,
        next_attempt_at = ${new Date(now.getTime() + LEASE_MS).toISOString()}::timestamptz
    FROM (SELECT endpoint_id, event_seq FROM webhook_deliveries
          WHERE status = 'pending' AND next_attempt_at <= ${now.toISOString()}::timestamptz
          ORDER BY next_attempt_at, event_seq LIMIT 50 FOR UPDATE SKIP LOCKED) due
    WHERE d.endpoint_id = due.endpoint_id AND d.event_seq = due.event_seq
    RETURNING d.endpoint_id, d.event_seq, d.attempts`)) as unknown as { rows: Record<string, unknown>[] };
  return result.rows.map((r) => ({
    endpointId: r.endpoint_id as string,
    eventSeq: Number(r.event_seq),
    attempts: Number(r.attempts),
  }));
}

async function send(deps: EngineDeps, due: Due): Promise<"delivered" | "retrying" | "failed"> {
  const { db } = deps;
  const [endpoint] = await db
    .select()
    .from(tables.webhookEndpoints)
    .where(eq(tables.webhookEndpoints.id, due.endpointId));
  const [event] = await db.select().from(tables.outbox).where(eq(tables.outbox.seq, due.eventSeq));
  let status: number | null = null;
  let error: string | null = null;
  const started = performance.now();
  if (!endpoint?.enabled || !event) {
    error = endpoint ? "endpoint disabled" : "endpoint or event gone";
  } else {
    const body = JSON.stringify({
      type: event.type,
      timestamp: event.createdAt.toISOString(),
      data: event.payload,
    });
    const id = messageId(due.eventSeq);
    // The signature's timestamp is the real time of sending: receivers check it against theirs.
    const sentAt = new Date();
    try {
      const response = await fetch(endpoint.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "webhook-id": id,
          "webhook-timestamp": String(Math.floor(sentAt.getTime() / 1000)),
          "webhook-signature": new Webhook(endpoint.secret).sign(id, sentAt, body),
          "user-agent": "Tollgate-Webhooks/1",
        },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
        redirect: "manual",
      });
      status = response.status;
      await response.body?.cancel();
      if (!response.ok) error = `answered ${response.status}`;
    } catch (caught) {
      error = caught instanceof Error ? caught.message : String(caught);
    }
  }
  const now = deps.clock();
  const outcome =
    error === null ? "delivered" : due.attempts >= MAX_ATTEMPTS || !endpoint?.enabled ? "failed" : "retrying";
  const d = tables.webhookDeliveries;
  await db.transaction(async (tx) => {
    await tx.insert(tables.webhookAttempts).values({
      endpointId: due.endpointId,
      eventSeq: due.eventSeq,
      attempt: due.attempts,
      at: now,
      status,
      error,
      durationMs: Math.round(performance.now() - started),
    });
    await tx
      .update(d)
      .set({
        status: outcome === "retrying" ? "pending" : outcome,
        lastStatus: status,
        lastError: error,
        deliveredAt: outcome === "delivered" ? now : null,
        nextAttemptAt: new Date(now.getTime() + (outcome === "retrying" ? retryDelayMs(due.attempts) : 0)),
      })
      .where(
        and(eq(d.endpointId, due.endpointId), eq(d.eventSeq, due.eventSeq), eq(d.attempts, due.attempts)),
      );
  });
  return outcome;
}
