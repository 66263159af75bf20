import {
  type EffectivePlan,
  notFound,
  type PreciseAmount,
  type Price,
  type RatedPart,
  rateUsage,
  roundLine,
  type Source,
} from "@tollgate/core";
import type { CustomerRef, EngineDeps } from "../context";
import { currentEntitlements } from "../entitlements/currentEntitlements";
import type { CustomerEntitlements } from "../entitlements/loadEntitlements";
import { usedNow } from "../metering/counters";
import { usageTotals } from "../metering/usageSeries";

export interface InvoiceLine {
  kind: "base" | "usage" | "overage";
  description: string;
  feature: string | null;
  quantity: number;
  /** Integer minor units: the exact amount rounded once (half away from zero). */
  amount: number;
  /** The exact amount before rounding, in minor units (a decimal string). */
  exactAmount: PreciseAmount;
  periodStart: string;
  periodEnd: string;
  /** For usage prices: what each tier charged. */
  breakdown?: RatedPart[];
  source: Source | null;
}

export interface InvoicePreview {
  customerId: string;
  env: string;
  currency: string;
  periodStart: string;
  periodEnd: string;
  plan: { key: string; version: number; label: string };
  lines: InvoiceLine[];
  /** The sum of the rounded lines. */
  subtotal: number;
  /** What would be charged: the subtotal, or 0 for a skip-billing customer. */
  amountDue: number;
  skipBilling: boolean;
  /** Usage so far in the period: the preview grows as usage does. */
  asOf: string;
}

/**
 * The invoice for the customer's current period as it stands: the base fee (the override's
 * monthly base when it sets one), each usage price rated on the period's usage so far, and the
 * overage of each `billable_overage` entitlement that has no usage price of its own (a feature
 * with a price is rated by it, never also as overage). Each line is rounded once; the subtotal
 * is the sum of the lines.
 */
export async function upcomingInvoice(deps: EngineDeps, ref: CustomerRef): Promise<InvoicePreview> {
  const entry = await currentEntitlements(deps, ref);
  if (!entry.effective || !entry.period) {
    throw notFound("no_subscription", `${ref.customerId} has no plan in force`, "id");
  }
  return rateInvoice(deps, ref, entry, entry.period, deps.clock());
}

/**
 * The invoice of `period` for the contract `entry` resolved (at `at`, inside the period): the
 * preview rates the current period so far, the period close rates a closed one whole.
 */
export async function rateInvoice(
  deps: EngineDeps,
  ref: CustomerRef,
  entry: CustomerEntitlements,
  period: { from: Date; to: Date },
  at: Date,
  /** The base-fee lines, when the period's contracts were not one for all of it (pro rata). */
  baseLines?: InvoiceLine[],
): Promise<InvoicePreview> {
  const { effective } = entry;
  if (!effective) throw notFound("no_subscription", `${ref.customerId} has no plan in force`, "id");
  const totals = await usageTotals(deps, ref, period.from, period.to);
  const span = { periodStart: period.from.toISOString(), periodEnd: period.to.toISOString() };
  /** A feature's usage this period: a gauge's current value, else the rollups' total. */
  const usage = (feature: string): number => {
    const entitlement = effective.entitlements[feature];
    const current = usedNow(entry.counters, feature, "", at.getTime());
    if (entitlement?.window === "period" || entitlement?.window === "never") {
      return Math.max(current, totals.get(feature) ?? 0);
    }
    return totals.get(feature) ?? 0;
  };

  const lines: InvoiceLine[] = baseLines ?? [baseLine(effective, span)];
  const priced = new Set<string>();
  for (const price of effective.prices) {
    priced.add(price.feature);
    lines.push(usageLine(effective, price, usage(price.feature), span));
  }
  for (const entitlement of Object.values(effective.entitlements)) {
    if (
      entitlement.enforcement !== "billable_overage" ||
      !entitlement.overage ||
      priced.has(entitlement.feature)
    )
      continue;
    if (entitlement.limit === null) continue;
    const excess = Math.max(0, usage(entitlement.feature) - entitlement.limit);
    const rated = rateUsage(
      { feature: entitlement.feature, model: "per_unit", unitAmount: entitlement.overage.unitAmount },
      excess,
      effective.currency,
    );
    lines.push({
      kind: "overage",
      description: `${entitlement.feature} past ${entitlement.limit}: ${excess} × ${entitlement.overage.unitAmount}`,
      feature: entitlement.feature,
      quantity: excess,
      amount: roundLine(rated.amount),
      exactAmount: rated.amount,
      ...span,
      source: entitlement.source,
    });
  }
  const subtotal = lines.reduce((sum, line) => sum + line.amount, 0);
  return {
    customerId: ref.customerId,
    env: ref.env,
    currency: effective.currency,
    ...span,
    plan: { key: effective.plan.key, version: effective.plan.version, label: effective.plan.label },
    lines,
    subtotal,
    amountDue: effective.skipBilling ? 0 : subtotal,
    skipBilling: effective.skipBilling,
    asOf: at.toISOString(),
  };
}

/** The plan's base fee over `span`: the whole of it by default, or `amount` for a part. */
export function baseLine(
  effective: EffectivePlan,
  span: { periodStart: string; periodEnd: string },
  amount = effective.basePrice,
  description = `${effective.plan.label}, per ${effective.interval}`,
): InvoiceLine {
  return {
    kind: "base",
    description,
    feature: null,
    quantity: 1,
    amount,
    exactAmount: String(amount),
    ...span,
    source: effective.explain.basePrice?.at(-1) ?? null,
  };
}

function usageLine(
  effective: EffectivePlan,
  price: Price,
  quantity: number,
  span: { periodStart: string; periodEnd: string },
): InvoiceLine {
  const rated = rateUsage(price, quantity, effective.currency);
  return {
    kind: "usage",
    description: `${price.feature} (${price.model}): ${quantity}`,
    feature: price.feature,
    quantity,
    amount: roundLine(rated.amount),
    exactAmount: rated.amount,
    breakdown: rated.breakdown,
    ...span,
    source: {
      kind: "plan_version",
      id: effective.plan.versionId,
      label: `${effective.plan.key} v${effective.plan.version}`,
    },
  };
}
