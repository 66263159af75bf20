import {
  type EffectivePlan,
  notFound,
  type PreciseAmount,
  type Price,
  periodDays,
  prorate,
  type RatedPart,
  rateSeatStretch,
  rateUsage,
  rateUsageBetween,
  roundLine,
  type SeatHolding,
  type Source,
  seatStretches,
  toMajorUnits,
} from "@tollgate/core";
import { catalogFeatures } from "../catalog/catalogFeatures";
import type { CustomerRef, EngineDeps } from "../context";
import { currentEntitlements } from "../entitlements/currentEntitlements";
import type { CustomerEntitlements } from "../entitlements/loadEntitlements";
import { usedInWindow } from "../metering/counters";
import { usageTotals } from "../metering/usageSeries";
import { seatHoldings } from "../seats/seatHoldings";
import { type ContractSpan, currentPeriodSpans } from "./contractSpans";

export interface InvoiceLine {
  kind: "base" | "seats" | "usage" | "overage";
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
 * is the sum of the lines. A period shared with an earlier (or a scheduled) contract is rated
 * as the period close will rate it.
 */
export async function upcomingInvoice(deps: EngineDeps, ref: CustomerRef): Promise<InvoicePreview> {
  const entry = await currentEntitlements(deps, ref);
  if (!entry.effective || !entry.period) {
    throw notFound("no_subscription", `${ref.customerId} has no plan in force`, "id");
  }
  const spans = await currentPeriodSpans(deps, ref, entry.period, entry);
  return rateInvoice(deps, ref, entry, entry.period, spans, deps.clock());
}

type Span = { periodStart: string; periodEnd: string };

/**
 * The invoice of `period`, billed by the contracts of `spans` (in order; one covering the whole
 * period in the usual case), with `entry` the contract at the period's end (the invoice's plan,
 * currency and billing) resolved at `at`: the preview rates the current period so far, the
 * period close a closed one whole.
 * - Base fee: the plan's, or each contract's share of it to the second when the period was split
 *   (a plan change, a cancellation, a trial ending in it).
 * - Seats, when the contract prices them: by the day, each day at the seats held at its end past
 *   the ones the base fee includes, at the contract's seat price (`seatStretches`); a line per
 *   stretch of days with the same count, so a seat change shows as the day it took effect.
 * - Usage of a feature that adds up (sum, count, unique count; not in a lifetime window): each
 *   contract rates what the period's running total gained while it was in force
 *   (`rateUsageBetween`), by the hour it was recorded in (the hour of a change goes to the new
 *   contract); overage likewise, past each contract's own limit. Trial usage is not billed.
 * - Usage of a gauge (latest, max) or a lifetime window is a level, not a sum: rated once, on the
 *   period's value, by the contract at the period's end.
 */
export async function rateInvoice(
  deps: EngineDeps,
  ref: CustomerRef,
  entry: CustomerEntitlements,
  period: { from: Date; to: Date },
  spans: readonly ContractSpan[],
  at: Date,
): Promise<InvoicePreview> {
  const { effective } = entry;
  if (!effective) throw notFound("no_subscription", `${ref.customerId} has no plan in force`, "id");
  const features = await catalogFeatures(deps);
  const whole = toSpan(period);
  const totals = await usageTotals(deps, ref, period.from, period.to);
  const runningTotals = new Map<number, Promise<Map<string, number>>>();
  /** A feature's running total at `instant` (the rollups before its hour). */
  const totalAt = async (feature: string, instant: Date): Promise<number> => {
    if (instant <= period.from) return 0;
    let found = runningTotals.get(instant.getTime());
    if (!found) {
      found = usageTotals(deps, ref, period.from, instant);
      runningTotals.set(instant.getTime(), found);
    }
    return (await found).get(feature) ?? 0;
  };
  /** A feature's usage this period: a gauge's current value, else the rollups' total. */
  const usage = (feature: string): number => {
    const entitlement = effective.entitlements[feature];
    const current = entitlement ? usedInWindow(entry, feature, "", entitlement.window, at.getTime()) : 0;
    if (entitlement?.window === "period" || entitlement?.window === "never") {
      return Math.max(current, totals.get(feature) ?? 0);
    }
    return totals.get(feature) ?? 0;
  };
  const addsUp = (plan: EffectivePlan, feature: string): boolean => {
    const aggregation = features.get(feature)?.aggregation ?? "sum";
    return (
      aggregation !== "latest" && aggregation !== "max" && plan.entitlements[feature]?.window !== "never"
    );
  };

  let holdings: Promise<SeatHolding[]> | undefined;
  const seatsHeld = () => {
    holdings ??= seatHoldings(deps.db, ref, period);
    return holdings;
  };

  const only = spans.length === 1 ? spans[0] : undefined;
  const split = !(only && only.from <= period.from && only.to >= period.to);
  const lines: InvoiceLine[] = [];
  for (const [index, contract] of spans.entries()) {
    const plan = contract.entry.effective;
    if (!plan) continue;
    const span = split ? toSpan(contract) : whole;
    lines.push(
      split
        ? baseLine(
            plan,
            span,
            prorate(plan.basePrice, period, contract.from, contract.to),
            `${plan.plan.label}, ${span.periodStart} to ${span.periodEnd} of the ${plan.interval}`,
          )
        : baseLine(plan, span),
    );
    if (plan.seats.price > 0) {
      lines.push(...seatLines(plan, period, contract, await seatsHeld()));
    }
    const last = index === spans.length - 1;
    /** The running totals this contract rates a feature between, or null when it rates none. */
    const range = async (feature: string): Promise<[number, number] | null> => {
      if (!addsUp(plan, feature)) return last ? [0, usage(feature)] : null;
      const before = await totalAt(feature, contract.from);
      const after = last ? usage(feature) : await totalAt(feature, contract.to);
      return [before, Math.max(before, after)];
    };
    const priced = new Set<string>();
    for (const price of plan.prices) {
      priced.add(price.feature);
      const between = await range(price.feature);
      if (between) lines.push(usageLine(plan, price, between, index === 0, span));
    }
    for (const entitlement of Object.values(plan.entitlements)) {
      const { feature, limit, overage } = entitlement;
      if (entitlement.enforcement !== "billable_overage" || !overage || priced.has(feature)) continue;
      if (limit === null) continue;
      const between = await range(feature);
      if (!between) continue;
      const [before, after] = between;
      const excess = Math.max(0, after - limit) - Math.max(0, before - limit);
      const rated = rateUsage(
        { feature, model: "per_unit", unitAmount: overage.unitAmount },
        excess,
        plan.currency,
      );
      lines.push({
        kind: "overage",
        description: `${feature} past ${limit}: ${excess} × ${overage.unitAmount}`,
        feature,
        quantity: excess,
        amount: roundLine(rated.amount),
        exactAmount: rated.amount,
        ...span,
        source: entitlement.source,
      });
    }
  }
  const subtotal = lines.reduce((sum, line) => sum + line.amount, 0);
  return {
    customerId: ref.customerId,
    env: ref.env,
    currency: effective.currency,
    ...whole,
    plan: { key: effective.plan.key, version: effective.plan.version, label: effective.plan.label },
    lines,
    subtotal,
    amountDue: effective.skipBilling ? 0 : subtotal,
    skipBilling: effective.skipBilling,
    asOf: at.toISOString(),
  };
}

const toSpan = (interval: { from: Date; to: Date }): Span => ({
  periodStart: interval.from.toISOString(),
  periodEnd: interval.to.toISOString(),
});

/** The plan's base fee over `span`: the whole of it by default, or `amount` for a part. */
export function baseLine(
  effective: EffectivePlan,
  span: Span,
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

/** The seat lines of one contract's span of `period`: one per stretch of days billing seats. */
function seatLines(
  plan: EffectivePlan,
  period: { from: Date; to: Date },
  span: { from: Date; to: Date },
  holdings: readonly SeatHolding[],
): InvoiceLine[] {
  const { price, included } = plan.seats;
  const source = plan.explain["seats.price"]?.at(-1) ?? null;
  return seatStretches(period, span, holdings).flatMap((stretch) => {
    const rated = rateSeatStretch(price, included, stretch, period);
    if (rated.billed === 0) return [];
    const beyond = included > 0 ? ` past ${included} included` : "";
    const each = `${toMajorUnits(price, plan.currency)} ${plan.currency}`;
    return [
      {
        kind: "seats" as const,
        description: `${rated.billed} seat${rated.billed === 1 ? "" : "s"}${beyond} × ${each} for ${stretch.days} of ${periodDays(period)} days`,
        feature: null,
        quantity: rated.billed,
        amount: rated.amount,
        exactAmount: rated.exactAmount,
        ...toSpan(stretch),
        source,
      },
    ];
  });
}

function usageLine(
  effective: EffectivePlan,
  price: Price,
  [before, after]: [number, number],
  opensPeriod: boolean,
  span: Span,
): InvoiceLine {
  const whole = before === 0 && opensPeriod;
  const rated: { amount: string; breakdown?: RatedPart[] } = whole
    ? rateUsage(price, after, effective.currency)
    : rateUsageBetween(price, before, after, effective.currency, opensPeriod);
  const quantity = after - before;
  return {
    kind: "usage",
    description: `${price.feature} (${price.model}): ${quantity}${whole ? "" : `, from ${before} to ${after} this period`}`,
    feature: price.feature,
    quantity,
    amount: roundLine(rated.amount),
    exactAmount: rated.amount,
    ...(rated.breakdown ? { breakdown: rated.breakdown } : {}),
    ...span,
    source: {
      kind: "plan_version",
      id: effective.plan.versionId,
      label: `${effective.plan.key} v${effective.plan.version}`,
    },
  };
}
