import type { Engine } from "@tollgate/engine";
import type { Logger } from "pino";

/** How often due jobs are looked for (trial expiry, …). */
const JOBS_EVERY_MS = 1_000;
/** How often enforcement counters of long-closed windows are deleted. */
const RETENTION_EVERY_MS = 3_600_000;
/** How often next month's usage event partition is made, if it is not yet. */
const PARTITIONS_EVERY_MS = 3_600_000;
/** How often ended billing periods are looked for and invoiced. */
const INVOICES_EVERY_MS = 60_000;
/** How often changes made by other processes are looked for, to drop what the cache holds of them. */
const CHANGES_EVERY_MS = 1_000;
/** How often the units of reservations past their TTL are given back. */
const RESERVATIONS_EVERY_MS = 5_000;

/**
 * The scheduler's loop, run in process by `serve` and on its own by `tollgate worker`: due jobs
 * and webhook deliveries every second, changes made by other processes followed every second
 * (so this process's cached entitlements follow them), expired reservations every five, and
 * hourly the closed counters pruned and next month's event partition made (also at start).
 * Every job and sweep is idempotent and claims its rows (`SKIP LOCKED`, conditional updates), so
 * any number of servers and workers may run it at once. Answers a function that stops the loop
 * and resolves once the work in progress is done.
 */
export function startBackgroundWork(engine: Engine, logger: Logger): () => Promise<void> {
  const jobs = every(JOBS_EVERY_MS, async () => {
    const summary = await engine.scheduler.runDue();
    if (summary.ran + summary.retried + summary.failed + summary.unknown > 0)
      logger.info(summary, "jobs run");
  });
  const webhooks = every(JOBS_EVERY_MS, async () => {
    const summary = await engine.webhooks.deliver();
    if (summary.dispatched + summary.delivered + summary.retrying + summary.failed > 0) {
      logger.info(summary, "webhooks");
    }
  });
  const reservations = every(RESERVATIONS_EVERY_MS, async () => {
    const moved = await engine.usage.expireReservations();
    if (moved > 0) logger.info({ counters: moved }, "expired reservations given back");
  });
  const invoices = every(INVOICES_EVERY_MS, async () => {
    const summary = await engine.invoices.finalizeDue();
    if (summary.created > 0) logger.info(summary, "billing periods closed");
  });
  const retention = every(RETENTION_EVERY_MS, async () => {
    const pruned = await engine.usage.pruneCounters();
    if (pruned > 0) logger.info({ counters: pruned }, "closed usage counters pruned");
  });
  // At start too: a process started in a month's last hour would otherwise not make the next.
  const partitions = every(PARTITIONS_EVERY_MS, () => engine.usage.makeEventPartitions(), { atStart: true });
  const changes = every(CHANGES_EVERY_MS, async () => {
    await engine.entitlements.followChanges();
  });
  const loops = [jobs, webhooks, reservations, invoices, retention, partitions, changes];
  return async () => {
    await Promise.all(loops.map((loop) => loop.stop()));
  };

  function every(ms: number, work: () => Promise<void>, { atStart = false } = {}) {
    let current: Promise<void> | null = null;
    const tick = () => {
      if (current) return;
      current = work()
        .catch((error: unknown) => logger.error({ err: error }, "background work failed"))
        .finally(() => {
          current = null;
        });
    };
    const timer = setInterval(tick, ms);
    if (atStart) tick();
    timer.unref();
    return {
      stop: async () => {
        clearInterval(timer);
        await current;
      },
    };
  }
}
