import type { Entitlement, EntitlementsView } from "@tollgate/sdk/types";

/** The parts of the API's answers that the admin UI shows. */
export interface Customer {
  id: string;
  name: string | null;
  email: string | null;
  createdAt: string;
}

export type { Entitlement, Source } from "@tollgate/sdk/types";

/** GET /v1/customers/:id/entitlements, in the SDK's wire types; credits and entitlements as the admin reads them. */
export interface EffectivePlan extends Omit<EntitlementsView, "customerId" | "credits" | "entitlements"> {
  credits: { perSeat: number; unlimited: boolean; price: string | null; balance: number | null } | null;
  entitlements: Entitlement[];
}

export interface OverrideSet {
  overrides: Record<string, unknown>;
  reason: string;
  effectiveFrom: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  actorId: string;
  actorRole: string;
  action: string;
  customerId: string | null;
  planKey: string | null;
  reason: string | null;
  before: unknown;
  after: unknown;
}

export interface Page<T> {
  data: T[];
  has_more: boolean;
}

export interface Feature {
  key: string;
  name: string;
  type: "boolean" | "metered" | "config";
  unit: string | null;
  aggregation: "sum" | "count" | "max" | "unique_count" | "latest" | null;
}

/** A published plan version: its terms plus where it sits in the plan's history. */
export interface PlanVersion {
  id: string;
  planKey: string;
  version: number;
  name: string;
  kind: string;
  currency: string;
  interval: string;
  basePrice: number;
  effectiveFrom: string | null;
  effectiveTo: string | null;
  publishedAt: string;
  entitlements: Record<string, unknown>;
  [term: string]: unknown;
}

export interface Plan {
  key: string;
  name: string;
  kind: string;
  isCustom: boolean;
  customerId: string | null;
  archivedAt: string | null;
  createdAt: string;
}

export interface PlanWithLatest extends Plan {
  latestVersion: PlanVersion | null;
}

export interface PlanDetail {
  plan: Plan;
  /** Newest first. */
  versions: PlanVersion[];
}

export interface Subscription {
  id: string;
  planKey: string;
  planVersionId: string;
  status: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  reason: string;
}

export interface PlanHistory {
  customerId: string;
  /** Oldest first. */
  subscriptions: Subscription[];
  /** Newest first. */
  entries: AuditEntry[];
}

export interface UsagePoint {
  feature: string;
  start: string;
  end: string;
  quantity: number;
}

export interface ProvisioningRule {
  id: string;
  domain: string;
  planKey: string;
  overrides: Record<string, unknown>;
  createdAt: string;
}

export interface ApiKey {
  id: string;
  name: string;
  type: "secret" | "admin";
  role: "admin" | "operator" | "viewer" | null;
  env: "live" | "test";
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
}
