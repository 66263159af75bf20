import type { Db } from "@tollgate/store";
import type { ApiKeyCache } from "./access/apiKeys";
import type { EntitlementCache } from "./entitlements/entitlementCache";
import type { FiredThresholds } from "./metering/thresholdEvents";
import type { PaymentProvider } from "./payments/paymentProvider";

export type Env = "live" | "test";
export type Clock = () => Date;

export interface EngineConfig {
  /** Minimum base price of a paid custom plan, in minor units per month. */
  minCustomPrice: number;
  /** How long after its window closed a late usage event is still accepted, per environment (ms). */
  lateWindowMs: Record<Env, number>;
  /**
   * How stale a cached customer's usage counters may get before a check re-reads them in the
   * background (ms). Other processes write counters on a shared PostgreSQL; on embedded PGlite
   * this process is the only writer, so the default there is never.
   */
  counterRefreshMs: number;
  /** How many track batches (transactions) one process runs at once: 1 by default; 1 on PGlite. */
  trackBatches: number;
  /** How many ingest writes (transactions) one process runs at once: 2 on PostgreSQL, 1 on PGlite. */
  ingestWriters: number;
  /** Signs customer portal links (`TOLLGATE_PORTAL_SECRET`); absent = a secret stored in the database. */
  portalSecret?: string | undefined;
}

/** What every use case is given: the database, the clock and the shared cache. */
export interface EngineDeps {
  db: Db;
  clock: Clock;
  /** The clock in epoch ms, read without building a Date (the check hot path). */
  nowMs: () => number;
  config: EngineConfig;
  cache: EntitlementCache;
  /** The API keys this process has authenticated, by secret. */
  apiKeys: ApiKeyCache;
  /** The quota threshold events this process knows fired (the outbox holds them). */
  firedThresholds: FiredThresholds;
  /** The payment rail, when one is configured. */
  payments?: PaymentProvider | undefined;
}

/** Who is acting, for the audit log. */
export interface Actor {
  id: string;
  role: string;
}

/** Every admin mutation carries its actor and a reason. */
export interface AdminCommand {
  actor: Actor;
  reason: string;
  requestId?: string | undefined;
}

export interface CustomerRef {
  env: Env;
  customerId: string;
}
