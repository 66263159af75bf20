import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ENFORCEMENT_MODES, type EntitlementSpec, SCOPES } from "../catalog/entitlement";
import { FEATURE_TYPES, type Feature } from "../catalog/feature";
import { INTERVALS, PLAN_KINDS, PlanTerms, type PlanVersion } from "../catalog/planVersion";
import { DEFAULT_MIN_CUSTOM_PRICE, validatePlanTerms } from "../catalog/validatePlanTerms";
import { WINDOWS } from "../time/windows";
import type { Source } from "./effectivePlan";
import { resolve } from "./resolve";

type CatalogFeature = Pick<Feature, "key" | "type">;

const key = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9_.-]{0,20}$/),
  // Keys that are also properties every object inherits must be plain keys here too.
  fc.constantFrom("constructor", "hasownproperty", "tostring", "valueof", "proto"),
);

const decimal = fc
  .tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 9_999 }))
  .map(([whole, fraction]) => `${whole}.${String(fraction).padStart(4, "0")}`);

const limit = fc.option(fc.integer({ min: 0, max: 1_000_000_000_000 }), { nil: null });

const common = {
  enabled: fc.boolean(),
  window: fc.constantFrom(...WINDOWS),
  thresholds: fc.array(fc.double({ min: 0.01, max: 10, noNaN: true }), { maxLength: 10 }),
  scope: fc.constantFrom(...SCOPES),
};

const configValue = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.boolean(),
  fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
);

/** A spec valid for the feature's type: only metered features take limits, overage and credit costs. */
function spec(type: CatalogFeature["type"]): fc.Arbitrary<Record<string, unknown>> {
  if (type !== "metered") {
    return fc.record(
      {
        ...common,
        enforcement: fc.constantFrom(...ENFORCEMENT_MODES.filter((m) => m !== "billable_overage")),
        ...(type === "config" ? { value: configValue } : {}),
      },
      { requiredKeys: [] },
    );
  }
  return fc
    .record(
      {
        ...common,
        limit,
        enforcement: fc.constantFrom(...ENFORCEMENT_MODES),
        overage: fc.option(
          decimal.map((unitAmount) => ({ unitAmount })),
          { nil: null },
        ),
        creditCost: fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: null }),
        throttle: fc.option(
          fc.integer({ min: 1, max: 10_000 }).map((perMinute) => ({ perMinute })),
          { nil: null },
        ),
      },
      { requiredKeys: [] },
    )
    .map((s) =>
      s.enforcement === "billable_overage" && !s.overage ? { ...s, overage: { unitAmount: "0.0004" } } : s,
    );
}

const specs = {
  boolean: spec("boolean"),
  config: spec("config"),
  metered: spec("metered"),
};

/** A catalog feature, and its entitlement when the plan version lists it. */
const catalogEntry = fc.record({
  key,
  typed: fc.oneof(
    ...FEATURE_TYPES.map((type) => fc.tuple(fc.constant(type), fc.option(specs[type], { nil: undefined }))),
  ),
});

const planCase = fc
  .record({
    catalog: fc.uniqueArray(catalogEntry, { minLength: 1, maxLength: 12, selector: (entry) => entry.key }),
    name: fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim().length > 0),
    kind: fc.constantFrom(...PLAN_KINDS),
    currency: fc.constantFrom("usd", "eur", "jpy"),
    interval: fc.constantFrom(...INTERVALS),
    basePrice: fc.integer({ min: 0, max: 10_000_000 }),
    paymentGraceDays: fc.integer({ min: 0, max: 90 }),
    trial: fc.option(
      fc.record({ days: fc.integer({ min: 1, max: 365 }), fallbackPlan: fc.constant("free") }),
      {
        nil: null,
      },
    ),
    seats: fc.record(
      {
        limit,
        enforcement: fc.constantFrom(...ENFORCEMENT_MODES),
        price: fc.integer({ min: 0, max: 100_000 }),
        included: fc.integer({ min: 0, max: 100 }),
      },
      { requiredKeys: [] },
    ),
    credits: fc.record(
      { perSeat: fc.integer({ min: -1, max: 1_000_000_000 }), price: decimal, neverExpire: fc.boolean() },
      { requiredKeys: [] },
    ),
    planKey: fc.stringMatching(/^[a-z][a-z0-9_]{0,20}$/),
    version: fc.integer({ min: 1, max: 1000 }),
  })
  .map(({ catalog, planKey, version, ...input }) => {
    const features = new Map<string, CatalogFeature>(
      catalog.map(({ key: k, typed: [type] }) => [k, { key: k, type }]),
    );
    const entitlements: Record<string, unknown> = {};
    for (const { key: k, typed } of catalog) if (typed[1] !== undefined) entitlements[k] = typed[1];
    const terms = PlanTerms.parse({ ...input, entitlements });
    const planVersion: PlanVersion = {
      ...terms,
      id: `pv_${planKey}_${version}`,
      planKey,
      version,
      effectiveFrom: terms.effectiveFrom ?? null,
      effectiveTo: terms.effectiveTo ?? null,
      publishedAt: new Date("2026-01-01T00:00:00Z"),
    };
    return { features, planVersion };
  });

const instant = fc.date({
  min: new Date("2000-01-01T00:00:00Z"),
  max: new Date("2100-01-01T00:00:00Z"),
  noInvalidDate: true,
});

/** What the README promises for an entitlement listed in a plan version with nothing on top. */
function expected(feature: CatalogFeature, s: EntitlementSpec) {
  const metered = feature.type === "metered";
  const lim = metered ? (s.limit ?? null) : null;
  return {
    feature: feature.key,
    type: feature.type,
    enabled: s.enabled ?? true,
    limit: lim,
    unlimited: lim === null,
    window: s.window ?? (metered ? "period" : "never"),
    enforcement: s.enforcement ?? (lim === null ? "allow" : "block"),
    overage: s.overage ?? null,
    thresholds: s.thresholds ?? [0.8, 0.9, 1.0],
    scope: s.scope ?? "customer",
    creditCost: s.creditCost ?? null,
    throttle: s.throttle ?? null,
    value: s.value ?? null,
  };
}

describe("resolve, property: a customer without overrides or add-ons gets exactly its plan version", () => {
  it("generates plan versions the catalog rules accept", () => {
    fc.assert(
      fc.property(planCase, ({ features, planVersion }) => {
        expect(() =>
          validatePlanTerms(planVersion, false, { features, minCustomPrice: DEFAULT_MIN_CUSTOM_PRICE }),
        ).not.toThrow();
      }),
    );
  });

  it("returns every plan-level value of the version, sourced from the version", () => {
    fc.assert(
      fc.property(planCase, instant, fc.boolean(), ({ features, planVersion: pv }, at, isCustom) => {
        const plan = { key: pv.planKey, kind: pv.kind, isCustom };
        const effective = resolve({ plan, planVersion: pv, features, overrideSets: [], addOns: [], at });
        const source: Source = { kind: "plan_version", id: pv.id, label: `${pv.planKey} v${pv.version}` };

        expect(effective.at).toBe(at);
        expect(effective.plan).toEqual({
          key: pv.planKey,
          version: pv.version,
          versionId: pv.id,
          name: pv.name,
          label: pv.name,
          kind: pv.kind,
          custom: isCustom,
        });
        expect(effective.currency).toBe(pv.currency);
        expect(effective.interval).toBe(pv.interval);
        expect(effective.basePrice).toBe(pv.basePrice);
        expect(effective.paymentGraceDays).toBe(pv.paymentGraceDays);
        expect(effective.trial).toEqual(pv.trial);
        expect(effective.seats).toEqual({
          limit: pv.seats.limit,
          unlimited: pv.seats.limit === null,
          enforcement: pv.seats.enforcement,
          price: pv.seats.price,
          included: pv.seats.included,
        });
        expect(effective.credits).toEqual({
          perSeat: pv.credits.perSeat,
          unlimited: pv.credits.perSeat === -1,
          price: pv.credits.price,
          neverExpire: pv.credits.neverExpire,
        });
        expect(effective.skipBilling).toBe(false);
        expect(effective.providerPriceIds).toEqual([]);
        expect(effective.overrideSetId).toBeNull();
        expect(effective.notes).toEqual([]);

        for (const field of [
          "label",
          "basePrice",
          "seats.limit",
          "seats.price",
          "seats.included",
          "credits.perSeat",
          "credits.price",
        ]) {
          expect(effective.explain[field], field).toEqual([source]);
        }
        expect(effective.explain["credits.neverExpire"]).toEqual([source]);
        // The one plan-level value a plan version has no term for.
        expect(effective.explain.skipBilling).toEqual([
          { kind: "default", id: "default", label: "built-in default" },
        ]);
      }),
    );
  });

  it("returns exactly the version's entitlements, each as the version says, sourced from it", () => {
    fc.assert(
      fc.property(planCase, instant, ({ features, planVersion: pv }, at) => {
        const effective = resolve({
          plan: { key: pv.planKey, kind: pv.kind, isCustom: false },
          planVersion: pv,
          features,
          overrideSets: [],
          addOns: [],
          at,
        });
        const source: Source = { kind: "plan_version", id: pv.id, label: `${pv.planKey} v${pv.version}` };

        expect(Object.keys(effective.entitlements).sort()).toEqual(Object.keys(pv.entitlements).sort());
        for (const [featureKey, s] of Object.entries(pv.entitlements)) {
          expect(Object.hasOwn(effective.entitlements, featureKey)).toBe(true);
          const e = effective.entitlements[featureKey];
          const feature = features.get(featureKey);
          if (!e || !feature) throw new Error(`${featureKey} missing`);
          const { source: eSource, explain, ...values } = e;
          expect(values, featureKey).toEqual(expected(feature, s));
          expect(eSource).toEqual(source);
          expect(Object.keys(explain).sort()).toEqual([...new Set(["enabled", ...Object.keys(s)])].sort());
          for (const rows of Object.values(explain)) expect(rows).toEqual([source]);
        }
      }),
    );
  });

  it("is pure: the same rows and instant give the same answer, and the version is left untouched", () => {
    fc.assert(
      fc.property(planCase, instant, ({ features, planVersion: pv }, at) => {
        const before = structuredClone(pv);
        const input = {
          plan: { key: pv.planKey, kind: pv.kind, isCustom: false },
          planVersion: pv,
          features,
          overrideSets: [],
          addOns: [],
          at,
        };
        expect(resolve(input)).toEqual(resolve(input));
        expect(pv).toEqual(before);
      }),
    );
  });
});
