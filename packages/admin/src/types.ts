/** The parts of the API's answers that the admin UI shows. */
export interface Customer {
  id: string;
  name: string | null;
  email: string | null;
  createdAt: string;
}

export interface Source {
  kind: string;
  id: string;
  label: string;
}

export interface Entitlement {
  feature: string;
  type: string;
  enabled: boolean;
  limit: number | null;
  used: number;
  unlimited: boolean;
  enforcement: string;
  value: unknown;
  source: Source | null;
  explain?: Record<string, Source[]>;
}

export interface EffectivePlan {
  plan: { key: string; version: number; name: string; label: string; kind: string; custom: boolean } | null;
  seats: { limit: number | null; used: number; unlimited: boolean };
  credits: { perSeat: number; unlimited: boolean; price: string | null; balance: number };
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
  reason: string | null;
  before: unknown;
  after: unknown;
}

export interface Page<T> {
  data: T[];
  has_more: boolean;
}
