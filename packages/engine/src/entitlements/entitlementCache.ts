import type { CustomerRef } from "../context";
import type { CustomerEntitlements } from "./loadEntitlements";

const keyOf = (ref: CustomerRef) => `${ref.env}\u0000${ref.customerId}`;

/**
 * Resolved entitlements per customer, in process. An entry answers until the next boundary it
 * knows of (a contract or override starting or ending, a period rolling over) or until a change
 * to the customer or the catalog invalidates it.
 */
export class EntitlementCache {
  readonly #entries = new Map<string, CustomerEntitlements>();
  readonly #listeners = new Set<(ref: CustomerRef | null) => void>();
  maxEntries: number;

  constructor(maxEntries = 100_000) {
    this.maxEntries = maxEntries;
  }

  get(ref: CustomerRef, nowMs: number): CustomerEntitlements | undefined {
    const entry = this.#entries.get(keyOf(ref));
    return entry && nowMs < entry.validUntil ? entry : undefined;
  }

  set(ref: CustomerRef, entry: CustomerEntitlements): void {
    if (this.#entries.size >= this.maxEntries) this.#entries.clear();
    this.#entries.set(keyOf(ref), entry);
  }

  invalidateCustomer(ref: CustomerRef): void {
    this.#entries.delete(keyOf(ref));
    for (const listener of this.#listeners) listener(ref);
  }

  /** A catalog change may touch any customer: drop everything. */
  invalidateCatalog(): void {
    this.#entries.clear();
    for (const listener of this.#listeners) listener(null);
  }

  /** Called with the customer whose entitlements changed, or null for "everyone". */
  onInvalidate(listener: (ref: CustomerRef | null) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get size(): number {
    return this.#entries.size;
  }
}
