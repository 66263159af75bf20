import { type Queryable, tables } from "@tollgate/store";
import { and, eq, sql } from "drizzle-orm";
import type { CustomerRef, Env } from "../context";

export interface JobInput {
  /** Names the job: enqueueing the same key again does nothing. */
  key: string;
  kind: string;
  runAt: Date;
  customerId?: string;
  env?: Env;
  payload?: Record<string, unknown>;
}

export interface Job {
  key: string;
  kind: string;
  customerId: string | null;
  env: Env | null;
  payload: Record<string, unknown>;
  runAt: Date;
  attempts: number;
}

const j = tables.jobs;

/** Enqueues a job in the caller's transaction, so the job exists exactly when the change that needs it does. */
export async function enqueueJob(tx: Queryable, job: JobInput): Promise<void> {
  await tx
    .insert(j)
    .values({
      key: job.key,
      kind: job.kind,
      customerId: job.customerId ?? null,
      env: job.env ?? null,
      payload: job.payload ?? {},
      runAt: job.runAt,
      status: "pending",
    })
    .onConflictDoNothing();
}

/**
 * Claims up to `limit` due jobs for `leaseMs`: pending ones whose time has come and running ones
 * whose worker's lease ran out (it died). `SKIP LOCKED` lets several workers claim at once
 * without waiting on each other or taking the same job.
 */
export async function claimDueJobs(db: Queryable, now: Date, limit: number, leaseMs: number): Promise<Job[]> {
  const at = now.toISOString();
  const result = (await db.execute(sql`
    UPDATE jobs SET status = 'running', attempts = attempts + 1,
                    locked_until = ${new Date(now.getTime() + leaseMs).toISOString()}::timestamptz
    WHERE key IN (
      SELECT key FROM jobs
      WHERE (status = 'pending' AND run_at <= ${at}::timestamptz)
         OR (status = 'running' AND locked_until <= ${at}::timestamptz)
      ORDER BY run_at
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING key, kind, customer_id, env, payload, run_at, attempts`)) as unknown as {
    rows: Record<string, unknown>[];
  };
  return result.rows.map((r) => ({
    key: r.key as string,
    kind: r.kind as string,
    customerId: (r.customer_id as string | null) ?? null,
    env: (r.env as Env | null) ?? null,
    payload: (r.payload as Record<string, unknown>) ?? {},
    runAt: new Date(r.run_at as string),
    attempts: Number(r.attempts),
  }));
}

/** Marks a claimed job done, unless its lease was lost to another worker meanwhile. */
export async function finishJob(db: Queryable, job: Job, now: Date): Promise<void> {
  await db
    .update(j)
    .set({ status: "done", finishedAt: now, lockedUntil: null, lastError: null })
    .where(and(eq(j.key, job.key), eq(j.attempts, job.attempts), eq(j.status, "running")));
}

/** After a failure: retried later with exponential backoff, or given up after `maxAttempts`. */
export async function failJob(
  db: Queryable,
  job: Job,
  error: unknown,
  now: Date,
  maxAttempts: number,
): Promise<"retry" | "failed"> {
  const failed = job.attempts >= maxAttempts;
  const backoffMs = Math.min(3_600_000, 1_000 * 2 ** (job.attempts - 1));
  await db
    .update(j)
    .set({
      status: failed ? "failed" : "pending",
      runAt: failed ? job.runAt : new Date(now.getTime() + backoffMs),
      lockedUntil: null,
      lastError: error instanceof Error ? error.message : String(error),
      finishedAt: failed ? now : null,
    })
    .where(and(eq(j.key, job.key), eq(j.attempts, job.attempts), eq(j.status, "running")));
  return failed ? "failed" : "retry";
}

/** The customer a job is for; a job of a kind that needs one and names none is a bug. */
export function jobCustomer(job: Job): CustomerRef {
  if (!job.customerId || !job.env) throw new Error(`${job.kind} job ${job.key} lacks its customer`);
  return { customerId: job.customerId, env: job.env };
}
