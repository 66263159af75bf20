import { describe, expect, it } from "vitest";
import { prorateSeatChange } from "./prorateSeatChange";

const d = (iso: string) => new Date(iso);
const march = { from: d("2026-03-01T00:00:00Z"), to: d("2026-04-01T00:00:00Z") }; // 31 days

describe("prorateSeatChange", () => {
  it("prorates added seats to the day: a credit for the old count, a charge for the new", () => {
    // 10 → 15 seats at $12 at 15:00 on March 10: 22 of 31 days left.
    // Credit 12000 × 22/31 = 8516.13, charge 18000 × 22/31 = 12774.19, net 6000 × 22/31 = 4258.06.
    const { credit, charge } = prorateSeatChange(
      1200,
      { from: 10, to: 15 },
      march,
      d("2026-03-10T15:00:00Z"),
    );
    expect(charge).toMatchObject({
      amount: 12_774,
      periodAmount: 18_000,
      share: { unit: "day", count: 22, of: 31 },
    });
    expect(credit).toMatchObject({ amount: -8516, periodAmount: 12_000 });
    expect(credit.amount + charge.amount).toBe(4258);
  });

  it("credits removed seats", () => {
    // 15 → 10 seats on March 22 (10 of 31 days left): net −6000 × 10/31 = −1935.48 → −1935.
    const { credit, charge } = prorateSeatChange(
      1200,
      { from: 15, to: 10 },
      march,
      d("2026-03-22T00:00:00Z"),
    );
    expect([credit.amount, charge.amount]).toEqual([-5806, 3871]);
    expect(credit.amount + charge.amount).toBe(-1935);
  });

  it("prorates to the second when configured so", () => {
    const { charge } = prorateSeatChange(
      1200,
      { from: 10, to: 15 },
      march,
      d("2026-03-10T15:00:00Z"),
      "second",
    );
    expect(charge.share).toEqual({ unit: "second", count: 1_846_800, of: 2_678_400 }); // 21 days 9 h
    expect(charge.amount).toBe(12_411); // 18000 × 21.375/31 = 12411.29
  });
});
