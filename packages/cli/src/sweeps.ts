import type { Engine } from "@tollgate/engine";
import type { Logger } from "pino";

/** How often `serve` gives back the units of reservations past their TTL. */
const RESERVATION_SWEEP_MS = 5_000;

/**
 * The periodic work `serve` runs in process until the scheduler lands: expiring reservations.
 * Each run is idempotent (rows are claimed by a conditional update), so several servers may
 * sweep at once. Answers a function that stops the sweeps.
 */
export function startSweeps(engine: Engine, logger: Logger): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const moved = await engine.usage.expireReservations();
      if (moved > 0) logger.info({ counters: moved }, "expired reservations given back");
    } catch (error) {
      logger.error({ err: error }, "reservation sweep failed");
    } finally {
      running = false;
    }
  }, RESERVATION_SWEEP_MS);
  timer.unref();
  return () => clearInterval(timer);
}
