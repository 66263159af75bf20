import { describe, expect, it } from "vitest";
import { decide } from "../entitlements/decide";
import type { EffectiveEntitlement, EffectivePlan } from "../entitlements/effectivePlan";
import { applyDunning, dunningStage } from "./dunning";

const d = (iso: string) => new Date(iso);
const failed = { state: "past_due" as const, pastDueSince: d("2026-03-01T00:00:00Z"), graceDays: 7 };

describe("dunningStage", () => {
  it("walks grace → throttle → suspend on the plan's grace days", () => {
    expect(dunningStage(failed, d("2026-03-01T00:00:00Z"))).toMatchObject({
      stage: "grace",
      nextStageAt: d("2026-03-08T00:00:00Z"),
    });
    expect(dunningStage(failed, d("2026-03-08T00:00:00Z"))).toMatchObject({
      stage: "throttle",
      nextStageAt: d("2026-03-15T00:00:00Z"),
    });
    expect(dunningStage(failed, d("2026-03-15T00:00:00Z"))).toMatchObject({
      stage: "suspend",
      nextStageAt: null,
    });
  });

  it("is ok when paid, blocked when uncollectible, and throttles a day even with no grace", () => {
    expect(dunningStage({ ...failed, state: "ok" }, d("2026-04-01T00:00:00Z")).stage).toBe("ok");
    expect(dunningStage({ ...failed, state: "uncollectible" }, d("2026-03-01T00:00:00Z")).stage).toBe(
      "blocked",
    );
    const noGrace = { ...failed, graceDays: 0 };
    expect(dunningStage(noGrace, d("2026-03-01T12:00:00Z")).stage).toBe("throttle");
    expect(dunningStage(noGrace, d("2026-03-02T00:00:00Z")).stage).toBe("suspend");
  });
});

const source = { kind: "plan_version" as const, id: "pv_1", label: "pro v1" };
const entitlement = (over: Partial<EffectiveEntitlement>): EffectiveEntitlement => ({
  feature: "calls",
  type: "metered",
  enabled: true,
  limit: 1000,
  unlimited: false,
  window: "period",
  enforcement: "block",
  overage: null,
  thresholds: [],
  scope: "customer",
  creditCost: null,
  throttle: null,
  value: undefined,
  source,
  explain: {},
  ...over,
});
const plan = {
  entitlements: {
    calls: entitlement({}),
    sso: entitlement({ feature: "sso", type: "boolean", limit: null }),
  },
  notes: [],
} as unknown as EffectivePlan;
const check = (p: EffectivePlan, feature: string, throttleUsed = 0) =>
  decide({
    feature,
    entitlement: p.entitlements[feature],
    used: 10,
    quantity: 1,
    resetsAt: null,
    currency: "usd",
    throttle: { used: throttleUsed, secondsLeft: 30 },
  });

describe("applyDunning", () => {
  it("changes nothing in grace", () => {
    expect(applyDunning(plan, dunningStage(failed, d("2026-03-02T00:00:00Z")))).toBe(plan);
  });

  it("admits metered use at one a minute under throttle, and leaves boolean features on", () => {
    const throttled = applyDunning(plan, dunningStage(failed, d("2026-03-09T00:00:00Z")));
    expect(check(throttled, "calls")).toMatchObject({ allowed: true, reason: "throttle_admitted" });
    expect(check(throttled, "calls", 1)).toMatchObject({
      allowed: false,
      reason: "throttled",
      retryAfter: 30,
    });
    expect(check(throttled, "sso")).toMatchObject({ allowed: true, reason: "enabled" });
    expect(throttled.entitlements.calls?.source.kind).toBe("dunning");
  });

  it("refuses every feature with payment_overdue once suspended, saying since when", () => {
    const suspended = applyDunning(plan, dunningStage(failed, d("2026-03-20T00:00:00Z")));
    expect(check(suspended, "sso")).toMatchObject({
      allowed: false,
      reason: "payment_overdue",
      message: expect.stringContaining("2026-03-01"),
    });
    expect(check(suspended, "calls").reason).toBe("payment_overdue");
  });
});
