import type { TollgateApiError } from "../http/tollgateApiError";
import type { Entitlement, EntitlementsView } from "../types";
import { allowsFrom } from "./allowsFrom";
import type { CacheStatus, CustomerEntry, EntitlementCache } from "./entitlementCache";
import { type FailurePolicy, policyAnswer } from "./failurePolicy";

/**
 * One customer's entitlements, answered in process from the cache: no call on this object makes
 * a network request on its way to an answer. See FailurePolicy for what it answers without a
 * current cache.
 */
export class CustomerHandle {
  readonly customerId: string;
  readonly #cache: EntitlementCache;
  readonly #entry: CustomerEntry;
  readonly #policy: FailurePolicy;

  constructor(cache: EntitlementCache, entry: CustomerEntry, policy: FailurePolicy) {
    this.customerId = entry.customerId;
    this.#cache = cache;
    this.#entry = entry;
    this.#policy = policy;
  }

  /** Resolves once the entitlements are cached; rejects with the API's error (e.g. 404 customer_not_found). */
  ready(): Promise<void> {
    return this.#cache.load(this.customerId);
  }

  status(): CacheStatus {
    return this.#cache.status(this.#entry);
  }

  /** Why the last fetch failed, while it is the latest word (cleared by a successful fetch). */
  lastError(): TollgateApiError | undefined {
    return this.#entry.lastError;
  }

  /** May the customer use `quantity` more of the feature? The failure policy when the cache is not current. */
  allows(feature: string, quantity = 1): boolean {
    if (this.status() !== "fresh") {
      this.#cache.touch(this.#entry);
      return policyAnswer(this.#policy);
    }
    return allowsFrom(this.#entry.features.get(feature), quantity);
  }

  /** Whether the current cache knows the feature is not in the customer's plan at all. */
  isUnknown(feature: string): boolean {
    return this.status() === "fresh" && !this.#entry.features.has(feature);
  }

  /** The cached entitlement; undefined when the cache is not current or the plan lacks the feature. */
  entitlement(feature: string): Entitlement | undefined {
    return this.status() === "fresh" ? this.#entry.features.get(feature) : undefined;
  }

  /** The limit; null = unlimited; undefined = unknown (not cached, stale, or not in the plan). */
  limit(feature: string): number | null | undefined {
    return this.entitlement(feature)?.limit;
  }

  /** What is left before the limit, as of the last fetch (and this client's own tracks); null = unlimited. */
  remaining(feature: string): number | null | undefined {
    return this.entitlement(feature)?.remaining;
  }

  /** A config feature's value (a support tier, a maximum of projects). */
  value(feature: string): unknown {
    return this.entitlement(feature)?.value;
  }

  /** The whole cached view (plan, seats, credits, payment stage), when current. */
  view(): EntitlementsView | undefined {
    return this.status() === "fresh" ? this.#entry.view : undefined;
  }
}
