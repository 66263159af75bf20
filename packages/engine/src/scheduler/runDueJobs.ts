import type { EngineDeps } from "../context";
import { claimDueJobs, failJob, finishJob, type Job } from "./jobs";

/** What a job of one kind does. It must be idempotent: a job may run again after a crash. */
export type JobHandler = (deps: EngineDeps, job: Job) => Promise<void>;

export interface RunSummary {
  ran: number;
  retried: number;
  failed: number;
  /** Jobs whose kind no handler knows (left failed, with the reason). */
  unknown: number;
}

const LEASE_MS = 60_000;
const MAX_ATTEMPTS = 8;

/**
 * Runs the jobs due now, in batches of `limit`, until none is due. Each job runs in its own
 * transaction(s); a failure is retried later with backoff and never blocks the others.
 */
export async function runDueJobs(
  deps: EngineDeps,
  handlers: Readonly<Record<string, JobHandler>>,
  limit = 50,
): Promise<RunSummary> {
  const summary: RunSummary = { ran: 0, retried: 0, failed: 0, unknown: 0 };
  for (;;) {
    const jobs = await claimDueJobs(deps.db, deps.clock(), limit, LEASE_MS);
    if (jobs.length === 0) return summary;
    for (const job of jobs) {
      const handler = handlers[job.kind];
      if (!handler) {
        await failJob(deps.db, job, new Error(`no handler for jobs of kind "${job.kind}"`), deps.clock(), 0);
        summary.unknown += 1;
        continue;
      }
      try {
        await handler(deps, job);
        await finishJob(deps.db, job, deps.clock());
        summary.ran += 1;
      } catch (error) {
        const outcome = await failJob(deps.db, job, error, deps.clock(), MAX_ATTEMPTS);
        if (outcome === "failed") summary.failed += 1;
        else summary.retried += 1;
      }
    }
    if (jobs.length < limit) return summary;
  }
}
