import { unprocessable } from "../errors/TollgateError";
import { perInterval } from "../time/billingPeriod";
import { assertValidPrice } from "./assertValidPrice";
import type { Feature } from "./feature";
import type { Overrides } from "./override";
import type { PlanTerms, Price } from "./planVersion";

/** $50.00 a month: a paid custom plan below this is a mistake or a deal that needs approval. */
export const DEFAULT_MIN_CUSTOM_PRICE = 5000;

export interface CatalogRules {
  features: ReadonlyMap<string, Pick<Feature, "key" | "type">>;
  minCustomPrice: number;
}

/**
 * Rules a plan version must satisfy beyond its shape. Throws the first broken rule as a
 * TollgateError naming the field at fault.
 */
export function validatePlanTerms(terms: PlanTerms, isCustom: boolean, rules: CatalogRules): void {
  const monthlyMinimum = perInterval(rules.minCustomPrice, terms.interval);
  if (isCustom && terms.basePrice > 0 && terms.basePrice < monthlyMinimum) {
    throw unprocessable(
      "custom_plan_below_minimum",
      `a paid custom plan costs at least ${monthlyMinimum} minor units per ${terms.interval}`,
      "basePrice",
    );
  }
  if (terms.effectiveFrom && terms.effectiveTo && terms.effectiveTo <= terms.effectiveFrom) {
    throw unprocessable("invalid_effective_range", "effectiveTo must be after effectiveFrom", "effectiveTo");
  }
  for (const [key, spec] of Object.entries(terms.entitlements)) {
    const feature = requireFeature(rules, key, `entitlements.${key}`);
    if (feature.type !== "metered") {
      const field = spec.limit != null ? "limit" : spec.overage != null ? "overage" : "creditCost";
      if (spec[field] != null) {
        throw unprocessable(
          "limit_on_unmetered_feature",
          `${key} is ${feature.type}: it takes no ${field}`,
          `entitlements.${key}.${field}`,
        );
      }
    }
    if (spec.enforcement === "billable_overage" && !spec.overage) {
      throw unprocessable(
        "overage_price_required",
        `${key} bills overage: give overage.unitAmount`,
        `entitlements.${key}.overage`,
      );
    }
  }
  for (const [index, price] of terms.prices.entries()) validatePrice(price, `prices.${index}`, rules);
}

function validatePrice(price: Price, param: string, rules: CatalogRules): void {
  const feature = requireFeature(rules, price.feature, `${param}.feature`);
  if (feature.type !== "metered") {
    throw unprocessable(
      "price_on_unmetered_feature",
      `${price.feature} is not metered: it cannot be rated`,
      `${param}.feature`,
    );
  }
  assertValidPrice(price, param);
}

/** Overrides must name known features, and limits only on metered ones. */
export function validateOverrides(overrides: Overrides, rules: Pick<CatalogRules, "features">): void {
  (overrides.additionalFeatures ?? []).forEach((key, i) => {
    requireFeature(rules, key, `overrides.additionalFeatures.${i}`);
  });
  for (const [key, change] of Object.entries(overrides.entitlements ?? {})) {
    const feature = requireFeature(rules, key, `overrides.entitlements.${key}`);
    if (feature.type !== "metered" && change.limit != null) {
      throw unprocessable(
        "limit_on_unmetered_feature",
        `${key} is ${feature.type}: it takes no limit`,
        `overrides.entitlements.${key}.limit`,
      );
    }
  }
}

function requireFeature(rules: Pick<CatalogRules, "features">, key: string, param: string) {
  const feature = rules.features.get(key);
  if (!feature) throw unprocessable("unknown_feature", `no feature "${key}" in the catalog`, param);
  return feature;
}
