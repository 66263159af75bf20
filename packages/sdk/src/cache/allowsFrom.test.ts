import { describe, expect, it } from "vitest";
import type { Entitlement } from "../types";
import { allowsFrom } from "./allowsFrom";

function metered(fields: Partial<Entitlement>): Entitlement {
  return {
    feature: "runs",
    type: "metered",
    enabled: true,
    limit: 10,
    used: 8,
    remaining: 2,
    unlimited: false,
    window: "period",
    resetsAt: null,
    enforcement: "block",
    scope: "customer",
    value: null,
    overage: null,
    source: { kind: "plan_version", id: "pv_test", label: "test v1" },
    ...fields,
  };
}

describe("allowsFrom", () => {
  it("refuses a feature the plan does not grant, or grants disabled", () => {
    expect(allowsFrom(undefined)).toBe(false);
    expect(allowsFrom(metered({ type: "boolean", enabled: false }))).toBe(false);
    expect(allowsFrom(metered({ type: "boolean", limit: null, remaining: null }))).toBe(true);
  });

  it("under block and throttle, admits only what the cached remaining covers", () => {
    expect(allowsFrom(metered({}), 2)).toBe(true);
    expect(allowsFrom(metered({}), 3)).toBe(false);
    expect(allowsFrom(metered({ enforcement: "throttle", remaining: 0 }))).toBe(false);
  });

  it("past the limit, grace, billable overage and allow still admit", () => {
    for (const enforcement of ["grace", "billable_overage", "allow"] as const)
      expect(allowsFrom(metered({ enforcement, remaining: 0 }), 5)).toBe(true);
  });

  it("an unlimited entitlement admits any quantity", () => {
    expect(allowsFrom(metered({ limit: null, remaining: null, unlimited: true }), 1e9)).toBe(true);
  });
});
