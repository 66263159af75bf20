import type { EffectiveEntitlement, Source } from "@tollgate/core";
import { windowEnd } from "@tollgate/core";
import type { CustomerEntitlements } from "./loadEntitlements";

/** The answer of GET /v1/customers/:id/entitlements: what the customer may do, and why. */
export interface EntitlementsView {
  customerId: string;
  at: string;
  plan: { key: string; version: number; name: string; label: string; kind: string; custom: boolean } | null;
  subscription: { id: string; status: string; periodStart: string; periodEnd: string } | null;
  seats: { limit: number | null; used: number; unlimited: boolean } | null;
  credits: {
    perSeat: number;
    unlimited: boolean;
    price: string;
    neverExpire: boolean;
    balance: number | null;
  } | null;
  entitlements: EntitlementView[];
  explain?: { plan: Record<string, Source[]>; notes: string[] };
}

export interface EntitlementView {
  feature: string;
  type: string;
  enabled: boolean;
  limit: number | null;
  used: number;
  remaining: number | null;
  unlimited: boolean;
  resetsAt: string | null;
  enforcement: string;
  value: unknown;
  overage: { unitAmount: string } | null;
  source: Source;
  explain?: Record<string, Source[]>;
}

export function toEntitlementsView(
  entry: CustomerEntitlements,
  at: Date,
  explain: boolean,
): EntitlementsView {
  const { effective, subscription, period } = entry;
  const view: EntitlementsView = {
    customerId: entry.customer.id,
    at: at.toISOString(),
    plan: effective && {
      key: effective.plan.key,
      version: effective.plan.version,
      name: effective.plan.name,
      label: effective.plan.label,
      kind: effective.plan.kind,
      custom: effective.plan.custom,
    },
    subscription:
      subscription && period
        ? {
            id: subscription.id,
            status: subscription.status,
            periodStart: period.from.toISOString(),
            periodEnd: period.to.toISOString(),
          }
        : null,
    seats: effective && { limit: effective.seats.limit, used: 0, unlimited: effective.seats.unlimited },
    credits: effective && { ...effective.credits, balance: effective.credits.unlimited ? null : 0 },
    entitlements: effective
      ? Object.values(effective.entitlements)
          .sort((a, b) => a.feature.localeCompare(b.feature))
          .map((e) => toEntitlementView(e, at, period?.to ?? null, explain))
      : [],
  };
  if (explain && effective) view.explain = { plan: effective.explain, notes: effective.notes };
  return view;
}

function toEntitlementView(
  e: EffectiveEntitlement,
  at: Date,
  periodEnd: Date | null,
  explain: boolean,
): EntitlementView {
  const used = 0;
  return {
    feature: e.feature,
    type: e.type,
    enabled: e.enabled,
    limit: e.limit,
    used,
    remaining: e.limit === null ? null : Math.max(0, e.limit - used),
    unlimited: e.unlimited,
    resetsAt: e.type === "metered" ? (windowEnd(e.window, at, periodEnd)?.toISOString() ?? null) : null,
    enforcement: e.enforcement,
    value: e.value,
    overage: e.overage,
    source: e.source,
    ...(explain ? { explain: e.explain } : {}),
  };
}
