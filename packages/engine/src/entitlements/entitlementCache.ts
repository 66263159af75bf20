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
  readonly #listeners = new Set<(ref: CustomerRef | null) => void>();
  maxEntries: number;

  constructor(maxEntries = 100_000) {
    this.maxEntries = maxEntries;
  }

  get(ref: CustomerRef, nowMs: number): CustomerEntitlements | undefined {
    const entry = this.#entries[ref.env].get(ref.customerId);
    return entry && nowMs < entry.validUntil ? entry : undefined;
  }

  set(ref: CustomerRef, entry: CustomerEntitlements): void {
    const entries = this.#entries[ref.env];
    if (entries.size >= this.maxEntries) entries.clear();
    entries.set(ref.customerId, entry);
  }

  invalidateCustomer(ref: CustomerRef): void {
    this.#entries[ref.env].delete(ref.customerId);
    for (const listener of this.#listeners) listener(ref);
  }

  /** A catalog change may touch any customer: drop everything. */
  invalidateCatalog(): void {
    this.#entries.live.clear();
    this.#entries.test.clear();
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
