import { catalogFeatures } from "../catalog/catalogFeatures";
import type { CustomerRef, EngineDeps } from "../context";
import { currentEntitlements } from "../entitlements/currentEntitlements";
import { type CustomerEntitlements, loadEntitlements } from "../entitlements/loadEntitlements";

/**
 * The entitlements in force at each event's timestamp, for one batch: the cached current answer
 * for events inside its validity, else the contract resolved at that instant (loaded once per
 * validity range, since late events of one batch tend to share it).
 */
export class EntitlementsAtEvent {
  readonly #deps: EngineDeps;
  readonly #loaded = new Map<string, CustomerEntitlements[]>();

  constructor(deps: EngineDeps) {
    this.#deps = deps;
  }

  async at(ref: CustomerRef, timestamp: Date): Promise<CustomerEntitlements> {
    const key = `${ref.env}\u0000${ref.customerId}`;
    let entries = this.#loaded.get(key);
    if (!entries) {
      entries = [await currentEntitlements(this.#deps, ref)];
      this.#loaded.set(key, entries);
    }
    const t = timestamp.getTime();
    const held = entries.find((e) => e.validFrom <= t && t < e.validUntil);
    if (held) return held;
    const loaded = await loadEntitlements(this.#deps.db, ref, timestamp, () => catalogFeatures(this.#deps));
    entries.push(loaded);
    return loaded;
  }
}
