import {
  DEFAULT_LATE_WINDOW_MS,
  DEFAULT_MIN_CUSTOM_PRICE,
  type FeatureInput,
  type PlanTerms,
} from "@tollgate/core";
import type { Database } from "@tollgate/store";
import {
  ApiKeyCache,
  authenticateApiKey,
  type CreateApiKeyInput,
  createApiKey,
  ensureApiKey,
  listApiKeys,
  revokeApiKey,
} from "./access/apiKeys";
import { findIdempotentResponse, type StoredResponse, saveIdempotentResponse } from "./access/idempotency";
import { type AuditFilter, listAudit } from "./audit/listAudit";
import { applyCatalog } from "./catalog/applyCatalog";
import { archivePlan } from "./catalog/archivePlan";
import { createFeature } from "./catalog/createFeature";
import { createPlan, type PlanIdentity } from "./catalog/createPlan";
import { exportCatalog } from "./catalog/exportCatalog";
import { listPlans } from "./catalog/listPlans";
import { listFeatures, listPlanVersions, requirePlan } from "./catalog/loadCatalog";
import { publishPlanVersion } from "./catalog/publishPlanVersion";
import { checked } from "./command";
import type { Actor, AdminCommand, Clock, CustomerRef, EngineConfig, EngineDeps, Env } from "./context";
import { creditsView } from "./credits/creditsView";
import { grantCredits } from "./credits/grantCredits";
import { type ListCustomersInput, listCustomers } from "./customers/listCustomers";
import { requireCustomer } from "./customers/loadCustomer";
import {
  createProvisioningRule,
  deleteProvisioningRule,
  listProvisioningRules,
  type ProvisioningRuleChange,
  type ProvisioningRuleInput,
  updateProvisioningRule,
} from "./customers/provisioningRules";
import { type UpsertCustomerInput, upsertCustomer } from "./customers/upsertCustomer";
import { type CheckInput, check, checkCached } from "./entitlements/check";
import { entitlementsAt } from "./entitlements/currentEntitlements";
import { EntitlementCache } from "./entitlements/entitlementCache";
import { toEntitlementsView } from "./entitlements/entitlementsView";
import { ChangeFollower } from "./entitlements/followChanges";
import { eventsAfter, latestEventSeq } from "./events/eventsAfter";
import { type CreditNoteInput, issueCreditNote } from "./invoices/creditNotes";
import { finalizeDueInvoices, listInvoices } from "./invoices/finalizeInvoices";
import { upcomingInvoice } from "./invoices/upcomingInvoice";
import { makeEventPartitionsAhead } from "./metering/eventPartitionsAhead";
import { ingestEvents } from "./metering/ingestEvents";
import { IngestWriter } from "./metering/ingestWriter";
import { pruneCounters } from "./metering/pruneCounters";
import { expireReservations, reserve, settle } from "./metering/reservations";
import { FiredThresholds } from "./metering/thresholdEvents";
import { TrackQueues } from "./metering/track";
import { type UsageSeriesInput, usageSeries } from "./metering/usageSeries";
import { clearOverrides } from "./overrides/clearOverrides";
import { listOverrideSets } from "./overrides/loadOverrideSets";
import { type SetOverridesInput, setOverrides } from "./overrides/setOverrides";
import { applyPaymentEvent } from "./payments/applyPaymentEvent";
import type { PaymentEvent, PaymentProvider } from "./payments/paymentProvider";
import { reconcile } from "./payments/reconcile";
import { type CheckoutInput, startCheckout } from "./payments/startCheckout";
import { type MintPortalLinkInput, mintPortalLink } from "./portal/mintPortalLink";
import { type PortalCheckoutInput, portalCheckout } from "./portal/portalCheckout";
import { portalView } from "./portal/portalView";
import { JOB_HANDLERS } from "./scheduler/jobHandlers";
import { runDueJobs } from "./scheduler/runDueJobs";
import { addSeat, listSeats, removeSeat } from "./seats/seats";
import { type AssignPlanInput, assignPlan } from "./subscriptions/assignPlan";
import { cancelSubscription } from "./subscriptions/cancelSubscription";
import { planHistory } from "./subscriptions/planHistory";
import { deliverWebhooks } from "./webhooks/deliverWebhooks";
import {
  type CreateWebhookEndpointInput,
  createWebhookEndpoint,
  disableWebhookEndpoint,
  listDeliveries,
  listWebhookEndpoints,
} from "./webhooks/endpoints";

export interface EngineOptions {
  database: Database;
  clock?: Clock;
  config?: Partial<EngineConfig>;
  /** The payment rail (e.g. Stripe); absent = payments disabled, billing computed but not sent. */
  payments?: PaymentProvider | undefined;
}

export type Engine = ReturnType<typeof createEngine>;

/** The application services over one database, usable in process as a library. */
export function createEngine(options: EngineOptions) {
  const deps: EngineDeps = {
    db: options.database.db,
    clock: options.clock ?? (() => new Date()),
    nowMs: options.clock ? () => (options.clock as Clock)().getTime() : Date.now,
    config: {
      minCustomPrice: DEFAULT_MIN_CUSTOM_PRICE,
      lateWindowMs: { live: DEFAULT_LATE_WINDOW_MS, test: DEFAULT_LATE_WINDOW_MS },
      counterRefreshMs: options.database.driver === "postgres" ? 100 : Number.POSITIVE_INFINITY,
      // One batch at a time measured best on PostgreSQL too (2 cores, 20 connections, 5 runs each:
      // 1,742 req/s and p99 26 ms with one; 1,463 and 41 ms with two; 1,171 and 50 ms with four;
      // again with three round trips a batch: 4.6–4.7K req/s with one, 3.2–3.9K with two): a
      // waiting batch grows instead, and each batch costs the Node process the same work.
      trackBatches: 1,
      // Two at once on PostgreSQL (2 cores, 3 alternated runs: 21,637 / 22,301 / 21,670 events/s
      // against 18,490 / 17,122 / 15,727 with one): one inserts its events while the other
      // updates the counters both share (IngestWriter staggers them so). PGlite has one connection.
      ingestWriters: options.database.driver === "postgres" ? 2 : 1,
      ...options.config,
    },
    cache: new EntitlementCache(),
    apiKeys: new ApiKeyCache(),
    firedThresholds: new FiredThresholds(),
    payments: options.payments,
  };
  const { db } = deps;
  const trackQueues = new TrackQueues(deps);
  const ingestWriter = new IngestWriter(deps);
  const changes = new ChangeFollower(deps);
  return {
    deps,
    database: options.database,
    features: {
      list: () => listFeatures(db),
      create: async (input: FeatureInput, command: AdminCommand) =>
        createFeature(deps, input, checked(command)),
    },
    plans: {
      list: () => listPlans(db),
      get: async (key: string) => ({
        plan: await requirePlan(db, key, "key"),
        versions: await listPlanVersions(db, key),
      }),
      create: async (identity: PlanIdentity & { env: Env }, terms: PlanTerms, command: AdminCommand) =>
        createPlan(deps, identity, terms, checked(command)),
      publishVersion: async (key: string, terms: PlanTerms, command: AdminCommand) =>
        publishPlanVersion(deps, key, terms, checked(command)),
      archive: async (key: string, command: AdminCommand) => archivePlan(deps, key, checked(command)),
    },
    catalog: {
      /** The public catalog as a catalog file (format 1). */
      export: () => exportCatalog(db),
      /** What applying the file would change, and whom it touches; changes nothing. */
      diff: (file: unknown) => applyCatalog(deps, file, null),
      /** Applies the file in one transaction; an unchanged catalog writes nothing. */
      apply: async (file: unknown, command: AdminCommand) => applyCatalog(deps, file, checked(command)),
    },
    customers: {
      upsert: (env: Env, input: UpsertCustomerInput, actor: Actor) => upsertCustomer(deps, env, input, actor),
      get: (ref: CustomerRef) => requireCustomer(db, ref),
      list: (input: Omit<ListCustomersInput, "at">) => listCustomers(db, { ...input, at: deps.clock() }),
      history: (ref: CustomerRef) => planHistory(db, ref),
    },
    subscriptions: {
      assign: async (ref: CustomerRef, input: AssignPlanInput, command: AdminCommand) =>
        assignPlan(deps, ref, input, checked(command)),
      cancel: async (ref: CustomerRef, input: { effectiveAt?: Date | undefined }, command: AdminCommand) =>
        cancelSubscription(deps, ref, input, checked(command)),
    },
    overrides: {
      list: (ref: CustomerRef) => listOverrideSets(db, ref),
      set: async (ref: CustomerRef, input: SetOverridesInput, command: AdminCommand) =>
        setOverrides(deps, ref, input, checked(command)),
      clear: async (ref: CustomerRef, command: AdminCommand) => clearOverrides(deps, ref, checked(command)),
    },
    entitlements: {
      get: async (ref: CustomerRef, options: { at?: Date | undefined; explain?: boolean } = {}) =>
        toEntitlementsView(
          await entitlementsAt(deps, ref, options.at),
          options.at ?? deps.clock(),
          !!options.explain,
        ),
      resolved: (ref: CustomerRef, at?: Date) => entitlementsAt(deps, ref, at),
      check: (ref: CustomerRef, input: CheckInput) => check(deps, ref, input),
      /** In-process answer from the cache alone; undefined when the customer is not cached yet. */
      checkCached: (ref: CustomerRef, input: CheckInput) => checkCached(deps, ref, input),
      /**
       * Drops cached entitlements that other processes changed since the last call (read from
       * the audit log; the first call only marks where to start). The background loop calls it
       * every second; answers how many changes it read.
       */
      followChanges: () => changes.poll(),
    },
    invoices: {
      /** The current period's invoice as it stands, rated from the rollups. */
      upcoming: (ref: CustomerRef) => upcomingInvoice(deps, ref),
      list: async (ref: CustomerRef) => {
        await requireCustomer(db, ref);
        return listInvoices(deps, ref);
      },
      /** Closes every ended period not yet invoiced (the scheduler runs it); a re-run creates none. */
      finalizeDue: () => finalizeDueInvoices(deps),
      /** Credits part or all of a finalized invoice, with a reason. */
      creditNote: async (
        ref: CustomerRef,
        invoiceId: string,
        input: CreditNoteInput,
        command: AdminCommand,
      ) => issueCreditNote(deps, ref, invoiceId, input, checked(command)),
    },
    payments: {
      provider: options.payments,
      /** A hosted checkout for a plan, at the contract's own price when it has one. */
      checkout: (ref: CustomerRef, input: CheckoutInput) => startCheckout(deps, ref, input),
      /** Reports drift between the provider and the database; fixes what it can with `apply`. */
      reconcile: (options: { apply: boolean }) => reconcile(deps, options),
      /** Applies a verified payment-provider webhook event (once per event id, never out of order). */
      apply: (provider: string, event: PaymentEvent) => applyPaymentEvent(deps, provider, event),
    },
    portal: {
      /** A signed, expiring link to the customer's usage page; recorded in the audit log. */
      mintLink: (ref: CustomerRef, input: MintPortalLinkInput, actor: Actor, requestId?: string) =>
        mintPortalLink(deps, ref, input, actor, requestId),
      /** What the page shows; the token is the credential (401 when forged, altered or expired). */
      view: (token: string) => portalView(deps, token),
      /** The upgrade button: a hosted checkout for a plan the page offers. */
      checkout: (token: string, input: PortalCheckoutInput, pageUrl: string) =>
        portalCheckout(deps, token, input, pageUrl),
    },
    webhooks: {
      create: async (input: CreateWebhookEndpointInput, command: AdminCommand) =>
        createWebhookEndpoint(deps, input, checked(command)),
      list: () => listWebhookEndpoints(deps),
      disable: async (id: string, command: AdminCommand) =>
        disableWebhookEndpoint(deps, id, checked(command)),
      deliveries: (id: string) => listDeliveries(deps, id),
      /** Dispatches new outbox events and sends the deliveries due (the background loop calls it). */
      deliver: () => deliverWebhooks(deps),
    },
    events: {
      /** Domain events of an environment after `afterSeq` (the outbox, oldest first). */
      after: (env: Env, afterSeq: number, options?: { customerIds?: readonly string[]; limit?: number }) =>
        eventsAfter(deps, env, afterSeq, options),
      /** The newest position in the outbox: a new stream starts after it. */
      latest: () => latestEventSeq(deps),
    },
    scheduler: {
      /** Runs every job due now (trial expiry, …); safe to call from several processes at once. */
      runDue: () => runDueJobs(deps, JOB_HANDLERS),
    },
    usage: {
      /** Deletes enforcement counters of long-closed windows (the scheduler runs it hourly). */
      pruneCounters: () => pruneCounters(deps),
      /** Makes this month's and next month's event partitions ahead of their first event (hourly). */
      makeEventPartitions: () => makeEventPartitionsAhead(deps),
      /** Check and record in one atomic step (`POST /v1/track`). */
      track: (env: Env, input: unknown) => trackQueues.track(env, input),
      /** Record a batch without enforcement (`POST /v1/events`). */
      ingest: (env: Env, events: readonly unknown[]) => ingestEvents(deps, ingestWriter, env, events),
      series: (ref: CustomerRef, input: UsageSeriesInput) => usageSeries(deps, ref, input),
      /** Hold units against the limit for work whose cost is known afterwards. */
      reserve: (env: Env, input: unknown) => reserve(deps, env, input),
      commit: (ref: CustomerRef, id: string, input: unknown) => settle(deps, ref, id, { commit: input }),
      release: (ref: CustomerRef, id: string) => settle(deps, ref, id, { release: true }),
      /** Gives back the units of every reservation past its TTL (run periodically by `serve`). */
      expireReservations: () => expireReservations(deps),
    },
    seats: {
      list: (ref: CustomerRef) => listSeats(db, ref),
      add: (ref: CustomerRef, input: unknown, actor: Actor) => addSeat(deps, ref, input, actor),
      remove: (ref: CustomerRef, seatId: string, actor: Actor) => removeSeat(deps, ref, seatId, actor),
    },
    credits: {
      get: (ref: CustomerRef) => creditsView(deps, ref),
      grant: async (ref: CustomerRef, input: unknown, command: AdminCommand) =>
        grantCredits(deps, ref, input, checked(command)),
    },
    provisioningRules: {
      list: () => listProvisioningRules(db),
      create: async (input: ProvisioningRuleInput, command: AdminCommand) =>
        createProvisioningRule(deps, input, checked(command)),
      update: async (id: string, input: ProvisioningRuleChange, command: AdminCommand) =>
        updateProvisioningRule(deps, id, input, checked(command)),
      delete: async (id: string, command: AdminCommand) => deleteProvisioningRule(deps, id, checked(command)),
    },
    audit: { list: (filter: AuditFilter) => listAudit(db, filter) },
    apiKeys: {
      list: () => listApiKeys(db),
      create: async (input: CreateApiKeyInput, command: AdminCommand) =>
        createApiKey(deps, input, checked(command)),
      /** The active key with this secret (kept in process once found; revoked keys are dropped). */
      authenticate: (secret: string) => authenticateApiKey(deps, secret),
      /** The key with this secret if this process has it at hand: no query (the hot path). */
      cached: (secret: string) => deps.apiKeys.get(secret),
      revoke: async (id: string, command: AdminCommand) => revokeApiKey(deps, id, checked(command)),
      ensure: async (secret: string, input: CreateApiKeyInput, command: AdminCommand) =>
        ensureApiKey(deps, secret, input, checked(command)),
    },
    idempotency: {
      find: (apiKeyId: string, key: string) => findIdempotentResponse(db, apiKeyId, key),
      save: (apiKeyId: string, key: string, stored: StoredResponse) =>
        saveIdempotentResponse(db, apiKeyId, key, stored),
    },
  };
}
