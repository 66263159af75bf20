import { networkError, TollgateApiError } from "../http/tollgateApiError";
import type { Transport } from "../http/transport";
import type { Decision, Entitlement, EntitlementsView } from "../types";

/** fresh: answers from cache; stale: cached but unconfirmed too long; loading / unavailable: no data. */
export type CacheStatus = "loading" | "fresh" | "stale" | "unavailable";

export interface CustomerEntry {
  readonly customerId: string;
  view: EntitlementsView | undefined;
  features: Map<string, Entitlement>;
  /** Clock ms of the last successful fetch. */
  fetchedAt: number;
  /** An event arrived that the cached view does not reflect yet. */
  isOutdated: boolean;
  lastError: TollgateApiError | undefined;
  lastAttemptAt: number;
  inFlight: Promise<void> | undefined;
  /** Fetch again when the running fetch ends: an event arrived while it was in flight. */
  needsRerun: boolean;
  retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Fetches again when the soonest usage window or period ends (no event marks a reset). */
  resetTimer: ReturnType<typeof setTimeout> | undefined;
}

export interface EntitlementCacheOptions {
  clock: () => number;
  staleAfterMs: number;
  /** Until when the refresh mechanism vouches that every cached entry is current (clock ms). */
  confirmedAt: () => number;
  /** Awaited before an entry's first fetch: the stream must be open first, so no change is missed. */
  beforeFirstFetch: () => Promise<void>;
}

const RETRY_MS = 1_000;
/** setTimeout's largest delay (about 24.8 days); a later reset is caught by the next fetch. */
const MAX_TIMER_MS = 2_147_483_647 - 1_000;
/** Fetch a little after a reset, so the server's clock has passed it too. */
const RESET_SLACK_MS = 500;
/** An entry without data asks again at most this often when read. */
const RELOAD_MS = 5_000;

/** Each customer's entitlements as last fetched, refreshed one fetch at a time per customer. */
export class EntitlementCache {
  readonly #transport: Transport;
  readonly #options: EntitlementCacheOptions;
  readonly #entries = new Map<string, CustomerEntry>();
  #closed = false;

  constructor(transport: Transport, options: EntitlementCacheOptions) {
    this.#transport = transport;
    this.#options = options;
  }

  /** The customer's entry; the first call starts loading it. */
  entry(customerId: string): CustomerEntry {
    let entry = this.#entries.get(customerId);
    if (!entry) {
      entry = {
        customerId,
        view: undefined,
        features: new Map(),
        fetchedAt: 0,
        isOutdated: false,
        lastError: undefined,
        lastAttemptAt: 0,
        inFlight: undefined,
        needsRerun: false,
        retryTimer: undefined,
        resetTimer: undefined,
      };
      this.#entries.set(customerId, entry);
      const created = entry;
      void this.#options.beforeFirstFetch().then(() => this.refresh(created.customerId).catch(() => {}));
    }
    return entry;
  }

  /** Resolves once the customer's entitlements are cached; rejects with the fetch's error. */
  async load(customerId: string): Promise<void> {
    const entry = this.entry(customerId);
    await this.#options.beforeFirstFetch();
    if (!entry.view) await (entry.inFlight ?? this.refresh(customerId));
  }

  status(entry: CustomerEntry): CacheStatus {
    if (!entry.view) return entry.lastError && !entry.inFlight ? "unavailable" : "loading";
    const confirmed = entry.isOutdated
      ? entry.fetchedAt
      : Math.max(entry.fetchedAt, this.#options.confirmedAt());
    return this.#options.clock() - confirmed < this.#options.staleAfterMs ? "fresh" : "stale";
  }

  /** Reading an entry without data retries its load now and then, off the caller's path. */
  touch(entry: CustomerEntry): void {
    if (entry.view || entry.inFlight || this.#closed) return;
    if (this.#options.clock() - entry.lastAttemptAt < RELOAD_MS) return;
    this.refresh(entry.customerId).catch(() => {});
  }

  /** Something changed for the customer: fetch its entitlements again (if it is cached). */
  invalidate(customerId: string): void {
    const entry = this.#entries.get(customerId);
    if (!entry) return;
    entry.isOutdated = true;
    this.refresh(customerId).catch(() => {});
  }

  refreshAll(): void {
    for (const customerId of this.#entries.keys()) this.refresh(customerId).catch(() => {});
  }

  /** Fetches the customer's entitlements; one fetch at a time, once more if asked meanwhile. */
  refresh(customerId: string): Promise<void> {
    const entry = this.#entries.get(customerId);
    if (!entry || this.#closed) return Promise.resolve();
    if (entry.inFlight) {
      entry.needsRerun = true;
      return entry.inFlight;
    }
    const run = async (): Promise<void> => {
      do {
        entry.needsRerun = false;
        entry.lastAttemptAt = this.#options.clock();
        const startedOutdated = entry.isOutdated;
        try {
          const view = await this.#transport.request<EntitlementsView>(
            "GET",
            `/v1/customers/${encodeURIComponent(customerId)}/entitlements`,
          );
          this.#store(entry, view);
          if (startedOutdated && !entry.needsRerun) entry.isOutdated = false;
        } catch (error) {
          entry.lastError = error instanceof TollgateApiError ? error : networkError(error);
          this.#scheduleRetry(entry);
          throw error;
        }
      } while (entry.needsRerun && !this.#closed);
    };
    entry.inFlight = run().finally(() => {
      entry.inFlight = undefined;
    });
    return entry.inFlight;
  }

  /**
   * A track this client recorded moves the cached usage at once: a recorded track's decision
   * carries the usage after it, whatever the feature's aggregation (sum, count, max, latest).
   * Usage recorded elsewhere shows at the next fetch.
   */
  applyTrack(customerId: string, decision: Decision, workspaceId?: string): void {
    const entitlement = this.#entries.get(customerId)?.features.get(decision.feature);
    if (entitlement?.type !== "metered" || entitlement.scope === "workspace" || workspaceId) return;
    entitlement.used = decision.used;
    entitlement.remaining =
      entitlement.limit === null ? null : Math.max(0, entitlement.limit - entitlement.used);
  }

  close(): void {
    this.#closed = true;
    for (const entry of this.#entries.values()) {
      clearTimeout(entry.retryTimer);
      clearTimeout(entry.resetTimer);
    }
  }

  #store(entry: CustomerEntry, view: EntitlementsView): void {
    entry.view = view;
    entry.features = new Map(view.entitlements.map((e) => [e.feature, e]));
    entry.fetchedAt = this.#options.clock();
    entry.lastError = undefined;
    this.#scheduleResetRefresh(entry, view);
  }

  #scheduleResetRefresh(entry: CustomerEntry, view: EntitlementsView): void {
    clearTimeout(entry.resetTimer);
    const instants = [...view.entitlements.map((e) => e.resetsAt), view.subscription?.periodEnd ?? null];
    const now = Date.parse(view.at);
    const next = Math.min(
      ...instants.map((iso) => (iso === null ? Number.POSITIVE_INFINITY : Date.parse(iso) - now)),
    );
    if (!Number.isFinite(next) || next <= 0 || next > MAX_TIMER_MS) return;
    entry.resetTimer = setTimeout(() => {
      entry.resetTimer = undefined;
      this.refresh(entry.customerId).catch(() => {});
    }, next + RESET_SLACK_MS);
    entry.resetTimer.unref?.();
  }

  /** A network or server failure is retried; an answer such as 404 is not (it would not change). */
  #scheduleRetry(entry: CustomerEntry): void {
    const status = entry.lastError?.status ?? 0;
    if (this.#closed || entry.retryTimer || (status > 0 && status < 500)) return;
    if (!entry.isOutdated && entry.view) return;
    entry.retryTimer = setTimeout(() => {
      entry.retryTimer = undefined;
      this.refresh(entry.customerId).catch(() => {});
    }, RETRY_MS);
    entry.retryTimer.unref?.();
  }
}
