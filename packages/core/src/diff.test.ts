import { describe, expect, it } from "vitest";
import { diffRecords } from "./diff";

describe("diffRecords", () => {
  it("lists each field once, in path order, as added, removed, changed or the same", () => {
    const before = { seats: { limit: 25, enforcement: "block" }, basePrice: 4900, trial: null };
    const after = { seats: { limit: 50, enforcement: "block" }, basePrice: 4900, sso: true };
    expect(diffRecords(before, after)).toEqual([
      { path: "basePrice", before: "4900", after: "4900", change: "same" },
      { path: "seats.enforcement", before: '"block"', after: '"block"', change: "same" },
      { path: "seats.limit", before: "25", after: "50", change: "changed" },
      { path: "sso", before: undefined, after: "true", change: "added" },
      { path: "trial", before: "null", after: undefined, change: "removed" },
    ]);
  });

  it("keeps arrays whole and opens nested objects; an empty object is a value", () => {
    const rows = diffRecords(
      { features: ["a", "b"], entitlements: { x: { limit: 1 } }, meta: {} },
      { features: ["a", "c"], entitlements: { x: { limit: 1 } }, meta: {} },
    );
    expect(rows).toEqual([
      { path: "entitlements.x.limit", before: "1", after: "1", change: "same" },
      { path: "features", before: '["a","b"]', after: '["a","c"]', change: "changed" },
      { path: "meta", before: "{}", after: "{}", change: "same" },
    ]);
  });

  it("treats a missing record (a creation, a deletion) as empty", () => {
    expect(diffRecords(null, { id: "ov_1" })).toEqual([
      { path: "id", before: undefined, after: '"ov_1"', change: "added" },
    ]);
    expect(diffRecords({ id: "ov_1" }, null)).toEqual([
      { path: "id", before: '"ov_1"', after: undefined, change: "removed" },
    ]);
    expect(diffRecords(null, null)).toEqual([]);
  });

  it("compares scalars at the top as one value", () => {
    expect(diffRecords(1, 2)).toEqual([{ path: "(value)", before: "1", after: "2", change: "changed" }]);
  });
});
