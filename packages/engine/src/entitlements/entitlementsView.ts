import type { EffectiveEntitlement, Source } from "@tollgate/core";
import { windowEnd } from "@tollgate/core";
import { usedInWindow } from "../metering/counters";
import type { CustomerEntitlements } from "./loadEntitlements";

/** The answer of GET /v1/customers/:id/entitlements: what the customer may do, and why. */
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
    /** What the contract's prices are in, and the period they are for. */
    currency: string;
    interval: string;
  } | null;
  subscription: { id: string; status: string; periodStart: string; periodEnd: string } | null;
  /** After a failed payment: the dunning stage (grace, throttle, suspend, blocked), since when, and the next. */
  payment: { stage: string; pastDueSince: string | null; nextStageAt: string | null };
  seats: { limit: number | null; used: number; unlimited: boolean; price: number; included: number } | null;
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
  /** The usage window the limit counts over: hour, day, the billing period, or never reset. */
  window: string;
  resetsAt: string | null;
  enforcement: string;
  scope: string;
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
      currency: effective.currency,
      interval: effective.interval,
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
    payment: {
      stage: entry.dunning.stage,
      pastDueSince: entry.dunning.since?.toISOString() ?? null,
      nextStageAt: entry.dunning.nextStageAt?.toISOString() ?? null,
    },
    seats: effective && {
      limit: effective.seats.limit,
      used: entry.seats,
      unlimited: effective.seats.unlimited,
      /** Minor units a seat per interval past `included` (0: seats are not billed). */
      price: effective.seats.price,
      included: effective.seats.included,
    },
    credits: effective && {
      ...effective.credits,
      balance: effective.credits.unlimited ? null : entry.credits.balance,
    },
    entitlements: effective
      ? Object.values(effective.entitlements)
          .sort((a, b) => a.feature.localeCompare(b.feature))
          .map((e) => toEntitlementView(e, entry, at, explain))
      : [],
  };
  if (explain && effective) view.explain = { plan: effective.explain, notes: effective.notes };
  return view;
}

/** One entitlement; usage is the whole customer's (a per-workspace quota shows 0 here: ask per workspace). */
function toEntitlementView(
  e: EffectiveEntitlement,
  entry: CustomerEntitlements,
  at: Date,
  explain: boolean,
): EntitlementView {
  const periodEnd = entry.period?.to ?? null;
  const used =
    e.type === "metered" && e.scope !== "workspace"
      ? usedInWindow(entry, e.feature, "", e.window, at.getTime())
      : 0;
  return {
    feature: e.feature,
    type: e.type,
    enabled: e.enabled,
    limit: e.limit,
    used,
    remaining: e.limit === null ? null : Math.max(0, e.limit - used),
    unlimited: e.unlimited,
    window: e.window,
    resetsAt: e.type === "metered" ? (windowEnd(e.window, at, periodEnd)?.toISOString() ?? null) : null,
    enforcement: e.enforcement,
    scope: e.scope,
    value: e.value,
    overage: e.overage,
    source: e.source,
    ...(explain ? { explain: e.explain } : {}),
  };
}
