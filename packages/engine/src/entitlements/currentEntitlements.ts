import { catalogFeatures } from "../catalog/catalogFeatures";
import type { CustomerRef, EngineDeps } from "../context";
import { type CustomerEntitlements, loadEntitlements } from "./loadEntitlements";

/**
 * The customer's entitlements now: from the cache, or loaded, resolved and cached. Concurrent
 * misses for one customer share a single load (a burst of 200 first requests loads once).
 */
export async function currentEntitlements(deps: EngineDeps, ref: CustomerRef): Promise<CustomerEntitlements> {
  const now = deps.clock();
  const cached = deps.cache.get(ref, now.getTime());
  if (cached) return cached;
  return deps.cache.loadOnce(ref, async () =>
    deps.cache.share(await loadEntitlements(deps.db, ref, now, () => catalogFeatures(deps))),
  );
}

/** Entitlements now, or at a past (or future) instant, which always reads the rows. */
export function entitlementsAt(deps: EngineDeps, ref: CustomerRef, at?: Date): Promise<CustomerEntitlements> {
  return at
    ? loadEntitlements(deps.db, ref, at, () => catalogFeatures(deps))
    : currentEntitlements(deps, ref);
}
