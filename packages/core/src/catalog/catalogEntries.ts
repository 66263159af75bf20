import type { z } from "zod";
import type { CatalogFeature, CatalogPlan } from "./catalogFile";
import type { FeatureFields } from "./feature";
import { PlanTerms, type PlanVersion } from "./planVersion";

export type CatalogFeatureEntry = z.input<typeof CatalogFeature>;
export type CatalogPlanEntry = z.input<typeof CatalogPlan>;

/** A stored feature as a catalog file lists it: the fields it has, in the order of the API body. */
export function featureEntry(feature: FeatureFields): CatalogFeatureEntry {
  return {
    key: feature.key,
    name: feature.name,
    type: feature.type,
    ...(feature.unit === null ? {} : { unit: feature.unit }),
    ...(feature.aggregation === null ? {} : { aggregation: feature.aggregation }),
    ...(feature.uniqueProperty === null ? {} : { uniqueProperty: feature.uniqueProperty }),
    ...(feature.description === null ? {} : { description: feature.description }),
  };
}

/**
 * A published version as a catalog file lists its plan: fields in the order of the API body
 * (parsing orders them; the database keeps its own order), entitlements by feature key.
 */
export function planEntry(key: string, version: PlanVersion): CatalogPlanEntry {
  const terms = PlanTerms.parse(version);
  const entitlements = Object.fromEntries(
    Object.entries(terms.entitlements).sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  return {
    key,
    name: terms.name,
    kind: terms.kind,
    currency: terms.currency,
    interval: terms.interval,
    basePrice: terms.basePrice,
    ...(terms.trial ? { trial: terms.trial } : {}),
    paymentGraceDays: terms.paymentGraceDays,
    ...(terms.effectiveFrom ? { effectiveFrom: terms.effectiveFrom.toISOString() } : {}),
    ...(terms.effectiveTo ? { effectiveTo: terms.effectiveTo.toISOString() } : {}),
    seats: terms.seats,
    credits: terms.credits,
    entitlements,
    prices: terms.prices,
  };
}

/** The terms a file's plan would publish. */
export function planTermsOf(plan: CatalogPlan): PlanTerms {
  const { key: _key, custom: _custom, customerId: _customerId, ...terms } = plan;
  return terms;
}

/** Terms as JSON (instants as ISO strings, absent dates as null), for comparing and showing. */
export function comparableTerms(terms: PlanTerms): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify({
      ...terms,
      effectiveFrom: terms.effectiveFrom ?? null,
      effectiveTo: terms.effectiveTo ?? null,
    }),
  );
}
