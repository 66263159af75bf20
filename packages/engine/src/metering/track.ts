import { fromZodError, TollgateError, UsageEventInput } from "@tollgate/core";
import { catalogFeatures } from "../catalog/catalogFeatures";
import type { CustomerRef, EngineDeps, Env } from "../context";
import { customerKey } from "../customers/loadCustomer";
import { EntitlementsAtEvent } from "./entitlementsAtEvent";
import { eventTime } from "./ingestEvents";
import { isRejection, type PlacedEvent, placeEvent } from "./placeEvent";
import { recordTracks, type TrackGroup, type TrackResult } from "./recordTracks";

export type { TrackResult } from "./recordTracks";

interface Pending {
  placed: PlacedEvent;
  resolve: (result: TrackResult) => void;
  reject: (error: unknown) => void;
}

interface Waiting {
  ref: CustomerRef;
  pending: Pending[];
}

/** At most this many tracks share a transaction. */
const MAX_BATCH = 500;

/**
 * Check-and-record, exact under concurrency, with group commit. Tracks wait in process and are
 * written in batches, one transaction each, that take the row locks of every customer in the
 * batch: the locks make each decision exact across processes, the batching makes a busy
 * process pay one transaction (three round trips, see recordTracks) per batch instead of per call.
 * A customer is in at most one running batch, so its tracks are decided in the order they
 * arrived; at most `config.trackBatches` batches run at once (one by default, and always on
 * PGlite, which has one connection). Under light load a batch is one track and goes at once;
 * under load, batches grow by themselves.
 */
export class TrackQueues {
  readonly #deps: EngineDeps;
  /** Customers with tracks not yet in a batch, in the order they first arrived. */
  readonly #waiting = new Map<string, Waiting>();
  /** Customers in a running batch. */
  readonly #busy = new Set<string>();
  #running = 0;

  constructor(deps: EngineDeps) {
    this.#deps = deps;
  }

  async track(env: Env, raw: unknown): Promise<TrackResult> {
    const parsed = UsageEventInput.safeParse(raw);
    if (!parsed.success) throw fromZodError(parsed.error);
    const input = parsed.data;
    const deps = this.#deps;
    const now = deps.clock();
    const ref = { env, customerId: input.customerId };
    const entitlements = await new EntitlementsAtEvent(deps, now).at(ref, eventTime(input.timestamp, now));
    const features = await catalogFeatures(deps);
    const placed = placeEvent(
      0,
      input,
      features.get(input.feature),
      entitlements,
      now,
      deps.config.lateWindowMs[env],
    );
    if (isRejection(placed)) {
      throw new TollgateError(
        placed.code === "unknown_feature" ? "not_found" : "invalid_request",
        placed.code,
        placed.message,
        placed.param === undefined ? {} : { param: placed.param },
      );
    }
    return new Promise<TrackResult>((resolve, reject) => {
      const key = customerKey(ref);
      const waiting = this.#waiting.get(key);
      if (waiting) waiting.pending.push({ placed, resolve, reject });
      else this.#waiting.set(key, { ref, pending: [{ placed, resolve, reject }] });
      this.#pump();
    });
  }

  /** Starts batches while there is room and waiting tracks of customers not already in one. */
  #pump(): void {
    while (this.#running < this.#deps.config.trackBatches) {
      const batch = this.#take();
      if (batch.length === 0) return;
      this.#running += 1;
      void this.#run(batch).finally(() => {
        this.#running -= 1;
        for (const { group } of batch) this.#busy.delete(customerKey(group.ref));
        this.#pump();
      });
    }
  }

  #take(): { group: TrackGroup; pending: Pending[] }[] {
    const batch: { group: TrackGroup; pending: Pending[] }[] = [];
    let size = 0;
    for (const [key, waiting] of this.#waiting) {
      if (size >= MAX_BATCH) break;
      if (this.#busy.has(key)) continue;
      const pending = waiting.pending.splice(0, MAX_BATCH - size);
      if (waiting.pending.length === 0) this.#waiting.delete(key);
      this.#busy.add(key);
      batch.push({ group: { ref: waiting.ref, placed: pending.map((p) => p.placed) }, pending });
      size += pending.length;
    }
    return batch;
  }

  async #run(batch: { group: TrackGroup; pending: Pending[] }[]): Promise<void> {
    try {
      const outcomes = await recordTracks(
        this.#deps,
        batch.map((b) => b.group),
      );
      for (const [i, { pending }] of batch.entries()) {
        const outcome = outcomes[i];
        for (const [j, p] of pending.entries()) {
          if (Array.isArray(outcome)) p.resolve(outcome[j] as TrackResult);
          else p.reject(outcome);
        }
      }
    } catch (error) {
      for (const { pending } of batch) for (const p of pending) p.reject(error);
    }
  }
}
