import { StandardResolutionReasons, TypeMismatchError } from "@openfeature/server-sdk";
import type { Entitlement } from "@tollgate/sdk";
import { describe, expect, it } from "vitest";
import { parseFlagKey } from "./flagKey";
import { resolveNumber, resolveObject } from "./resolveFlag";

function entitlement(fields: Partial<Entitlement>): Entitlement {
  return {
    feature: "f",
    type: "config",
    enabled: true,
    limit: null,
    used: 0,
    remaining: null,
    unlimited: false,
    window: "period",
    resetsAt: null,
    enforcement: "allow",
    scope: "customer",
    value: null,
    overage: null,
    source: { kind: "plan_version", id: "pv_test", label: "test v1" },
    ...fields,
  };
}

describe("parseFlagKey", () => {
  it("reads :limit, :remaining and :used suffixes, and nothing else, as aspects", () => {
    expect(parseFlagKey("ai_tokens:limit")).toEqual({ feature: "ai_tokens", aspect: "limit" });
    expect(parseFlagKey("storage.gb:used")).toEqual({ feature: "storage.gb", aspect: "used" });
    expect(parseFlagKey("sso")).toEqual({ feature: "sso", aspect: "value" });
    expect(parseFlagKey("odd:thing")).toEqual({ feature: "odd:thing", aspect: "value" });
  });
});

describe("resolveFlag", () => {
  it("an object flag answers a config feature's JSON value, STATIC", () => {
    const value = { regions: ["eu", "us"], sla: 99.9 };
    expect(resolveObject(parseFlagKey("f"), entitlement({ value }))).toMatchObject({
      value,
      reason: StandardResolutionReasons.STATIC,
    });
    expect(() => resolveObject(parseFlagKey("f"), entitlement({ value: "gold" }))).toThrow(TypeMismatchError);
  });

  it("an unlimited metered feature answers Infinity for remaining and limit", () => {
    const unlimited = entitlement({ type: "metered", unlimited: true, used: 12 });
    expect(resolveNumber(parseFlagKey("f"), unlimited).value).toBe(Number.POSITIVE_INFINITY);
    expect(resolveNumber(parseFlagKey("f:limit"), unlimited).value).toBe(Number.POSITIVE_INFINITY);
    expect(resolveNumber(parseFlagKey("f:used"), unlimited).value).toBe(12);
  });
});
