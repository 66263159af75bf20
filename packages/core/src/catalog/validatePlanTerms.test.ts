import { describe, expect, it } from "vitest";
import { features } from "../../test/catalogFixtures";
import { TollgateError } from "../errors/TollgateError";
import { Overrides } from "./override";
import { PlanTerms } from "./planVersion";
import {
  type CatalogRules,
  DEFAULT_MIN_CUSTOM_PRICE,
  validateOverrides,
  validatePlanTerms,
} from "./validatePlanTerms";

const rules: CatalogRules = { features, minCustomPrice: DEFAULT_MIN_CUSTOM_PRICE };

const terms = (input: Record<string, unknown>) => PlanTerms.parse({ name: "Cronicorn", ...input });

/** The TollgateError `fn` throws (failing the test if it throws nothing or something else). */
function errorOf(fn: () => void): TollgateError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TollgateError);
    return error as TollgateError;
  }
  throw new Error("expected a TollgateError, nothing was thrown");
}

function expectRefused(fn: () => void, code: string, param: string) {
  const error = errorOf(fn);
  expect({ type: error.type, code: error.code, param: error.param }).toEqual({
    type: "unprocessable",
    code,
    param,
  });
  expect(error.message.length).toBeGreaterThan(10);
  return error;
}

describe("validatePlanTerms", () => {
  it("passes valid terms: the design's team_pro and the Cronicorn deal", () => {
    const teamPro = terms({
      name: "Team Pro",
      basePrice: 4900,
      trial: { days: 14, fallbackPlan: "free" },
      seats: { limit: 25, enforcement: "block" },
      credits: { perSeat: 100, price: "1.00", neverExpire: false },
      entitlements: {
        ai_chat: { enabled: true },
        sso: { enabled: false },
        "support.tier": { value: "standard" },
        ai_tokens: {
          limit: 1_000_000,
          window: "period",
          enforcement: "billable_overage",
          overage: { unitAmount: "0.0004" },
          thresholds: [0.8, 0.9, 1.0],
          scope: "customer",
          creditCost: null,
        },
        endpoints: { limit: 100, window: "never", enforcement: "block" },
      },
      prices: [
        {
          feature: "ai_tokens",
          model: "graduated",
          tiers: [
            { upTo: 500, unitAmount: "0" },
            { upTo: null, unitAmount: "0.12", flatAmount: 0 },
          ],
        },
        { feature: "endpoints", model: "package", packageSize: 1000, amount: 500, round: "up" },
      ],
    });
    expect(() => validatePlanTerms(teamPro, false, rules)).not.toThrow();

    const cronicorn = terms({
      kind: "custom",
      basePrice: 19_900,
      effectiveFrom: "2026-03-01T00:00:00Z",
      effectiveTo: "2027-03-01T00:00:00Z",
      entitlements: { endpoints: { limit: 500 }, ai_tokens: { limit: 5_000_000, enforcement: "block" } },
    });
    expect(() => validatePlanTerms(cronicorn, true, rules)).not.toThrow();
  });

  describe("custom plan minimum price", () => {
    it("refuses a paid custom plan below the minimum, naming basePrice", () => {
      const error = expectRefused(
        () => validatePlanTerms(terms({ basePrice: DEFAULT_MIN_CUSTOM_PRICE - 1 }), true, rules),
        "custom_plan_below_minimum",
        "basePrice",
      );
      expect(error.message).toContain("5000");
      expectRefused(
        () => validatePlanTerms(terms({ basePrice: 1 }), true, rules),
        "custom_plan_below_minimum",
        "basePrice",
      );
    });

    it("accepts a custom plan at the minimum, a free custom plan, and a cheap standard plan", () => {
      expect(DEFAULT_MIN_CUSTOM_PRICE).toBe(5000);
      expect(() => validatePlanTerms(terms({ basePrice: 5000 }), true, rules)).not.toThrow();
      expect(() => validatePlanTerms(terms({ basePrice: 0 }), true, rules)).not.toThrow();
      expect(() => validatePlanTerms(terms({ basePrice: 100 }), false, rules)).not.toThrow();
    });

    it("counts the minimum per year for a yearly plan", () => {
      const yearly = (basePrice: number) => terms({ basePrice, interval: "year" });
      expectRefused(
        () => validatePlanTerms(yearly(59_999), true, rules),
        "custom_plan_below_minimum",
        "basePrice",
      );
      expect(() => validatePlanTerms(yearly(60_000), true, rules)).not.toThrow();
    });

    it("takes the minimum from the rules", () => {
      const strict = { ...rules, minCustomPrice: 20_000 };
      expectRefused(
        () => validatePlanTerms(terms({ basePrice: 19_900 }), true, strict),
        "custom_plan_below_minimum",
        "basePrice",
      );
      const lax = { ...rules, minCustomPrice: 100 };
      expect(() => validatePlanTerms(terms({ basePrice: 100 }), true, lax)).not.toThrow();
    });
  });

  it("refuses an effective range that ends before or when it starts", () => {
    for (const effectiveTo of ["2026-01-01T00:00:00Z", "2025-12-31T00:00:00Z"]) {
      expectRefused(
        () => validatePlanTerms(terms({ effectiveFrom: "2026-01-01T00:00:00Z", effectiveTo }), false, rules),
        "invalid_effective_range",
        "effectiveTo",
      );
    }
    const openEnded = terms({ effectiveFrom: "2026-01-01T00:00:00Z", effectiveTo: null });
    expect(() => validatePlanTerms(openEnded, false, rules)).not.toThrow();
  });

  it("refuses an entitlement of a feature not in the catalog", () => {
    expectRefused(
      () => validatePlanTerms(terms({ entitlements: { teleport: { enabled: true } } }), false, rules),
      "unknown_feature",
      "entitlements.teleport",
    );
  });

  it("refuses a limit, an overage price or a credit cost on a boolean or config feature", () => {
    expectRefused(
      () => validatePlanTerms(terms({ entitlements: { sso: { limit: 5 } } }), false, rules),
      "limit_on_unmetered_feature",
      "entitlements.sso.limit",
    );
    expectRefused(
      () => validatePlanTerms(terms({ entitlements: { "support.tier": { limit: 3 } } }), false, rules),
      "limit_on_unmetered_feature",
      "entitlements.support.tier.limit",
    );
    const overage = terms({ entitlements: { ai_chat: { overage: { unitAmount: "0.01" } } } });
    expectRefused(
      () => validatePlanTerms(overage, false, rules),
      "limit_on_unmetered_feature",
      "entitlements.ai_chat.overage",
    );
    const creditCost = terms({ entitlements: { ai_chat: { creditCost: 2 } } });
    expectRefused(
      () => validatePlanTerms(creditCost, false, rules),
      "limit_on_unmetered_feature",
      "entitlements.ai_chat.creditCost",
    );
    // An explicit "unlimited" is no limit.
    const unlimited = terms({ entitlements: { sso: { enabled: true, limit: null } } });
    expect(() => validatePlanTerms(unlimited, false, rules)).not.toThrow();
  });

  it("refuses billable_overage without an overage price", () => {
    expectRefused(
      () =>
        validatePlanTerms(
          terms({ entitlements: { ai_tokens: { limit: 10, enforcement: "billable_overage" } } }),
          false,
          rules,
        ),
      "overage_price_required",
      "entitlements.ai_tokens.overage",
    );
    expectRefused(
      () =>
        validatePlanTerms(
          terms({
            entitlements: { ai_tokens: { limit: 10, enforcement: "billable_overage", overage: null } },
          }),
          false,
          rules,
        ),
      "overage_price_required",
      "entitlements.ai_tokens.overage",
    );
  });

  describe("prices", () => {
    const withPrice = (price: Record<string, unknown>, index = 0) => {
      const prices = [
        ...Array.from({ length: index }, () => ({
          feature: "ai_tokens",
          model: "per_unit",
          unitAmount: "0.01",
        })),
        price,
      ];
      return terms({ prices });
    };

    it("refuses a price on a feature not in the catalog or not metered", () => {
      expectRefused(
        () => validatePlanTerms(withPrice({ feature: "teleport", model: "flat", amount: 100 }), false, rules),
        "unknown_feature",
        "prices.0.feature",
      );
      expectRefused(
        () => validatePlanTerms(withPrice({ feature: "sso", model: "flat", amount: 100 }, 2), false, rules),
        "price_on_unmetered_feature",
        "prices.2.feature",
      );
    });

    it("refuses a price missing the field its model needs", () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ model: "flat" }, "amount"],
        [{ model: "per_unit" }, "unitAmount"],
        [{ model: "package", amount: 500 }, "packageSize"],
        [{ model: "package", packageSize: 1000 }, "amount"],
        [{ model: "graduated" }, "tiers"],
        [{ model: "volume" }, "tiers"],
      ];
      for (const [price, field] of cases) {
        expectRefused(
          () => validatePlanTerms(withPrice({ feature: "ai_tokens", ...price }, 1), false, rules),
          "price_field_required",
          `prices.1.${field}`,
        );
      }
    });

    it("accepts each model with its fields", () => {
      const ok: Record<string, unknown>[] = [
        { model: "flat", amount: 0 },
        { model: "per_unit", unitAmount: "0.0004" },
        { model: "package", packageSize: 1000, amount: 500 },
        { model: "graduated", tiers: [{ upTo: null, unitAmount: "0.1" }] },
        { model: "volume", tiers: [{ upTo: 10 }, { upTo: 100 }, { upTo: null }] },
      ];
      for (const price of ok) {
        expect(() =>
          validatePlanTerms(withPrice({ feature: "ai_tokens", ...price }), false, rules),
        ).not.toThrow();
      }
    });

    it("refuses a field the price's model does not read, so it is never silently ignored", () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ model: "flat", amount: 5000, freeUnits: 100 }, "freeUnits"],
        [{ model: "per_unit", unitAmount: "0.01", round: "down" }, "round"],
        [{ model: "graduated", tiers: [{ upTo: null }], unitAmount: "0.01" }, "unitAmount"],
      ];
      for (const [price, field] of cases) {
        expectRefused(
          () => validatePlanTerms(withPrice({ feature: "ai_tokens", ...price }, 1), false, rules),
          "price_field_not_allowed",
          `prices.1.${field}`,
        );
      }
    });

    it("refuses tiers that do not rise strictly or do not end with upTo: null", () => {
      const cases: [unknown[], number][] = [
        [[{ upTo: 100 }], 0], // the last tier is bounded
        [[{ upTo: 100 }, { upTo: 200 }], 1],
        [[{ upTo: null }, { upTo: null }], 0], // an open tier before the last
        [[{ upTo: 100 }, { upTo: 100 }, { upTo: null }], 1], // not strictly rising
        [[{ upTo: 100 }, { upTo: 50 }, { upTo: null }], 1],
      ];
      for (const [tiers, at] of cases) {
        for (const model of ["graduated", "volume"]) {
          expectRefused(
            () => validatePlanTerms(withPrice({ feature: "ai_tokens", model, tiers }), false, rules),
            "invalid_tiers",
            `prices.0.tiers.${at}.upTo`,
          );
        }
      }
    });
  });
});

describe("validateOverrides", () => {
  const overrides = (input: unknown) => Overrides.parse(input);

  it("passes the Acme and employee overrides", () => {
    const acme = overrides({
      basePlanId: "team_pro",
      includedCredits: 500,
      creditPrice: "0.70",
      monthlyBase: 19_900,
      additionalFeatures: ["infra_dedicated", "sla_custom"],
      seatLimit: 50,
      planLabel: "Acme Corp Enterprise",
      creditsNeverExpire: false,
      skipBilling: false,
      stripePriceIds: ["price_123"],
      entitlements: { ai_tokens: { limit: 5_000_000, enforcement: "grace" }, sso: { enabled: true } },
    });
    expect(() => validateOverrides(acme, { features })).not.toThrow();
    const employee = overrides({ includedCredits: -1, creditPrice: "0", skipBilling: true });
    expect(() => validateOverrides(employee, { features })).not.toThrow();
    expect(() => validateOverrides(overrides({}), { features })).not.toThrow();
  });

  it("refuses an additional feature not in the catalog, naming its index", () => {
    expectRefused(
      () => validateOverrides(overrides({ additionalFeatures: ["sso", "teleport"] }), { features }),
      "unknown_feature",
      "overrides.additionalFeatures.1",
    );
  });

  it("refuses an entitlement change of a feature not in the catalog", () => {
    expectRefused(
      () => validateOverrides(overrides({ entitlements: { teleport: { enabled: true } } }), { features }),
      "unknown_feature",
      "overrides.entitlements.teleport",
    );
  });

  it("refuses a limit on a boolean or config feature", () => {
    expectRefused(
      () => validateOverrides(overrides({ entitlements: { sso: { limit: 3 } } }), { features }),
      "limit_on_unmetered_feature",
      "overrides.entitlements.sso.limit",
    );
    expectRefused(
      () => validateOverrides(overrides({ entitlements: { "support.tier": { limit: 0 } } }), { features }),
      "limit_on_unmetered_feature",
      "overrides.entitlements.support.tier.limit",
    );
  });
});

describe("PlanTerms schema", () => {
  const issues = (input: unknown) => {
    const result = PlanTerms.safeParse(input);
    expect(result.success).toBe(false);
    return (result.error?.issues ?? []).map((issue) => ({
      path: issue.path.join("."),
      message: issue.message,
    }));
  };

  it("fills the documented defaults", () => {
    expect(PlanTerms.parse({ name: "Free" })).toEqual({
      name: "Free",
      kind: "standard",
      currency: "usd",
      interval: "month",
      basePrice: 0,
      trial: null,
      paymentGraceDays: 7,
      seats: { limit: null, enforcement: "block", price: 0, included: 0 },
      credits: { perSeat: 0, price: "0", neverExpire: false },
      entitlements: {},
      prices: [],
    });
  });

  it("requires a name", () => {
    expect(issues({})[0]?.path).toBe("name");
    expect(issues({ name: "   " })).toEqual([{ path: "name", message: "name is required" }]);
  });

  it("refuses a negative or fractional base price", () => {
    expect(issues({ name: "X", basePrice: -1 })).toEqual([{ path: "basePrice", message: "must be ≥ 0" }]);
    expect(issues({ name: "X", basePrice: 49.5 })).toEqual([
      { path: "basePrice", message: "must be integer minor units" },
    ]);
  });

  it("refuses an unknown kind, interval or currency format", () => {
    expect(issues({ name: "X", kind: "premium" })[0]?.path).toBe("kind");
    expect(issues({ name: "X", interval: "week" })[0]?.path).toBe("interval");
    expect(issues({ name: "X", currency: "USD" })[0]?.path).toBe("currency");
  });

  it("bounds limits: whole, non-negative, at most MAX_LIMIT; null is unlimited", () => {
    const limit = (value: unknown) => ({ name: "X", entitlements: { ai_tokens: { limit: value } } });
    expect(issues(limit(-1))[0]?.path).toBe("entitlements.ai_tokens.limit");
    expect(issues(limit(1.5))[0]?.message).toBe("must be a whole number");
    expect(issues(limit(1_000_000_000_001))[0]?.path).toBe("entitlements.ai_tokens.limit");
    expect(PlanTerms.parse(limit(1_000_000_000_000)).entitlements.ai_tokens?.limit).toBe(1_000_000_000_000);
    expect(PlanTerms.parse(limit(null)).entitlements.ai_tokens?.limit).toBeNull();
    expect(PlanTerms.parse(limit(0)).entitlements.ai_tokens?.limit).toBe(0);
    expect(issues({ name: "X", seats: { limit: -1 } })[0]?.path).toBe("seats.limit");
  });

  it("takes -1 credits per seat as unlimited and refuses below it", () => {
    expect(PlanTerms.parse({ name: "X", credits: { perSeat: -1 } }).credits.perSeat).toBe(-1);
    expect(issues({ name: "X", credits: { perSeat: -2 } })[0]?.path).toBe("credits.perSeat");
    expect(issues({ name: "X", credits: { perSeat: 1_000_000_001 } })[0]?.path).toBe("credits.perSeat");
  });

  it("refuses a bad feature key, enforcement mode, window or overage price", () => {
    expect(issues({ name: "X", entitlements: { "AI Tokens": {} } })[0]?.path).toBe("entitlements.AI Tokens");
    expect(issues({ name: "X", entitlements: { ai_tokens: { enforcement: "deny" } } })[0]?.path).toBe(
      "entitlements.ai_tokens.enforcement",
    );
    expect(issues({ name: "X", entitlements: { ai_tokens: { window: "week" } } })[0]?.path).toBe(
      "entitlements.ai_tokens.window",
    );
    expect(
      issues({ name: "X", entitlements: { ai_tokens: { overage: { unitAmount: 0.0004 } } } })[0]?.path,
    ).toBe("entitlements.ai_tokens.overage.unitAmount");
    expect(
      issues({ name: "X", entitlements: { ai_tokens: { overage: { unitAmount: "-0.1" } } } })[0]?.path,
    ).toBe("entitlements.ai_tokens.overage.unitAmount");
  });

  it("coerces effective dates to instants", () => {
    const parsed = PlanTerms.parse({ name: "X", effectiveFrom: "2026-01-01T00:00:00Z" });
    expect(parsed.effectiveFrom).toEqual(new Date("2026-01-01T00:00:00Z"));
    expect(issues({ name: "X", effectiveFrom: "not a date" })[0]?.path).toBe("effectiveFrom");
  });
});

describe("Overrides schema", () => {
  it("is strict: an unknown key is refused", () => {
    const result = Overrides.safeParse({ seatLimit: 50, seatLimt: 50 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.code).toBe("unrecognized_keys");
    expect(JSON.stringify(result.error?.issues)).toContain("seatLimt");
  });

  it("takes -1 as unlimited credits and seats, and refuses -2", () => {
    expect(Overrides.parse({ includedCredits: -1, seatLimit: -1 })).toEqual({
      includedCredits: -1,
      seatLimit: -1,
    });
    for (const field of ["includedCredits", "seatLimit"]) {
      const result = Overrides.safeParse({ [field]: -2 });
      expect(result.success, field).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual([field]);
      expect(result.error?.issues[0]?.message).toBe("-1 means unlimited");
    }
  });

  it("refuses fractional credits, a negative or fractional monthly base, a float credit price", () => {
    for (const bad of [
      { includedCredits: 1.5 },
      { monthlyBase: -100 },
      { monthlyBase: 199.5 },
      { creditPrice: 0.7 },
      { creditPrice: "-0.70" },
      { planLabel: "  " },
      { basePlanId: "Team Pro" },
      { additionalFeatures: ["Not A Key"] },
      { entitlements: { ai_tokens: { limit: -5 } } },
      { entitlements: { ai_tokens: { enforcement: "deny" } } },
    ]) {
      expect(Overrides.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it("accepts every field the API documents", () => {
    const all = {
      basePlanId: "team_pro",
      includedCredits: 500,
      creditPrice: "0.70",
      monthlyBase: 19_900,
      additionalFeatures: ["infra_dedicated", "sla_custom"],
      seatLimit: 50,
      planLabel: "Acme Corp Enterprise",
      creditsNeverExpire: false,
      skipBilling: false,
      stripePriceIds: ["price_123"],
      entitlements: { ai_tokens: { limit: 5_000_000, enforcement: "grace" } },
    };
    expect(Overrides.parse(all)).toEqual(all);
  });
});
