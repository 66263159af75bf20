import { DEFAULT_MIN_CUSTOM_PRICE, type FeatureInput, type PlanTerms } from "@tollgate/core";
import type { Database } from "@tollgate/store";
import {
  type CreateApiKeyInput,
  createApiKey,
  ensureApiKey,
  findApiKeyBySecret,
  listApiKeys,
} from "./access/apiKeys";
import { findIdempotentResponse, type StoredResponse, saveIdempotentResponse } from "./access/idempotency";
import { type AuditFilter, listAudit } from "./audit/listAudit";
import { archivePlan } from "./catalog/archivePlan";
import { createFeature } from "./catalog/createFeature";
import { createPlan, type PlanIdentity } from "./catalog/createPlan";
import { listPlans } from "./catalog/listPlans";
import { listFeatures, listPlanVersions, requirePlan } from "./catalog/loadCatalog";
import { publishPlanVersion } from "./catalog/publishPlanVersion";
import type { Actor, AdminCommand, Clock, CustomerRef, EngineConfig, EngineDeps, Env } from "./context";
import { type ListCustomersInput, listCustomers } from "./customers/listCustomers";
import { requireCustomer } from "./customers/loadCustomer";
import {
  createProvisioningRule,
  listProvisioningRules,
  type ProvisioningRuleInput,
} from "./customers/provisioningRules";
import { type UpsertCustomerInput, upsertCustomer } from "./customers/upsertCustomer";
import { type CheckInput, check, checkCached } from "./entitlements/check";
import { entitlementsAt } from "./entitlements/currentEntitlements";
import { EntitlementCache } from "./entitlements/entitlementCache";
import { toEntitlementsView } from "./entitlements/entitlementsView";
import { clearOverrides } from "./overrides/clearOverrides";
import { listOverrideSets } from "./overrides/loadOverrideSets";
import { type SetOverridesInput, setOverrides } from "./overrides/setOverrides";
import { type AssignPlanInput, assignPlan } from "./subscriptions/assignPlan";
import { cancelSubscription } from "./subscriptions/cancelSubscription";
import { planHistory } from "./subscriptions/planHistory";

export interface EngineOptions {
  database: Database;
  clock?: Clock;
  config?: Partial<EngineConfig>;
}

export type Engine = ReturnType<typeof createEngine>;

/** The application services over one database, usable in process as a library. */
export function createEngine(options: EngineOptions) {
  const deps: EngineDeps = {
    db: options.database.db,
    clock: options.clock ?? (() => new Date()),
    config: { minCustomPrice: DEFAULT_MIN_CUSTOM_PRICE, ...options.config },
    cache: new EntitlementCache(),
  };
  const { db } = deps;
  return {
    deps,
    database: options.database,
    features: {
      list: () => listFeatures(db),
      create: (input: FeatureInput, command: AdminCommand) => createFeature(deps, input, command),
    },
    plans: {
      list: () => listPlans(db),
      get: async (key: string) => ({
        plan: await requirePlan(db, key, "key"),
        versions: await listPlanVersions(db, key),
      }),
      create: (identity: PlanIdentity & { env: Env }, terms: PlanTerms, command: AdminCommand) =>
        createPlan(deps, identity, terms, command),
      publishVersion: (key: string, terms: PlanTerms, command: AdminCommand) =>
        publishPlanVersion(deps, key, terms, command),
      archive: (key: string, command: AdminCommand) => archivePlan(deps, key, command),
    },
    customers: {
      upsert: (env: Env, input: UpsertCustomerInput, actor: Actor) => upsertCustomer(deps, env, input, actor),
      get: (ref: CustomerRef) => requireCustomer(db, ref),
      list: (input: Omit<ListCustomersInput, "at">) => listCustomers(db, { ...input, at: deps.clock() }),
      history: (ref: CustomerRef) => planHistory(db, ref),
    },
    subscriptions: {
      assign: (ref: CustomerRef, input: AssignPlanInput, command: AdminCommand) =>
        assignPlan(deps, ref, input, command),
      cancel: (ref: CustomerRef, input: { effectiveAt?: Date | undefined }, command: AdminCommand) =>
        cancelSubscription(deps, ref, input, command),
    },
    overrides: {
      list: (ref: CustomerRef) => listOverrideSets(db, ref),
      set: (ref: CustomerRef, input: SetOverridesInput, command: AdminCommand) =>
        setOverrides(deps, ref, input, command),
      clear: (ref: CustomerRef, command: AdminCommand) => clearOverrides(deps, ref, command),
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
    },
    provisioningRules: {
      list: () => listProvisioningRules(db),
      create: (input: ProvisioningRuleInput, command: AdminCommand) =>
        createProvisioningRule(deps, input, command),
    },
    audit: { list: (filter: AuditFilter) => listAudit(db, filter) },
    apiKeys: {
      list: () => listApiKeys(db),
      create: (input: CreateApiKeyInput, command: AdminCommand) => createApiKey(deps, input, command),
      authenticate: (secret: string) => findApiKeyBySecret(db, secret),
      ensure: (secret: string, input: CreateApiKeyInput, command: AdminCommand) =>
        ensureApiKey(deps, secret, input, command),
    },
    idempotency: {
      find: (apiKeyId: string, key: string) => findIdempotentResponse(db, apiKeyId, key),
      save: (apiKeyId: string, key: string, stored: StoredResponse) =>
        saveIdempotentResponse(db, apiKeyId, key, stored),
    },
  };
}
