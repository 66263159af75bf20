import type { EffectivePlan, Feature } from "@tollgate/core";
import type { CustomerRef } from "../context";
import type { CustomerEntitlements } from "./loadEntitlements";

/**
 * Resolved entitlements per customer, in process. An entry answers until the next boundary it
 * knows of (a contract or override starting or ending, a period rolling over) or until a change
 * to the customer or the catalog invalidates it.
 */
export class EntitlementCache {
  /** Per environment, then per customer id: no key string is built on the hot path. */
  readonly #entries = {
    live: new Map<string, CustomerEntitlements>(),
    test: new Map<string, CustomerEntitlements>(),
  };
  /** Bumped by every invalidation, so a load that raced one is not cached. */
  #generation = 0;
  readonly #loading = new Map<string, Promise<CustomerEntitlements>>();
  readonly #listeners = new Set<(ref: CustomerRef | null) => void>();
  /** Effective plans of customers with no overrides, one per plan version (see `share`). */
  readonly #plans = new Map<string, EffectivePlan>();
  /** The feature catalog, loaded once and dropped on any catalog change. */
  features: Map<string, Feature> | undefined;
  maxEntries: number;

  constructor(maxEntries = 100_000) {
    this.maxEntries = maxEntries;
  }

  get(ref: CustomerRef, nowMs: number): CustomerEntitlements | undefined {
    const entry = this.#entries[ref.env].get(ref.customerId);
    return entry && nowMs < entry.validUntil ? entry : undefined;
  }

  /** The entry held for a customer, whatever its validity: for updating its counters. */
  peek(ref: CustomerRef): CustomerEntitlements | undefined {
    return this.#entries[ref.env].get(ref.customerId);
  }

  set(ref: CustomerRef, entry: CustomerEntitlements): void {
    const entries = this.#entries[ref.env];
    if (entries.size >= this.maxEntries) entries.clear();
    entries.set(ref.customerId, entry);
  }

  /**
   * Runs `load` and caches its answer, unless a load for this customer is already in flight,
   * whose answer is shared. An answer loaded across an invalidation is returned but not cached.
   */
  loadOnce(ref: CustomerRef, load: () => Promise<CustomerEntitlements>): Promise<CustomerEntitlements> {
    const key = `${ref.env}\u0000${ref.customerId}`;
    const inFlight = this.#loading.get(key);
    if (inFlight) return inFlight;
    const generation = this.#generation;
    const started = load()
      .then((entry) => {
        if (generation === this.#generation) this.set(ref, entry);
        return entry;
      })
      .finally(() => {
        if (this.#loading.get(key) === started) this.#loading.delete(key);
      });
    this.#loading.set(key, started);
    return started;
  }

  /**
   * Customers with no overrides in force resolve to the same plan for the same version: they
   * share one EffectivePlan object (read-only), so the hot path touches the same memory for all
   * of them. Its `at` is the first resolution's instant; nothing on the check path reads it.
   */
  share(entry: CustomerEntitlements): CustomerEntitlements {
    const effective = entry.effective;
    if (!effective || effective.overrideSetId !== null || effective.notes.length > 0) return entry;
    const held = this.#plans.get(effective.plan.versionId);
    if (held) entry.effective = held;
    else this.#plans.set(effective.plan.versionId, effective);
    return entry;
  }

  invalidateCustomer(ref: CustomerRef): void {
    this.#generation += 1;
    this.#loading.delete(`${ref.env}\u0000${ref.customerId}`);
    this.#entries[ref.env].delete(ref.customerId);
    for (const listener of this.#listeners) listener(ref);
  }

  /** A catalog change may touch any customer: drop everything. */
  invalidateCatalog(): void {
    this.#generation += 1;
    this.#loading.clear();
    this.#entries.live.clear();
    this.#entries.test.clear();
    this.features = undefined;
    this.#plans.clear();
    for (const listener of this.#listeners) listener(null);
  }

  /** Called with the customer whose entitlements changed, or null for "everyone". */
  onInvalidate(listener: (ref: CustomerRef | null) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get size(): number {
    return this.#entries.live.size + this.#entries.test.size;
  }
}
