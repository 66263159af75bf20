import { describe, expect, it } from "vitest";
import { features, overrideSet, planVersion, teamProPlan } from "../../test/catalogFixtures";
import { resolve } from "./resolve";

const at = new Date("2026-06-01T00:00:00Z");
const acmeOverrides = overrideSet({
  basePlanId: "team_pro",
  includedCredits: 500,
  creditPrice: "0.70",
  additionalFeatures: ["infra_dedicated", "sla_custom"],
  seatLimit: 50,
  planLabel: "Acme Corp Enterprise",
});

describe("resolve", () => {
  it("gives Acme team_pro's features plus its extra features, credits, seats and label", () => {
    const plan = resolve({
      plan: teamProPlan,
      planVersion: planVersion(),
      features,
      overrideSets: [acmeOverrides],
      addOns: [],
      at,
    });
    expect(plan.plan.label).toBe("Acme Corp Enterprise");
    expect(plan.credits).toEqual({ perSeat: 500, unlimited: false, price: "0.70", neverExpire: false });
    expect(plan.seats.limit).toBe(50);
    expect(plan.entitlements.ai_chat?.enabled).toBe(true);
    expect(plan.entitlements.infra_dedicated?.enabled).toBe(true);
    expect(plan.entitlements.sla_custom?.enabled).toBe(true);
    expect(plan.entitlements.infra_dedicated?.source).toEqual({
      kind: "override",
      id: "ov_acme",
      label: "override ov_acme",
    });
    expect(plan.entitlements.ai_chat?.source.kind).toBe("plan_version");
    expect(plan.explain["seats.limit"]).toEqual([
      { kind: "override", id: "ov_acme", label: "override ov_acme" },
    ]);
    expect(plan.explain.basePrice?.[0]?.id).toBe("pv_team_pro_1");
  });

  it("applies an override set only inside its effective range", () => {
    const before = resolve({
      plan: teamProPlan,
      planVersion: planVersion(),
      features,
      overrideSets: [acmeOverrides],
      addOns: [],
      at: new Date("2026-02-28T23:59:59Z"),
    });
    expect(before.plan.label).toBe("Team Pro");
    expect(before.entitlements.infra_dedicated).toBeUndefined();
    expect(before.overrideSetId).toBeNull();
  });

  it("does not apply an override negotiated for another base plan, and says why", () => {
    const plan = resolve({
      plan: teamProPlan,
      planVersion: planVersion(),
      features,
      overrideSets: [overrideSet({ basePlanId: "personal_pro", seatLimit: 3 })],
      addOns: [],
      at,
    });
    expect(plan.seats.limit).toBe(25);
    expect(plan.notes.join()).toMatch(/personal_pro/);
  });

  it("treats -1 credits and seats as unlimited", () => {
    const plan = resolve({
      plan: teamProPlan,
      planVersion: planVersion(),
      features,
      overrideSets: [
        overrideSet({ includedCredits: -1, seatLimit: -1, creditPrice: "0", skipBilling: true }),
      ],
      addOns: [],
      at,
    });
    expect(plan.credits.unlimited).toBe(true);
    expect(plan.seats).toMatchObject({ limit: null, unlimited: true });
    expect(plan.skipBilling).toBe(true);
  });

  it("lets a per-feature override change a limit and mode, naming the override as the source", () => {
    const plan = resolve({
      plan: teamProPlan,
      planVersion: planVersion(),
      features,
      overrideSets: [
        overrideSet({ entitlements: { ai_tokens: { limit: 5_000_000, enforcement: "grace" } } }),
      ],
      addOns: [],
      at,
    });
    expect(plan.entitlements.ai_tokens).toMatchObject({
      limit: 5_000_000,
      enforcement: "grace",
      unlimited: false,
    });
    expect(plan.entitlements.ai_tokens?.explain.limit?.[0]?.kind).toBe("override");
    expect(plan.entitlements.ai_tokens?.explain.overage?.[0]?.kind).toBe("plan_version");
  });

  it("adds an add-on's units to the limit while the add-on is in force", () => {
    const addOn = {
      id: "ao_1",
      key: "tokens_pack",
      effectiveFrom: new Date("2026-05-01T00:00:00Z"),
      effectiveTo: new Date("2026-07-01T00:00:00Z"),
      entitlements: { ai_tokens: { limitIncrement: 250_000 } },
    };
    const input = {
      plan: teamProPlan,
      planVersion: planVersion(),
      features,
      overrideSets: [],
      addOns: [addOn],
    };
    expect(resolve({ ...input, at }).entitlements.ai_tokens?.limit).toBe(1_250_000);
    expect(resolve({ ...input, at }).entitlements.ai_tokens?.explain.limit?.map((s) => s.kind)).toEqual([
      "plan_version",
      "add_on",
    ]);
    expect(resolve({ ...input, at: new Date("2026-07-01T00:00:00Z") }).entitlements.ai_tokens?.limit).toBe(
      1_000_000,
    );
  });

  it("grants a feature whose key is also an Object property name, without touching Object", () => {
    const withConstructor = new Map(features).set("constructor", { key: "constructor", type: "boolean" });
    const plan = resolve({
      plan: teamProPlan,
      planVersion: planVersion(),
      features: withConstructor,
      overrideSets: [overrideSet({ additionalFeatures: ["constructor"] })],
      addOns: [],
      at,
    });
    const key: string = "constructor";
    expect(Object.hasOwn(plan.entitlements, key)).toBe(true);
    expect(plan.entitlements[key]).toMatchObject({
      feature: "constructor",
      enabled: true,
      type: "boolean",
    });
    expect(plan.entitlements[key]?.source.kind).toBe("override");
    expect(Object.hasOwn(Object, "enabled")).toBe(false);
  });
});
