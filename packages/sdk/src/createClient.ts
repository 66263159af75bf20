import { CustomerHandle } from "./cache/customerHandle";
import { EntitlementCache } from "./cache/entitlementCache";
import { DEFAULT_STALE_AFTER_MS, type FailurePolicy } from "./cache/failurePolicy";
import { type Fetch, Transport } from "./http/transport";
import { EventStream } from "./refresh/eventStream";
import { Poller } from "./refresh/poller";
import type { Decision, DomainEvent, EntitlementsView, IngestResult, TrackResult, UsageEvent } from "./types";

export interface ClientOptions {
  /** Where the Tollgate API answers, e.g. `http://localhost:4000`. */
  baseUrl: string;
  /** A secret key of the environment the product runs in. */
  apiKey: string;
  /** Defaults to the global fetch. */
  fetch?: Fetch;
  /** What `allows()` answers without a current cache: "closed" (false, the default) or "open" (true). */
  failure?: FailurePolicy;
  /** How cached entitlements are kept current: the event stream (default), or polling every `pollMs`. */
  refresh?: "stream" | { pollMs: number };
  /** How long a cached answer serves without confirmation (default 5 minutes). */
  staleAfterMs?: number;
  /** The clock, in ms (default Date.now); tests move it to reach staleness. */
  clock?: () => number;
  /** Called with every domain event the stream delivers (after the cache has been told). */
  onEvent?: (event: DomainEvent) => void;
  /** Called when the event stream drops or cannot open; the client reconnects by itself. */
  onError?: (error: unknown) => void;
}

export interface CheckOptions {
  workspaceId?: string;
}

export interface EntitlementsOptions {
  at?: Date | string;
  explain?: boolean;
}

export type TollgateClient = ReturnType<typeof createClient>;

/** A client of the Tollgate HTTP API with an in-process entitlement cache. */
export function createClient(options: ClientOptions) {
  const transport = new Transport(options);
  const clock = options.clock ?? Date.now;
  const policy = options.failure ?? "closed";
  const refresh = options.refresh ?? "stream";
  let stream: EventStream | undefined;
  let poller: Poller | undefined;

  const cache = new EntitlementCache(transport, {
    clock,
    staleAfterMs: options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS,
    confirmedAt: () => stream?.lastAliveAt ?? 0,
    beforeFirstFetch: () => startRefreshing(),
  });

  /** The stream opens with the first cached customer, before its first fetch: no change falls between. */
  function startRefreshing(): Promise<void> {
    if (refresh !== "stream") {
      poller ??= new Poller(refresh.pollMs, () => cache.refreshAll());
      return Promise.resolve();
    }
    stream ??= new EventStream(
      transport,
      {
        onEvent: (event) => {
          if (event.customerId !== null) cache.invalidate(event.customerId);
          else cache.refreshAll();
          options.onEvent?.(event);
        },
        onOpen: (mayHaveMissed) => {
          if (mayHaveMissed) cache.refreshAll();
        },
        onError: options.onError,
      },
      { clock },
    );
    return stream.start();
  }

  return {
    /** POST /v1/check: the server's exact decision; never records usage. */
    check: (customerId: string, feature: string, quantity = 1, checkOptions: CheckOptions = {}) =>
      transport.request<Decision>("POST", "/v1/check", { customerId, feature, quantity, ...checkOptions }),

    /**
     * POST /v1/track: check and record in one step. A refusal throws TollgateApiError (402
     * limit_exceeded or payment_overdue, 429 throttled) with the decision on `error.decision`.
     */
    track: async (event: UsageEvent): Promise<TrackResult> => {
      const result = await transport.request<TrackResult>("POST", "/v1/track", event);
      if (result.recorded) cache.applyTrack(event.customerId, result.decision, event.workspaceId);
      return result;
    },

    /** GET /v1/customers/:id/entitlements, always from the server. */
    entitlements: (customerId: string, query: EntitlementsOptions = {}) => {
      const params = new URLSearchParams();
      if (query.at !== undefined)
        params.set("at", query.at instanceof Date ? query.at.toISOString() : query.at);
      if (query.explain) params.set("explain", "true");
      const suffix = params.size > 0 ? `?${params}` : "";
      return transport.request<EntitlementsView>(
        "GET",
        `/v1/customers/${encodeURIComponent(customerId)}/entitlements${suffix}`,
      );
    },

    /** POST /v1/events: up to 1000 usage events, recorded without enforcement. */
    events: (batch: UsageEvent[]) => transport.request<IngestResult>("POST", "/v1/events", { events: batch }),

    /** A handle answering from the cache; the first call for a customer starts loading it. */
    customer: (customerId: string) => new CustomerHandle(cache, cache.entry(customerId), policy),

    /** Stops the stream, the poller and pending retries. */
    close: async () => {
      cache.close();
      poller?.stop();
      await stream?.stop();
    },
  };
}
