import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { features, planVersion, teamProPlan } from "../../test/catalogFixtures";
import { ENFORCEMENT_MODES, type EnforcementMode } from "../catalog/entitlement";
import { type DecideInput, type Decision, decide, noSubscriptionDecision, repeatedUse } from "./decide";
import type { EffectiveEntitlement } from "./effectivePlan";
import { resolve } from "./resolve";

/** Any enforcement mode, limit and usage (past the limit too), for the properties below. */
const anyMode = fc.constantFrom(...ENFORCEMENT_MODES);
const anyLimit = fc.integer({ min: 0, max: 1_000_000 });
const anyUsage = fc.integer({ min: 0, max: 2_000_000 });

const planSource = { kind: "plan_version" as const, id: "pv_team_pro_1", label: "team_pro v1" };
const resetsAt = "2026-07-01T00:00:00.000Z";

function entitlement(changes: Partial<EffectiveEntitlement> = {}): EffectiveEntitlement {
  const limit = changes.limit === undefined ? 100 : changes.limit;
  return {
    feature: "ai_tokens",
    type: "metered",
    enabled: true,
    unlimited: limit === null,
    window: "period",
    enforcement: "block",
    overage: null,
    thresholds: [0.8, 0.9, 1],
    scope: "customer",
    creditCost: null,
    throttle: null,
    value: null,
    source: planSource,
    explain: {},
    ...changes,
    limit,
  };
}

function metered(enforcement: EnforcementMode, limit: number | null = 100, unitAmount?: string) {
  return entitlement({
    enforcement,
    limit,
    overage: unitAmount === undefined ? null : { unitAmount },
  });
}

function decideFor(e: EffectiveEntitlement | undefined, used: number, quantity: number, currency = "usd") {
  const input: DecideInput = {
    feature: e?.feature ?? "ai_tokens",
    entitlement: e,
    used,
    quantity,
    resetsAt,
    currency,
  };
  return decide(input);
}

/** A message a person can read: names the feature and leaks no programming artefacts. */
function expectHumanMessage(decision: Decision) {
  expect(typeof decision.message).toBe("string");
  expect(decision.message.length).toBeGreaterThan(10);
  expect(decision.message).toContain(decision.feature);
  expect(decision.message).not.toMatch(/undefined|NaN|\[object|null/);
}

// Limit 100, used 90: 5 more ends below the limit, 10 more exactly at it, 11 more above it.
const USED = 90;
const BELOW = 5;
const AT = 10;
const ABOVE = 11;

describe("decide: within the limit, every limited mode allows", () => {
  for (const mode of ["grace", "throttle", "block", "billable_overage"] as const) {
    it(`${mode}: below and exactly at the limit is within_limit`, () => {
      const e = metered(mode, 100, mode === "billable_overage" ? "0.0004" : undefined);
      const below = decideFor(e, USED, BELOW);
      expect(below).toMatchObject({
        allowed: true,
        reason: "within_limit",
        enforcement: mode,
        limit: 100,
        used: 90,
        remaining: 10,
        unlimited: false,
        resetsAt,
      });
      expect(below.message).toBe("95 of 100 ai_tokens after this use");
      expect(below.overage).toBeUndefined();

      const at = decideFor(e, USED, AT);
      expect(at).toMatchObject({ allowed: true, reason: "within_limit", remaining: 10 });
      expect(at.message).toBe("100 of 100 ai_tokens after this use");
      expect(at.overage).toBeUndefined();
    });
  }
});

describe("decide: above the limit, each mode does what it says", () => {
  it("allow: never limits, whatever the usage", () => {
    const e = metered("allow", 100);
    for (const quantity of [BELOW, AT, ABOVE, 1_000_000]) {
      const decision = decideFor(e, USED, quantity);
      expect(decision).toMatchObject({ allowed: true, reason: "unlimited", enforcement: "allow" });
      expect(decision.overage).toBeUndefined();
      expectHumanMessage(decision);
    }
  });

  it("grace: allows past the limit and says it is over", () => {
    const decision = decideFor(metered("grace"), USED, ABOVE);
    expect(decision).toMatchObject({
      allowed: true,
      reason: "grace_over_limit",
      enforcement: "grace",
      remaining: 10,
    });
    expect(decision.overage).toBeUndefined();
    expect(decision.message).toMatch(/over its limit of 100/);
    expectHumanMessage(decision);
  });

  it("throttle: past the limit admits at the reduced rate (1 a minute by default), then refuses with retryAfter", () => {
    const first = decideFor(metered("throttle"), USED, ABOVE);
    expect(first).toMatchObject({ allowed: true, reason: "throttle_admitted", enforcement: "throttle" });
    expect(first.message).toMatch(/reduced rate of 1 a minute/);
    const second = decide({
      feature: "ai_tokens",
      entitlement: metered("throttle"),
      used: USED + ABOVE,
      quantity: 1,
      resetsAt,
      currency: "usd",
      throttle: { used: 1, secondsLeft: 12.4 },
    });
    expect(second).toMatchObject({ allowed: false, reason: "throttled", retryAfter: 13 });
    expect(second.overage).toBeUndefined();
    expectHumanMessage(second);
  });

  it("throttle: a configured rate admits that many units a minute past the limit, and no more", () => {
    const e = entitlement({ enforcement: "throttle", throttle: { perMinute: 5 } });
    const input = { feature: "ai_tokens", entitlement: e, resetsAt, currency: "usd" };
    expect(decide({ ...input, used: 100, quantity: 5, throttle: { used: 0, secondsLeft: 60 } }).allowed).toBe(
      true,
    );
    const refused = decide({ ...input, used: 100, quantity: 6, throttle: { used: 0, secondsLeft: 60 } });
    expect(refused).toMatchObject({ allowed: false, reason: "throttled", retryAfter: 60 });
    expect(decide({ ...input, used: 103, quantity: 3, throttle: { used: 3, secondsLeft: 60 } }).allowed).toBe(
      false,
    );
  });

  it("block: refuses a use that would pass the limit, even by one unit", () => {
    const decision = decideFor(metered("block"), USED, ABOVE);
    expect(decision).toMatchObject({
      allowed: false,
      reason: "limit_exceeded",
      enforcement: "block",
      limit: 100,
      used: 90,
      remaining: 10,
    });
    expect(decision.message).toBe("11 more ai_tokens would pass the limit of 100 (used 90)");
    expect(decideFor(metered("block"), 100, 1)).toMatchObject({ allowed: false, reason: "limit_exceeded" });
  });

  it("billable_overage: allows and prices only the units past the limit", () => {
    const decision = decideFor(metered("billable_overage", 100, "0.50"), USED, ABOVE);
    expect(decision).toMatchObject({ allowed: true, reason: "overage", enforcement: "billable_overage" });
    expect(decision.overage).toEqual({ quantity: 1, amount: 50, currency: "usd" });
    expect(decision.message).toBe("1 ai_tokens over the limit of 100 will be billed as overage");
  });
});

describe("decide: usage already past the limit", () => {
  it("never reports a negative remaining", () => {
    for (const mode of ENFORCEMENT_MODES) {
      const decision = decideFor(metered(mode, 100, "0.01"), 150, 5);
      expect(decision.remaining, mode).toBe(0);
      expect(decision.used).toBe(150);
    }
  });

  it("block refuses, grace allows, throttle refuses", () => {
    expect(decideFor(metered("block"), 150, 1)).toMatchObject({ allowed: false, reason: "limit_exceeded" });
    expect(decideFor(metered("grace"), 150, 1)).toMatchObject({ allowed: true, reason: "grace_over_limit" });
    expect(decideFor(metered("throttle"), 150, 2)).toMatchObject({ allowed: false, reason: "throttled" });
  });

  it("billable_overage bills this use only, not the overage already billed", () => {
    const decision = decideFor(metered("billable_overage", 100, "0.10"), 150, 5);
    expect(decision.overage).toEqual({ quantity: 5, amount: 50, currency: "usd" });
  });

  it("remaining is never negative and never more than the limit, for any usage", () => {
    fc.assert(
      fc.property(
        anyMode,
        anyLimit,
        anyUsage,
        fc.integer({ min: 0, max: 1_000_000 }),
        (mode, limit, used, quantity) => {
          const decision = decideFor(metered(mode, limit, "0.0004"), used, quantity);
          expect(decision.remaining).toBe(Math.max(0, limit - used));
          const remaining = decision.remaining ?? Number.NaN;
          expect(remaining).toBeGreaterThanOrEqual(0);
          expect(remaining).toBeLessThanOrEqual(limit);
          if (used + quantity <= limit) expect(decision.allowed).toBe(true);
          if (decision.overage) expect(decision.overage.quantity).toBeLessThanOrEqual(quantity);
        },
      ),
    );
  });
});

describe("repeatedUse: an id already counted, asked for again", () => {
  it("is never refused on the limit: past block or throttle it answers already_recorded", () => {
    const throttled = decide({
      feature: "ai_tokens",
      entitlement: metered("throttle"),
      used: 150,
      quantity: 0,
      resetsAt,
      currency: "usd",
      throttle: { used: 2, secondsLeft: 30 },
    });
    for (const standing of [decideFor(metered("block"), 150, 0), throttled]) {
      expect(standing.allowed, standing.reason).toBe(false);
      expect(repeatedUse(standing), standing.reason).toMatchObject({
        allowed: true,
        reason: "already_recorded",
        used: 150,
        remaining: 0,
        retryAfter: undefined,
      });
      expectHumanMessage(repeatedUse(standing));
    }
  });

  it("allows exactly what was allowed or refused on the limit, and changes nothing else", () => {
    fc.assert(
      fc.property(anyMode, anyLimit, anyUsage, (mode, limit, used) => {
        const standing = decideFor(metered(mode, limit, "0.01"), used, 0);
        const repeated = repeatedUse(standing);
        const onTheLimit = standing.reason === "limit_exceeded" || standing.reason === "throttled";
        expect(repeated.allowed).toBe(standing.allowed || onTheLimit);
        expect({ ...repeated, allowed: 0, reason: 0, message: 0, retryAfter: 0 }).toEqual({
          ...standing,
          allowed: 0,
          reason: 0,
          message: 0,
          retryAfter: 0,
        });
      }),
    );
  });

  it("keeps any other standing as it is", () => {
    const within = decideFor(metered("block"), 40, 0);
    expect(repeatedUse(within)).toEqual(within);
    const missing = decideFor(undefined, 0, 0);
    expect(repeatedUse(missing)).toEqual(missing);
  });
});

describe("decide: overage amounts in integer minor units", () => {
  const tokens = metered("billable_overage", 1_000_000, "0.0004");

  it("prices a million and one tokens at 0.0004 exactly, rounded to the cent", () => {
    // 999_990 used + 1_000_011 = 2_000_001: 1_000_001 over the limit, $400.0004.
    const decision = decideFor(tokens, 999_990, 1_000_011);
    expect(decision.overage).toEqual({ quantity: 1_000_001, amount: 40_000, currency: "usd" });
    expect(Number.isInteger(decision.overage?.amount)).toBe(true);
  });

  it("rounds sub-cent overages half away from zero", () => {
    expect(decideFor(tokens, 1_000_000, 12).overage).toEqual({ quantity: 12, amount: 0, currency: "usd" });
    expect(decideFor(tokens, 1_000_000, 13).overage).toEqual({ quantity: 13, amount: 1, currency: "usd" });
    expect(decideFor(tokens, 1_000_000, 37).overage).toEqual({ quantity: 37, amount: 1, currency: "usd" });
    expect(decideFor(tokens, 1_000_000, 12.5).overage).toEqual({
      quantity: 12.5,
      amount: 1,
      currency: "usd",
    });
    const halfCent = metered("billable_overage", 0, "0.005");
    expect(decideFor(halfCent, 0, 3).overage?.amount).toBe(2);
  });

  it("uses the currency's minor unit", () => {
    const yen = metered("billable_overage", 10, "0.5");
    expect(decideFor(yen, 10, 3, "jpy").overage).toEqual({ quantity: 3, amount: 2, currency: "jpy" });
    expect(decideFor(yen, 10, 3, "usd").overage).toEqual({ quantity: 3, amount: 150, currency: "usd" });
  });

  it("reports a zero amount, still allowed, when the overage has no price", () => {
    const decision = decideFor(metered("billable_overage", 100), USED, ABOVE);
    expect(decision).toMatchObject({ allowed: true, reason: "overage" });
    expect(decision.overage).toEqual({ quantity: 1, amount: 0, currency: "usd" });
  });
});

describe("decide: unlimited, boolean and config features", () => {
  it("an unlimited feature allows any quantity and has no remaining", () => {
    for (const mode of ENFORCEMENT_MODES) {
      const decision = decideFor(metered(mode, null), 1e12, 1e9);
      expect(decision).toMatchObject({
        allowed: true,
        reason: "unlimited",
        unlimited: true,
        limit: null,
        remaining: null,
      });
      expect(decision.overage).toBeUndefined();
      expectHumanMessage(decision);
    }
  });

  it("a disabled boolean feature is refused", () => {
    const sso = entitlement({
      feature: "sso",
      type: "boolean",
      enabled: false,
      limit: null,
      enforcement: "allow",
    });
    const decision = decide({
      feature: "sso",
      entitlement: sso,
      used: 0,
      quantity: 1,
      resetsAt: null,
      currency: "usd",
    });
    expect(decision).toMatchObject({ allowed: false, reason: "feature_disabled", feature: "sso" });
    expect(decision.message).toBe("sso is not enabled on this plan");
  });

  it("a disabled metered feature is refused even far below its limit", () => {
    const decision = decideFor(entitlement({ enabled: false, limit: 1_000 }), 0, 1);
    expect(decision).toMatchObject({ allowed: false, reason: "feature_disabled", remaining: 1_000 });
  });

  it("an enabled boolean feature is allowed whatever the quantity, with no value", () => {
    const chat = entitlement({ feature: "ai_chat", type: "boolean", limit: null, enforcement: "allow" });
    const decision = decide({
      feature: "ai_chat",
      entitlement: chat,
      used: 0,
      quantity: 5,
      resetsAt: null,
      currency: "usd",
    });
    expect(decision).toMatchObject({ allowed: true, reason: "enabled" });
    expect(decision.message).toBe("ai_chat is enabled");
    expect(decision.value).toBeUndefined();
    expect(JSON.parse(JSON.stringify(decision))).not.toHaveProperty("value");
  });

  it("a config feature is allowed and carries its value", () => {
    const tier = entitlement({
      feature: "support.tier",
      type: "config",
      limit: null,
      enforcement: "allow",
      value: "priority",
    });
    const decision = decide({
      feature: "support.tier",
      entitlement: tier,
      used: 0,
      quantity: 1,
      resetsAt: null,
      currency: "usd",
    });
    expect(decision).toMatchObject({ allowed: true, reason: "enabled", value: "priority" });
    expectHumanMessage(decision);
  });

  it("a feature outside the plan is refused without a limit or a mode", () => {
    const decision = decideFor(undefined, 0, 1);
    expect(decision).toEqual({
      allowed: false,
      feature: "ai_tokens",
      enforcement: null,
      limit: null,
      used: 0,
      remaining: null,
      unlimited: false,
      resetsAt: null,
      reason: "feature_not_in_plan",
      message: "ai_tokens is not part of this customer's plan",
    });
  });

  it("a customer with no plan is refused with no_subscription", () => {
    const decision = noSubscriptionDecision("ai_chat");
    expect(decision).toMatchObject({ allowed: false, reason: "no_subscription", feature: "ai_chat" });
    expect(decision.message).toBe("the customer has no plan in force");
  });
});

describe("decide on resolve()'s entitlements", () => {
  const plan = resolve({
    plan: teamProPlan,
    planVersion: planVersion({
      entitlements: {
        ai_chat: { enabled: true },
        sso: { enabled: false },
        "support.tier": { value: "standard" },
        ai_tokens: { limit: 1_000_000, enforcement: "billable_overage", overage: { unitAmount: "0.0004" } },
        endpoints: { limit: 100, window: "never" },
      },
    }),
    features,
    overrideSets: [],
    addOns: [],
    at: new Date("2026-06-01T00:00:00Z"),
  });
  const check = (feature: string, used: number, quantity: number) =>
    decide({
      feature,
      entitlement: plan.entitlements[feature],
      used,
      quantity,
      resetsAt,
      currency: plan.currency,
    });

  it("answers each feature of team_pro as its plan says", () => {
    expect(check("ai_chat", 0, 1)).toMatchObject({ allowed: true, reason: "enabled" });
    expect(check("sso", 0, 1)).toMatchObject({ allowed: false, reason: "feature_disabled" });
    expect(check("support.tier", 0, 1)).toMatchObject({ allowed: true, value: "standard" });
    expect(check("infra_dedicated", 0, 1)).toMatchObject({ allowed: false, reason: "feature_not_in_plan" });
    expect(check("ai_tokens", 999_999, 2).overage).toEqual({ quantity: 1, amount: 0, currency: "usd" });
  });

  it("blocks a limited feature with no mode given (block is the default with a limit)", () => {
    expect(check("endpoints", 99, 1)).toMatchObject({
      allowed: true,
      reason: "within_limit",
      enforcement: "block",
    });
    expect(check("endpoints", 100, 1)).toMatchObject({ allowed: false, reason: "limit_exceeded" });
  });

  it("every decision has a readable message", () => {
    for (const feature of ["ai_chat", "sso", "support.tier", "ai_tokens", "endpoints"]) {
      for (const [used, quantity] of [
        [0, 1],
        [100, 5],
        [2_000_000, 1],
      ] as const) {
        expectHumanMessage(check(feature, used, quantity));
      }
    }
  });
});
