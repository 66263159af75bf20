import { describe, expect, it } from "vitest";
import { fieldChanges } from "./fieldChanges";

describe("fieldChanges", () => {
  it("finds nothing between equal values whatever their key order", () => {
    expect(fieldChanges({ a: 1, b: { c: [1, { d: null }] } }, { b: { c: [1, { d: null }] }, a: 1 })).toEqual(
      [],
    );
  });

  it("names each leaf that differs by its dotted path, array items by position", () => {
    const before = { basePrice: 2900, entitlements: { runs: { limit: 10 } }, prices: [{ tiers: [1, 2] }] };
    const after = { basePrice: 3900, entitlements: { runs: { limit: 20 } }, prices: [{ tiers: [1, 3, 4] }] };
    expect(fieldChanges(before, after)).toEqual([
      { path: "basePrice", before: 2900, after: 3900 },
      { path: "entitlements.runs.limit", before: 10, after: 20 },
      { path: "prices.0.tiers.1", before: 2, after: 3 },
      { path: "prices.0.tiers.2", after: 4 },
    ]);
  });

  it("tells a field that is absent from one that is null", () => {
    expect(fieldChanges({ a: { x: 1 } }, { a: null, b: null })).toEqual([
      { path: "a", before: { x: 1 }, after: null },
      { path: "b", after: null },
    ]);
  });
});
