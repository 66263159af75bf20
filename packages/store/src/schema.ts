import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const createdAt = () => instant("created_at").notNull().defaultNow();

// ── Catalog: small reference tables, shared by every customer ────────────────────────────

export const features = pgTable("features", {
  key: text("key").primaryKey(),
  name: text("name").notNull(),
  type: text("type", { enum: ["boolean", "metered", "config"] }).notNull(),
  unit: text("unit"),
  aggregation: text("aggregation", { enum: ["sum", "count", "max", "unique_count", "latest"] }),
  uniqueProperty: text("unique_property"),
  description: text("description"),
  createdAt: createdAt(),
});

export const plans = pgTable("plans", {
  key: text("key").primaryKey(),
  name: text("name").notNull(),
  kind: text("kind", { enum: ["free", "trial", "standard", "enterprise", "custom"] }).notNull(),
  isCustom: boolean("is_custom").notNull().default(false),
  /** The one customer a custom plan belongs to. */
  customerId: text("customer_id"),
  customerEnv: text("customer_env", { enum: ["live", "test"] }),
  archivedAt: instant("archived_at"),
  createdAt: createdAt(),
});

/** Published versions are immutable: a trigger refuses UPDATE and DELETE. */
export const planVersions = pgTable(
  "plan_versions",
  {
    id: text("id").primaryKey(),
    planKey: text("plan_key")
      .notNull()
      .references(() => plans.key),
    version: integer("version").notNull(),
    /** The version's terms as published (PlanTerms without the effective dates). */
    terms: jsonb("terms").notNull(),
    effectiveFrom: instant("effective_from"),
    effectiveTo: instant("effective_to"),
    publishedAt: instant("published_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("plan_versions_plan_version").on(t.planKey, t.version)],
);

/** A payment provider's price id resolves to exactly one plan version. */
export const providerPrices = pgTable(
  "provider_prices",
  {
    provider: text("provider").notNull(),
    priceId: text("price_id").notNull(),
    planVersionId: text("plan_version_id")
      .notNull()
      .references(() => planVersions.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.priceId] })],
);

// ── Tenant tables: keyed by customer_id first, so they can be distributed by customer ──────

export const customers = pgTable(
  "customers",
  {
    customerId: text("customer_id").notNull(),
    env: text("env", { enum: ["live", "test"] }).notNull(),
    name: text("name"),
    email: text("email"),
    emailDomain: text("email_domain"),
    emailVerified: boolean("email_verified").notNull().default(false),
    providerCustomerId: text("provider_customer_id"),
    workspaceIds: jsonb("workspace_ids").$type<string[]>().notNull().default([]),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.customerId, t.env] }),
    index("customers_env_created").on(t.env, t.createdAt),
  ],
);

/** A customer on a plan version over [effective_from, effective_to); rows of one customer never overlap. */
export const subscriptions = pgTable(
  "subscriptions",
  {
    customerId: text("customer_id").notNull(),
    env: text("env", { enum: ["live", "test"] }).notNull(),
    id: text("id").notNull(),
    planKey: text("plan_key")
      .notNull()
      .references(() => plans.key),
    planVersionId: text("plan_version_id")
      .notNull()
      .references(() => planVersions.id),
    status: text("status", { enum: ["trialing", "active", "past_due", "suspended", "canceled"] }).notNull(),
    effectiveFrom: instant("effective_from").notNull(),
    effectiveTo: instant("effective_to"),
    billingAnchor: instant("billing_anchor").notNull(),
    trialEndsAt: instant("trial_ends_at"),
    canceledAt: instant("canceled_at"),
    providerSubscriptionId: text("provider_subscription_id"),
    providerPriceId: text("provider_price_id"),
    reason: text("reason").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.customerId, t.env, t.id] }),
    index("subscriptions_plan_version").on(t.planVersionId),
  ],
);

/** Per-customer overrides of the base plan, effective-dated; a replacement closes the previous set. */
export const overrideSets = pgTable(
  "override_sets",
  {
    customerId: text("customer_id").notNull(),
    env: text("env", { enum: ["live", "test"] }).notNull(),
    id: text("id").notNull(),
    overrides: jsonb("overrides").notNull(),
    effectiveFrom: instant("effective_from").notNull(),
    effectiveTo: instant("effective_to"),
    reason: text("reason").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.env, t.id] })],
);

/** A verified email at `domain` provisions the customer on a plan with overrides. */
export const provisioningRules = pgTable("provisioning_rules", {
  id: text("id").primaryKey(),
  domain: text("domain").notNull().unique(),
  planKey: text("plan_key")
    .notNull()
    .references(() => plans.key),
  overrides: jsonb("overrides").notNull().default({}),
  createdAt: createdAt(),
});

export const apiKeys = pgTable("api_keys", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  type: text("type", { enum: ["secret", "admin"] }).notNull(),
  role: text("role", { enum: ["admin", "operator", "viewer"] }),
  env: text("env", { enum: ["live", "test"] }).notNull(),
  /** SHA-256 of the secret; the secret itself is shown once and never stored. */
  secretHash: text("secret_hash").notNull().unique(),
  prefix: text("prefix").notNull(),
  createdAt: createdAt(),
  revokedAt: instant("revoked_at"),
});

/** The first response to a mutating request, replayed for the same key and body. */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    apiKeyId: text("api_key_id").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    status: integer("status").notNull(),
    response: jsonb("response").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.key] })],
);

/** Append-only: triggers refuse UPDATE, DELETE and TRUNCATE, so no code path can rewrite history. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: instant("at").notNull().default(sql`now()`),
    actorId: text("actor_id").notNull(),
    actorRole: text("actor_role").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id").notNull(),
    customerId: text("customer_id"),
    env: text("env"),
    planKey: text("plan_key"),
    before: jsonb("before"),
    after: jsonb("after"),
    reason: text("reason"),
    requestId: text("request_id"),
  },
  (t) => [
    index("audit_customer").on(t.customerId, t.env, t.id),
    index("audit_plan").on(t.planKey, t.id),
    index("audit_action").on(t.action, t.id),
  ],
);

// ── Usage: events are kept (and deduplicated) forever; counters enforce, hourly rollups report ─

/**
 * A key column of the usage tables, compared byte by byte (`COLLATE "C"`). Their btrees take a
 * row per event, and a text key in the database's own collation is compared through the C
 * library's `strcoll` (2026-11-28, 1000-event batches: ingest 21–23K → 22–28K events/s, and
 * PostgreSQL's CPU an event a quarter less). Ids are matched, never sorted for a reader, and byte
 * order is the same everywhere; in a join with a column of the default collation, "C" is used.
 */
const usageKey = <T extends string = string>(name: string) =>
  customType<{ data: T; driverData: string }>({ dataType: () => 'text COLLATE "C"' })(name);
type Env = "live" | "test";

/** An exact decimal quantity (up to 9 places), read as a JS number. */
const quantity = (name: string) => numeric(name, { precision: 38, scale: 9, mode: "number" });

/**
 * One usage event. The table is partitioned by month of `timestamp` (`usage_events_YYYY_MM`, made
 * by `ensureEventPartitions` before a write needs them), so its only unique key could not leave
 * the time out; the event's id is held unique in `usage_event_ids` instead.
 */
export const usageEvents = pgTable(
  "usage_events",
  {
    customerId: usageKey("customer_id").notNull(),
    env: usageKey<Env>("env").notNull(),
    eventId: usageKey("event_id").notNull(),
    featureKey: usageKey("feature_key").notNull(),
    quantity: quantity("quantity").notNull(),
    timestamp: instant("timestamp").notNull(),
    receivedAt: instant("received_at").notNull(),
    workspaceId: text("workspace_id"),
    userId: text("user_id"),
    properties: jsonb("properties").$type<Record<string, unknown>>(),
    /** The start of the counter window the event was counted in. */
    windowStart: instant("window_start").notNull(),
    /** Accepted after its window had closed, and counted in that window. */
    backfill: boolean("backfill").notNull().default(false),
  },
  (t) => [index("usage_events_feature_time").on(t.customerId, t.env, t.featureKey, t.timestamp)],
);

/**
 * The id of every usage event kept: unique per environment and customer for as long as the
 * event is (a NOT NULL key, no TTL), whichever month's partition holds the event. `timestamp` is
 * the event's, so the ids of a dropped month can be found.
 */
export const usageEventIds = pgTable(
  "usage_event_ids",
  {
    customerId: usageKey("customer_id").notNull(),
    env: usageKey<Env>("env").notNull(),
    eventId: usageKey("event_id").notNull(),
    timestamp: instant("timestamp").notNull(),
  },
  (t) => [primaryKey({ name: "usage_event_ids_pk", columns: [t.customerId, t.env, t.eventId] })],
);

/**
 * Usage per feature, scope and window — what enforcement reads and updates in the same
 * transaction as the event insert. `scope_key` is "" for the whole customer, else a workspace id.
 */
export const usageCounters = pgTable(
  "usage_counters",
  {
    customerId: usageKey("customer_id").notNull(),
    env: usageKey<Env>("env").notNull(),
    featureKey: usageKey("feature_key").notNull(),
    scopeKey: usageKey("scope_key").notNull().default(""),
    windowStart: instant("window_start").notNull(),
    windowEnd: instant("window_end"),
    used: quantity("used").notNull().default(0),
    /** For `latest` (gauge) features: the timestamp of the value held. */
    latestAt: instant("latest_at"),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({
      name: "usage_counters_pk",
      columns: [t.customerId, t.env, t.featureKey, t.scopeKey, t.windowStart],
    }),
  ],
);

/** Values already counted by a `unique_count` feature in one window. */
export const usageUniqueValues = pgTable(
  "usage_unique_values",
  {
    customerId: usageKey("customer_id").notNull(),
    env: usageKey<Env>("env").notNull(),
    featureKey: usageKey("feature_key").notNull(),
    scopeKey: usageKey("scope_key").notNull(),
    windowStart: instant("window_start").notNull(),
    value: usageKey("value").notNull(),
  },
  (t) => [
    primaryKey({
      name: "usage_unique_values_pk",
      columns: [t.customerId, t.env, t.featureKey, t.scopeKey, t.windowStart, t.value],
    }),
  ],
);

/** Hourly rollups for usage queries and invoices, so neither reads raw events. */
export const usageHourly = pgTable(
  "usage_hourly",
  {
    customerId: usageKey("customer_id").notNull(),
    env: usageKey<Env>("env").notNull(),
    featureKey: usageKey("feature_key").notNull(),
    hourStart: instant("hour_start").notNull(),
    quantity: quantity("quantity").notNull().default(0),
    events: integer("events").notNull().default(0),
    maxQuantity: quantity("max_quantity").notNull().default(0),
    /** Values counted for the first time in their window (unique_count features). */
    firstSeen: integer("first_seen").notNull().default(0),
    latestQuantity: quantity("latest_quantity"),
    latestAt: instant("latest_at"),
  },
  (t) => [primaryKey({ name: "usage_hourly_pk", columns: [t.customerId, t.env, t.featureKey, t.hourStart] })],
);

// ── Domain events and enforcement records ──────────────────────────────────────────────────

/**
 * Domain events written in the same transaction as the change that caused them, delivered
 * later (webhooks, the event stream). `event_key` is unique per customer: an event that must
 * fire once (a quota threshold in one window) is inserted with a deterministic key and
 * `ON CONFLICT DO NOTHING`, so retries and concurrent writers cannot fire it twice.
 */
export const outbox = pgTable(
  "outbox",
  {
    seq: bigserial("seq", { mode: "number" }).notNull(),
    customerId: text("customer_id").notNull(),
    env: text("env", { enum: ["live", "test"] }).notNull(),
    eventKey: text("event_key").notNull(),
    type: text("type").notNull(),
    payload: jsonb("payload").notNull(),
    createdAt: createdAt(),
    deliveredAt: instant("delivered_at"),
  },
  (t) => [
    primaryKey({ name: "outbox_pk", columns: [t.customerId, t.env, t.eventKey] }),
    index("outbox_undelivered").on(t.seq).where(sql`delivered_at IS NULL`),
    // The event stream reads by position (and its newest position) on every poll.
    index("outbox_seq").on(t.seq),
  ],
);

/** Enforcement decisions that refused, throttled or billed overage, kept for audit and support. */
export const enforcementLog = pgTable(
  "enforcement_log",
  {
    customerId: text("customer_id").notNull(),
    env: text("env", { enum: ["live", "test"] }).notNull(),
    id: bigserial("id", { mode: "number" }).notNull(),
    at: instant("at").notNull(),
    feature: text("feature").notNull(),
    eventId: text("event_id"),
    reason: text("reason").notNull(),
    decision: jsonb("decision").notNull(),
  },
  (t) => [primaryKey({ name: "enforcement_log_pk", columns: [t.customerId, t.env, t.id] })],
);

// ── Credits: grants and the ledger every balance is derived from ────────────────────────────

/**
 * A grant of credits. `remaining` is the running projection of the ledger rows that touch the
 * grant, updated in the same transaction as each of them. An included grant is keyed by its
 * period (`grant_key`), so a period's credits are granted once however many writers ask.
 */
export const creditGrants = pgTable(
  "credit_grants",
  {
    customerId: text("customer_id").notNull(),
    env: text("env", { enum: ["live", "test"] }).notNull(),
    id: text("id").notNull(),
    grantKey: text("grant_key"),
    source: text("source", { enum: ["included", "purchased", "bonus", "promotional"] }).notNull(),
    amount: quantity("amount").notNull(),
    remaining: quantity("remaining").notNull(),
    priority: integer("priority").notNull().default(100),
    expiresAt: instant("expires_at"),
    reason: text("reason"),
    createdAt: instant("created_at").notNull(),
  },
  (t) => [
    primaryKey({ name: "credit_grants_pk", columns: [t.customerId, t.env, t.id] }),
    uniqueIndex("credit_grants_key").on(t.customerId, t.env, t.grantKey),
  ],
);

/** Every movement of credits: a grant, a debit (with the usage event), an expiry. Append-only. */
export const creditLedger = pgTable(
  "credit_ledger",
  {
    customerId: text("customer_id").notNull(),
    env: text("env", { enum: ["live", "test"] }).notNull(),
    id: bigserial("id", { mode: "number" }).notNull(),
    grantId: text("grant_id").notNull(),
    kind: text("kind", { enum: ["grant", "debit", "expiry"] }).notNull(),
    /** Positive for a grant, negative for a debit or an expiry. */
    amount: quantity("amount").notNull(),
    feature: text("feature"),
    eventId: text("event_id"),
    at: instant("at").notNull(),
  },
  (t) => [
    primaryKey({ name: "credit_ledger_pk", columns: [t.customerId, t.env, t.id] }),
    index("credit_ledger_grant").on(t.customerId, t.env, t.grantId),
  ],
);

/** Named seats of a customer; a removed seat keeps its row (removed_at) for history. */
export const seats = pgTable(
  "seats",
  {
    customerId: text("customer_id").notNull(),
    env: text("env", { enum: ["live", "test"] }).notNull(),
    seatId: text("seat_id").notNull(),
    role: text("role", { enum: ["admin", "builder", "viewer"] }).notNull(),
    /** The product's own environment the seat works in (e.g. production, sandbox), if it has one. */
    environment: text("environment"),
    email: text("email"),
    createdAt: instant("created_at").notNull(),
    removedAt: instant("removed_at"),
  },
  (t) => [primaryKey({ name: "seats_pk", columns: [t.customerId, t.env, t.seatId] })],
);

/**
 * Each time a seat was held, [held_from, held_to) (open while held): a seat removed and added
 * again has two rows. Seats are billed from these, by the day (`seatStretches`).
 */
export const seatHoldings = pgTable(
  "seat_holdings",
  {
    customerId: text("customer_id").notNull(),
    env: text("env", { enum: ["live", "test"] }).notNull(),
    seatId: text("seat_id").notNull(),
    heldFrom: instant("held_from").notNull(),
    heldTo: instant("held_to"),
  },
  (t) => [primaryKey({ name: "seat_holdings_pk", columns: [t.customerId, t.env, t.seatId, t.heldFrom] })],
);

/**
 * Units held against a limit for work whose cost is known only afterwards: `held` until
 * committed (the actual amount is recorded), released, or expired (units given back).
 */
export const reservations = pgTable(
  "reservations",
  {
    customerId: text("customer_id").notNull(),
    env: text("env", { enum: ["live", "test"] }).notNull(),
    id: text("id").notNull(),
    featureKey: text("feature_key").notNull(),
    scopeKey: text("scope_key").notNull(),
    windowStart: instant("window_start").notNull(),
    windowEnd: instant("window_end"),
    quantity: quantity("quantity").notNull(),
    status: text("status", { enum: ["held", "committed", "released", "expired"] }).notNull(),
    expiresAt: instant("expires_at").notNull(),
    committedQuantity: quantity("committed_quantity"),
    /**
     * For a feature that draws on credits: credits a unit, as reserved. While held, quantity ×
     * credit_cost credits are held: not spendable by anything else; the commit debits the actual.
     */
    creditCost: quantity("credit_cost"),
    workspaceId: text("workspace_id"),
    createdAt: instant("created_at").notNull(),
    settledAt: instant("settled_at"),
  },
  (t) => [
    primaryKey({ name: "reservations_pk", columns: [t.customerId, t.env, t.id] }),
    index("reservations_held_expiry").on(t.expiresAt).where(sql`status = 'held'`),
  ],
);

/**
 * Scheduled work (trial expiry, a scheduled plan change taking effect, …): one row per job key,
 * so enqueueing twice is a no-op. Workers claim due rows with `FOR UPDATE SKIP LOCKED` and a
 * lease; a worker that dies mid-job leaves its lease to expire and another takes the job over.
 * Not tenant data: a queue keyed by its job key, with the customer kept for lookups.
 */
export const jobs = pgTable(
  "jobs",
  {
    key: text("key").notNull(),
    kind: text("kind").notNull(),
    customerId: text("customer_id"),
    env: text("env", { enum: ["live", "test"] }),
    payload: jsonb("payload").notNull(),
    runAt: instant("run_at").notNull(),
    status: text("status", { enum: ["pending", "running", "done", "failed"] }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    lockedUntil: instant("locked_until"),
    lastError: text("last_error"),
    createdAt: createdAt(),
    finishedAt: instant("finished_at"),
  },
  (t) => [
    primaryKey({ name: "jobs_pk", columns: [t.key] }),
    index("jobs_due").on(t.runAt).where(sql`status IN ('pending', 'running')`),
  ],
);

/** The product's endpoints that receive domain events as signed webhooks (Standard Webhooks). */
export const webhookEndpoints = pgTable("webhook_endpoints", {
  id: text("id").primaryKey(),
  env: text("env", { enum: ["live", "test"] }).notNull(),
  url: text("url").notNull(),
  /** `whsec_` + base64: the signing secret, kept to sign (shown to the admin once). */
  secret: text("secret").notNull(),
  /** The event types sent; empty means every type. */
  eventTypes: text("event_types").array().notNull(),
  description: text("description"),
  enabled: boolean("enabled").notNull().default(true),
  createdAt: createdAt(),
  disabledAt: instant("disabled_at"),
});

/** One outbox event to one endpoint: its state, retried with backoff until delivered or given up. */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    endpointId: text("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id),
    /** The outbox row's seq: the message id (`msg_<seq>`) and the order of delivery. */
    eventSeq: bigint("event_seq", { mode: "number" }).notNull(),
    customerId: text("customer_id").notNull(),
    env: text("env", { enum: ["live", "test"] }).notNull(),
    type: text("type").notNull(),
    status: text("status", { enum: ["pending", "delivered", "failed"] }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: instant("next_attempt_at").notNull(),
    lastStatus: integer("last_status"),
    lastError: text("last_error"),
    deliveredAt: instant("delivered_at"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: "webhook_deliveries_pk", columns: [t.endpointId, t.eventSeq] }),
    index("webhook_deliveries_due").on(t.nextAttemptAt).where(sql`status = 'pending'`),
  ],
);

/** Every delivery attempt, append-only: the delivery log support reads. */
export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    endpointId: text("endpoint_id").notNull(),
    eventSeq: bigint("event_seq", { mode: "number" }).notNull(),
    attempt: integer("attempt").notNull(),
    at: instant("at").notNull(),
    status: integer("status"),
    error: text("error"),
    durationMs: integer("duration_ms").notNull(),
  },
  (t) => [primaryKey({ name: "webhook_attempts_pk", columns: [t.endpointId, t.eventSeq, t.attempt] })],
);

/**
 * Every payment-provider webhook event received, once (the key): a redelivery finds its row and
 * changes nothing. `outcome` says what it did: applied, stale (older than the state it would
 * overwrite), unresolved (no customer or no plan for its price), recorded or ignored.
 */
export const providerEvents = pgTable(
  "provider_events",
  {
    provider: text("provider").notNull(),
    eventId: text("event_id").notNull(),
    type: text("type").notNull(),
    /** When the provider created the event: the order of events about one object. */
    occurredAt: instant("occurred_at").notNull(),
    receivedAt: instant("received_at").notNull(),
    customerId: text("customer_id"),
    env: text("env", { enum: ["live", "test"] }),
    outcome: text("outcome").notNull(),
    detail: text("detail"),
  },
  (t) => [primaryKey({ name: "provider_events_pk", columns: [t.provider, t.eventId] })],
);

/**
 * The provider's subscriptions as last reported, one row each: status, price, period and the
 * payment state (dunning). `lastEventAt` orders webhooks: an older event never overwrites it.
 */
export const providerSubscriptions = pgTable(
  "provider_subscriptions",
  {
    customerId: text("customer_id").notNull(),
    env: text("env", { enum: ["live", "test"] }).notNull(),
    provider: text("provider").notNull(),
    providerSubscriptionId: text("provider_subscription_id").notNull(),
    status: text("status").notNull(),
    priceId: text("price_id"),
    quantity: integer("quantity"),
    currentPeriodEnd: instant("current_period_end"),
    cancelAtPeriodEnd: boolean("cancel_at_period_end").notNull().default(false),
    lastEventAt: instant("last_event_at").notNull(),
    paymentState: text("payment_state", { enum: ["ok", "past_due", "uncollectible"] })
      .notNull()
      .default("ok"),
    pastDueSince: instant("past_due_since"),
    graceEndsAt: instant("grace_ends_at"),
    updatedAt: instant("updated_at").notNull(),
  },
  (t) => [
    primaryKey({
      name: "provider_subscriptions_pk",
      columns: [t.customerId, t.env, t.provider, t.providerSubscriptionId],
    }),
    uniqueIndex("provider_subscriptions_by_id").on(t.provider, t.providerSubscriptionId),
  ],
);

/**
 * Finalized invoices, the authoritative ledger: one per customer and billing period (the key),
 * so a re-run of the period close creates none. Lines are stored as rated, each rounded once;
 * `subtotal` is their sum.
 */
export const invoices = pgTable(
  "invoices",
  {
    customerId: text("customer_id").notNull(),
    env: text("env", { enum: ["live", "test"] }).notNull(),
    periodStart: instant("period_start").notNull(),
    id: text("id").notNull(),
    periodEnd: instant("period_end").notNull(),
    subscriptionId: text("subscription_id").notNull(),
    planKey: text("plan_key").notNull(),
    planVersion: integer("plan_version").notNull(),
    currency: text("currency").notNull(),
    lines: jsonb("lines").notNull(),
    subtotal: bigint("subtotal", { mode: "number" }).notNull(),
    amountDue: bigint("amount_due", { mode: "number" }).notNull(),
    skipBilling: boolean("skip_billing").notNull(),
    status: text("status", { enum: ["open", "paid", "void"] }).notNull(),
    finalizedAt: instant("finalized_at").notNull(),
  },
  (t) => [
    primaryKey({ name: "invoices_pk", columns: [t.customerId, t.env, t.periodStart] }),
    uniqueIndex("invoices_id").on(t.id),
  ],
);

/** Credits against a finalized invoice (a refund or a goodwill adjustment), append-only. */
export const creditNotes = pgTable(
  "credit_notes",
  {
    customerId: text("customer_id").notNull(),
    env: text("env", { enum: ["live", "test"] }).notNull(),
    id: text("id").notNull(),
    invoiceId: text("invoice_id").notNull(),
    amount: bigint("amount", { mode: "number" }).notNull(),
    currency: text("currency").notNull(),
    reason: text("reason").notNull(),
    actorId: text("actor_id").notNull(),
    createdAt: instant("created_at").notNull(),
  },
  (t) => [
    primaryKey({ name: "credit_notes_pk", columns: [t.customerId, t.env, t.id] }),
    index("credit_notes_invoice").on(t.invoiceId),
  ],
);

// ── Installation ─────────────────────────────────────────────────────────────────────────────

/**
 * Secrets made once per installation (e.g. the key that signs customer portal links): created
 * by the first process that needs one, read by every other, kept across restarts.
 */
export const installationSecrets = pgTable("installation_secrets", {
  name: text("name").primaryKey(),
  secret: text("secret").notNull(),
  createdAt: createdAt(),
});
