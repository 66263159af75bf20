import { catalogFeatures } from "../catalog/catalogFeatures";
import type { CustomerRef, EngineDeps, Env } from "../context";
import { currentEntitlements } from "../entitlements/currentEntitlements";
import { type CustomerEntitlements, loadEntitlements } from "../entitlements/loadEntitlements";

/**
 * The entitlements in force at each event's timestamp, for one batch: the cached current answer
 * for events inside its validity, else the contract resolved at that instant (loaded once per
 * validity range, since late events of one batch tend to share it).
 */
export class EntitlementsAtEvent {
  readonly #deps: EngineDeps;
  readonly #nowMs: number;
  readonly #loaded: Record<Env, Map<string, CustomerEntitlements[]>> = { live: new Map(), test: new Map() };

  constructor(deps: EngineDeps, now: Date) {
    this.#deps = deps;
    this.#nowMs = now.getTime();
  }

  /**
   * Answered at once when the batch or the cache holds the answer (most events: a batch of
   * 10,000 then costs no await an event), else a promise of it.
   */
  at(ref: CustomerRef, timestamp: Date): CustomerEntitlements | Promise<CustomerEntitlements> {
    const entries = this.#loaded[ref.env].get(ref.customerId);
    if (!entries) {
      const cached = this.#deps.cache.get(ref, this.#nowMs);
      if (!cached) return this.#load(ref, timestamp);
      this.#loaded[ref.env].set(ref.customerId, [cached]);
      return this.#held([cached], timestamp) ?? this.#load(ref, timestamp);
    }
    return this.#held(entries, timestamp) ?? this.#load(ref, timestamp);
  }

  #held(entries: readonly CustomerEntitlements[], timestamp: Date): CustomerEntitlements | undefined {
    const t = timestamp.getTime();
    for (const entry of entries) if (entry.validFrom <= t && t < entry.validUntil) return entry;
    return undefined;
  }

  async #load(ref: CustomerRef, timestamp: Date): Promise<CustomerEntitlements> {
    let entries = this.#loaded[ref.env].get(ref.customerId);
    if (!entries) {
      entries = [await currentEntitlements(this.#deps, ref)];
      this.#loaded[ref.env].set(ref.customerId, entries);
      const held = this.#held(entries, timestamp);
      if (held) return held;
    }
    const loaded = await loadEntitlements(this.#deps.db, ref, timestamp, () => catalogFeatures(this.#deps));
    entries.push(loaded);
    return loaded;
  }
}
