/** The wire shapes of the HTTP API (../shared/API.md) that the SDK reads and writes. */

export type EnforcementMode = "allow" | "grace" | "throttle" | "block" | "billable_overage";

/** The answer of POST /v1/check, and the decision inside a track's answer. */
export interface Decision {
  allowed: boolean;
  feature: string;
  enforcement: EnforcementMode | null;
  limit: number | null;
  used: number;
  remaining: number | null;
  unlimited: boolean;
  resetsAt: string | null;
  reason: string;
  message: string;
  value?: unknown;
  overage?: { quantity: number; amount: number; currency: string };
  retryAfter?: number;
  credits?: { cost: number; balance: number; unlimited: boolean };
}

/** Where a value came from (a plan version, an override, an add-on, the dunning, …). */
export interface Source {
  kind: string;
  id: string;
  /** Human words for the row, e.g. "team_pro v2" or "override ov_12 (Acme MSA)". */
  label: string;
  [field: string]: unknown;
}

/** One feature as GET /v1/customers/:id/entitlements answers it. */
export interface Entitlement {
  feature: string;
  type: "boolean" | "metered" | "config";
  enabled: boolean;
  /** null = unlimited. */
  limit: number | null;
  used: number;
  remaining: number | null;
  unlimited: boolean;
  /** The usage window the limit counts over: an hour, a day, the billing period, or never reset. */
  window: "hour" | "day" | "period" | "never";
  resetsAt: string | null;
  enforcement: EnforcementMode;
  scope: string;
  /** A config feature's value (a support tier, a number of projects); null for the others. */
  value: unknown;
  overage: { unitAmount: string } | null;
  source: Source;
  /** With `?explain=true`: for each field, the rows its value came from, in the order applied. */
  explain?: Record<string, Source[]>;
}

export interface EntitlementsView {
  customerId: string;
  at: string;
  plan: {
    key: string;
    version: number;
    name: string;
    label: string;
    kind: string;
    custom: boolean;
    currency: string;
    interval: string;
  } | null;
  subscription: { id: string; status: string; periodStart: string; periodEnd: string } | null;
  payment: { stage: string; pastDueSince: string | null; nextStageAt: string | null };
  /** `price`: minor units a seat per interval past `included` (0: seats are not billed). */
  seats: { limit: number | null; used: number; unlimited: boolean; price: number; included: number } | null;
  credits: {
    perSeat: number;
    unlimited: boolean;
    price: string;
    neverExpire: boolean;
    balance: number | null;
  } | null;
  entitlements: Entitlement[];
}

/** A usage event; `id` makes it idempotent (the same id is counted once, forever). */
export interface UsageEvent {
  customerId: string;
  feature: string;
  quantity?: number;
  id: string;
  timestamp?: string;
  workspaceId?: string;
  userId?: string;
  properties?: Record<string, unknown>;
}

export interface TrackResult {
  recorded: boolean;
  duplicate: boolean;
  decision: Decision;
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: { index: number; code: string; message: string; param?: string }[];
}

/** One domain event of GET /v1/events/stream. */
export interface DomainEvent {
  /** The outbox position, as the stream's `id`. */
  seq: string;
  type: string;
  customerId: string | null;
  data: unknown;
}
