import { DEFAULT_THRESHOLDS, type EntitlementSpec } from "../catalog/entitlement";
import type { Feature } from "../catalog/feature";
import type { AddOn, OverrideSet } from "../catalog/override";
import type { Plan, PlanVersion } from "../catalog/planVersion";
import { perInterval } from "../time/billingPeriod";
import { contains } from "../time/interval";
import type { EffectiveEntitlement, EffectivePlan, Source } from "./effectivePlan";

export interface ResolveInput {
  plan: Pick<Plan, "key" | "kind" | "isCustom">;
  planVersion: PlanVersion;
  /** Catalog features by key; entitlements of unknown features are dropped with a note. */
  features: ReadonlyMap<string, Pick<Feature, "key" | "type">>;
  /** The customer's override sets; the one in force at `at` applies. */
  overrideSets: readonly OverrideSet[];
  addOns: readonly AddOn[];
  at: Date;
}

const DEFAULT_SOURCE: Source = { kind: "default", id: "default", label: "built-in default" };

/**
 * What a customer may do at instant `at`: the plan version, then the override set in force,
 * then add-ons. Pure: the same rows and instant always give the same answer, and every value
 * names the rows that set it.
 */
export function resolve(input: ResolveInput): EffectivePlan {
  const { plan, planVersion: pv, features, at } = input;
  const planSource: Source = { kind: "plan_version", id: pv.id, label: `${pv.planKey} v${pv.version}` };
  const notes: string[] = [];
  const explain: Record<string, Source[]> = {};
  const set = <T>(field: string, value: T, source: Source): T => {
    explain[field] = [source];
    return value;
  };

  const entitlements: Record<string, EffectiveEntitlement> = {};
  for (const [key, spec] of Object.entries(pv.entitlements)) {
    const feature = features.get(key);
    if (!feature) {
      notes.push(`${planSource.label} names unknown feature "${key}"; ignored`);
      continue;
    }
    entitlements[key] = fromSpec(feature, spec, planSource);
  }

  const effective: EffectivePlan = {
    at,
    plan: {
      key: pv.planKey,
      version: pv.version,
      versionId: pv.id,
      name: pv.name,
      label: set("label", pv.name, planSource),
      kind: pv.kind, // the version's: a later version may change the kind, not this contract's
      custom: plan.isCustom,
    },
    currency: pv.currency,
    interval: pv.interval,
    basePrice: set("basePrice", pv.basePrice, planSource),
    paymentGraceDays: pv.paymentGraceDays,
    trial: pv.trial,
    seats: {
      limit: set("seats.limit", pv.seats.limit, planSource),
      unlimited: pv.seats.limit === null,
      enforcement: pv.seats.enforcement,
      price: set("seats.price", pv.seats.price, planSource),
      included: set("seats.included", pv.seats.included, planSource),
    },
    credits: {
      perSeat: set("credits.perSeat", pv.credits.perSeat, planSource),
      unlimited: pv.credits.perSeat === -1,
      price: set("credits.price", pv.credits.price, planSource),
      neverExpire: set("credits.neverExpire", pv.credits.neverExpire, planSource),
    },
    skipBilling: set("skipBilling", false, DEFAULT_SOURCE),
    providerPriceIds: [],
    prices: pv.prices,
    entitlements,
    overrideSetId: null,
    notes,
    explain,
  };

  const overrideSet = input.overrideSets.find((s) =>
    contains({ from: s.effectiveFrom, to: s.effectiveTo }, at),
  );
  if (overrideSet) applyOverrideSet(effective, overrideSet, features, set);
  for (const addOn of input.addOns) {
    if (contains({ from: addOn.effectiveFrom, to: addOn.effectiveTo }, at))
      applyAddOn(effective, addOn, features);
  }
  return effective;
}

function fromSpec(
  feature: Pick<Feature, "key" | "type">,
  spec: EntitlementSpec,
  source: Source,
): EffectiveEntitlement {
  const metered = feature.type === "metered";
  const limit = metered ? (spec.limit ?? null) : null;
  const entitlement: EffectiveEntitlement = {
    feature: feature.key,
    type: feature.type,
    enabled: spec.enabled ?? true,
    limit,
    unlimited: limit === null,
    window: spec.window ?? (metered ? "period" : "never"),
    enforcement: spec.enforcement ?? (limit === null ? "allow" : "block"),
    overage: spec.overage ?? null,
    thresholds: spec.thresholds ?? DEFAULT_THRESHOLDS,
    scope: spec.scope ?? "customer",
    creditCost: spec.creditCost ?? null,
    throttle: spec.throttle ?? null,
    value: spec.value ?? null,
    source,
    explain: {},
  };
  for (const field of Object.keys(spec)) entitlement.explain[field] = [source];
  if (!("enabled" in spec)) entitlement.explain.enabled = [source];
  return entitlement;
}

type Setter = <T>(field: string, value: T, source: Source) => T;

function applyOverrideSet(
  effective: EffectivePlan,
  overrideSet: OverrideSet,
  features: ResolveInput["features"],
  set: Setter,
): void {
  const o = overrideSet.overrides;
  const source: Source = { kind: "override", id: overrideSet.id, label: `override ${overrideSet.id}` };
  if (o.basePlanId !== undefined && o.basePlanId !== effective.plan.key) {
    effective.notes.push(
      `${source.label} is for base plan "${o.basePlanId}", not "${effective.plan.key}"; not applied`,
    );
    return;
  }
  effective.overrideSetId = overrideSet.id;
  if (o.planLabel !== undefined) effective.plan.label = set("label", o.planLabel, source);
  if (o.monthlyBase !== undefined) {
    effective.basePrice = set("basePrice", perInterval(o.monthlyBase, effective.interval), source);
  }
  if (o.seatLimit !== undefined) {
    effective.seats.limit = set("seats.limit", o.seatLimit === -1 ? null : o.seatLimit, source);
    effective.seats.unlimited = o.seatLimit === -1;
  }
  if (o.monthlySeatPrice !== undefined) {
    effective.seats.price = set("seats.price", perInterval(o.monthlySeatPrice, effective.interval), source);
  }
  if (o.includedSeats !== undefined) {
    effective.seats.included = set("seats.included", o.includedSeats, source);
  }
  if (o.includedCredits !== undefined) {
    effective.credits.perSeat = set("credits.perSeat", o.includedCredits, source);
    effective.credits.unlimited = o.includedCredits === -1;
  }
  if (o.creditPrice !== undefined) effective.credits.price = set("credits.price", o.creditPrice, source);
  if (o.creditsNeverExpire !== undefined) {
    effective.credits.neverExpire = set("credits.neverExpire", o.creditsNeverExpire, source);
  }
  if (o.skipBilling !== undefined) effective.skipBilling = set("skipBilling", o.skipBilling, source);
  if (o.stripePriceIds !== undefined) {
    effective.providerPriceIds = set("providerPriceIds", [...o.stripePriceIds], source);
  }
  for (const key of o.additionalFeatures ?? []) {
    const entitlement = entitlementFor(effective, key, features, source);
    if (!entitlement) continue;
    entitlement.enabled = true;
    record(entitlement, "enabled", source);
  }
  for (const [key, change] of Object.entries(o.entitlements ?? {})) {
    const entitlement = entitlementFor(effective, key, features, source);
    if (!entitlement) continue;
    for (const [field, value] of Object.entries(change)) {
      if (value === undefined) continue;
      (entitlement as unknown as Record<string, unknown>)[field] = value;
      record(entitlement, field, source);
    }
    entitlement.unlimited = entitlement.limit === null;
    if (
      change.limit !== undefined &&
      change.enforcement === undefined &&
      entitlement.enforcement === "allow"
    ) {
      entitlement.enforcement = entitlement.limit === null ? "allow" : "block";
    }
  }
}

function applyAddOn(effective: EffectivePlan, addOn: AddOn, features: ResolveInput["features"]): void {
  const source: Source = { kind: "add_on", id: addOn.id, label: `add-on ${addOn.key}` };
  for (const [key, change] of Object.entries(addOn.entitlements)) {
    const entitlement = entitlementFor(effective, key, features, source);
    if (!entitlement) continue;
    if (change.enabled !== undefined) {
      entitlement.enabled = change.enabled;
      record(entitlement, "enabled", source);
    }
    if (change.limitIncrement !== undefined && entitlement.limit !== null) {
      entitlement.limit += change.limitIncrement;
      entitlement.explain.limit = [...(entitlement.explain.limit ?? []), source];
      entitlement.source = source;
    }
  }
}

/** The entitlement to change, creating a disabled one for a feature the plan does not list. */
function entitlementFor(
  effective: EffectivePlan,
  key: string,
  features: ResolveInput["features"],
  source: Source,
): EffectiveEntitlement | undefined {
  // Own keys only: a feature may be keyed "constructor", which every object inherits.
  const existing = Object.hasOwn(effective.entitlements, key) ? effective.entitlements[key] : undefined;
  if (existing) return existing;
  const feature = features.get(key);
  if (!feature) {
    effective.notes.push(`${source.label} names unknown feature "${key}"; ignored`);
    return undefined;
  }
  const created = fromSpec(feature, { enabled: false }, source);
  effective.entitlements[key] = created;
  return created;
}

function record(entitlement: EffectiveEntitlement, field: string, source: Source): void {
  entitlement.explain[field] = [source];
  entitlement.source = source;
}
