import { describe, expect, it } from "vitest";
import type { Price } from "../catalog/planVersion";
import { roundLine } from "../money/currency";
import { rateUsage } from "./rateUsage";

const price = (fields: Omit<Price, "feature">): Price => ({ feature: "ai_tokens", ...fields });
const amountOf = (p: Price, quantity: number, currency = "usd") => rateUsage(p, quantity, currency).amount;
const refused = (code: string, param: string) =>
  expect.objectContaining({ name: "TollgateError", code, param });

describe("rateUsage: flat", () => {
  const platformFee = price({ model: "flat", amount: 5000 });

  it("charges the amount whatever the quantity, even none", () => {
    expect(rateUsage(platformFee, 0, "usd")).toEqual({
      quantity: 0,
      freeUnits: 0,
      amount: "5000",
      breakdown: [{ tier: null, units: 0, unitAmount: "0", flatAmount: 5000, amount: "5000" }],
    });
    expect(amountOf(platformFee, 1_000_000)).toBe("5000");
  });
});

describe("rateUsage: per_unit", () => {
  it("prices a sub-cent unit exactly and leaves the rounding to the line", () => {
    // 1,234,567 × $0.0004 = $493.82668 = 49,382.68 cents → 49,383 cents on the line.
    const tokens = price({ model: "per_unit", unitAmount: "0.0004" });
    const rated = rateUsage(tokens, 1_234_567, "usd");
    expect(rated).toEqual({
      quantity: 1_234_567,
      freeUnits: 0,
      amount: "49382.68",
      breakdown: [{ tier: null, units: 1_234_567, unitAmount: "0.0004", flatAmount: 0, amount: "49382.68" }],
    });
    expect(roundLine(rated.amount)).toBe(49_383);
  });

  it("prices a zero-decimal currency in whole units of it", () => {
    // 1,234,567 × ¥0.0004 = ¥493.8268 → ¥494.
    const tokens = price({ model: "per_unit", unitAmount: "0.0004" });
    expect(amountOf(tokens, 1_234_567, "jpy")).toBe("493.8268");
    expect(roundLine(amountOf(tokens, 1_234_567, "jpy"))).toBe(494);
    expect(amountOf(price({ model: "per_unit", unitAmount: "120" }), 3, "jpy")).toBe("360");
  });

  it("subtracts free units first", () => {
    const calls = price({ model: "per_unit", unitAmount: "0.01", freeUnits: 1000 });
    expect(rateUsage(calls, 1500, "usd")).toMatchObject({ freeUnits: 1000, amount: "500" }); // 500 × 1¢
    expect(rateUsage(calls, 800, "usd")).toMatchObject({ freeUnits: 800, amount: "0" });
    expect(amountOf(calls, 1000)).toBe("0");
    expect(amountOf(calls, 1001)).toBe("1");
  });

  it("prices fractional quantities exactly", () => {
    // 2.5 GB × $0.10 = 25 cents; 0.1 + 0.2 GB would be 0.30000000000000004 in floats.
    const storage = price({ model: "per_unit", unitAmount: "0.10" });
    expect(amountOf(storage, 2.5)).toBe("25");
    expect(amountOf(storage, 0.3)).toBe("3");
  });
});

describe("rateUsage: graduated", () => {
  // Units 1–5 at $7 plus a $2 flat fee, 6–10 at $6.50 plus $3, 11 and up at $6.
  const seats = price({
    model: "graduated",
    tiers: [
      { upTo: 5, unitAmount: "7", flatAmount: 200 },
      { upTo: 10, unitAmount: "6.50", flatAmount: 300 },
      { upTo: null, unitAmount: "6" },
    ],
  });

  it("charges the first tier's flat amount at quantity 0, as Stripe does", () => {
    expect(rateUsage(seats, 0, "usd").breakdown).toEqual([
      { tier: 0, units: 0, unitAmount: "7", flatAmount: 200, amount: "200" },
    ]);
    expect(amountOf(seats, 0)).toBe("200");
  });

  it("keeps a quantity exactly at upTo in that tier, and moves one above into the next", () => {
    expect(amountOf(seats, 5)).toBe("3700"); // 5 × 700 + 200
    expect(rateUsage(seats, 5, "usd").breakdown).toHaveLength(1);
    expect(amountOf(seats, 6)).toBe("4650"); // 3700 + 1 × 650 + 300
    expect(amountOf(seats, 10)).toBe("7250"); // 3700 + 5 × 650 + 300
    expect(amountOf(seats, 11)).toBe("7850"); // 7250 + 1 × 600
  });

  it("explains each tier reached", () => {
    expect(rateUsage(seats, 12, "usd")).toEqual({
      quantity: 12,
      freeUnits: 0,
      amount: "8450", // 3700 + 3550 + 2 × 600
      breakdown: [
        { tier: 0, units: 5, unitAmount: "7", flatAmount: 200, amount: "3700" },
        { tier: 1, units: 5, unitAmount: "6.50", flatAmount: 300, amount: "3550" },
        { tier: 2, units: 2, unitAmount: "6", flatAmount: 0, amount: "1200" },
      ],
    });
  });

  it("splits a fractional quantity at the tier boundary", () => {
    expect(amountOf(seats, 5.5)).toBe("4325"); // 3700 + 0.5 × 650 + 300
  });

  it("prices sub-cent tiers exactly: the first million tokens free, then $0.0004", () => {
    const tokens = price({
      model: "graduated",
      tiers: [
        { upTo: 1_000_000, unitAmount: "0" },
        { upTo: null, unitAmount: "0.0004" },
      ],
    });
    expect(amountOf(tokens, 1_000_000)).toBe("0");
    expect(amountOf(tokens, 1_234_567)).toBe("9382.68"); // 234,567 × 0.04¢
    expect(roundLine(amountOf(tokens, 1_234_567))).toBe(9383);
  });

  it("counts tiers from the quantity left after free units", () => {
    const withFree = { ...seats, freeUnits: 2 };
    expect(amountOf(withFree, 2)).toBe("200"); // nothing billable: the first tier's flat amount
    expect(amountOf(withFree, 8)).toBe("4650"); // 6 billable units, as seats at 6
  });

  it("prices a zero-decimal currency", () => {
    const yen = price({
      model: "graduated",
      tiers: [
        { upTo: 100, unitAmount: "0" },
        { upTo: null, unitAmount: "1.5", flatAmount: 1000 },
      ],
    });
    expect(amountOf(yen, 101, "jpy")).toBe("1001.5"); // ¥1.5 + ¥1000 flat
    expect(roundLine(amountOf(yen, 101, "jpy"))).toBe(1002);
  });
});

describe("rateUsage: volume", () => {
  // Every unit at $0.10 plus $2 up to 100, at $0.08 plus $1 up to 1000, at $0.05 beyond.
  const runs = price({
    model: "volume",
    tiers: [
      { upTo: 100, unitAmount: "0.10", flatAmount: 200 },
      { upTo: 1000, unitAmount: "0.08", flatAmount: 100 },
      { upTo: null, unitAmount: "0.05" },
    ],
  });

  it("charges the first tier's flat amount at quantity 0", () => {
    expect(rateUsage(runs, 0, "usd").breakdown).toEqual([
      { tier: 0, units: 0, unitAmount: "0.10", flatAmount: 200, amount: "200" },
    ]);
  });

  it("prices every unit at the tier the total reaches, so the total drops at a boundary", () => {
    expect(amountOf(runs, 100)).toBe("1200"); // 100 × 10¢ + 200
    expect(rateUsage(runs, 101, "usd")).toEqual({
      quantity: 101,
      freeUnits: 0,
      amount: "908", // 101 × 8¢ + 100: less than at 100
      breakdown: [{ tier: 1, units: 101, unitAmount: "0.08", flatAmount: 100, amount: "908" }],
    });
    expect(amountOf(runs, 1000)).toBe("8100"); // 1000 × 8¢ + 100
    expect(amountOf(runs, 1001)).toBe("5005"); // 1001 × 5¢, no flat amount
  });

  it("picks the tier by the quantity left after free units", () => {
    expect(amountOf({ ...runs, freeUnits: 50 }, 151)).toBe("908"); // 101 billable units
  });
});

describe("rateUsage: package", () => {
  const exports = price({ model: "package", packageSize: 1000, amount: 500 });

  it("rounds a started package up by default", () => {
    expect(amountOf(exports, 0)).toBe("0");
    expect(amountOf(exports, 1)).toBe("500");
    expect(amountOf(exports, 1000)).toBe("500");
    expect(rateUsage(exports, 1001, "usd")).toEqual({
      quantity: 1001,
      freeUnits: 0,
      amount: "1000",
      breakdown: [{ tier: null, units: 2, unitAmount: "5", flatAmount: 0, amount: "1000" }],
    });
    expect(amountOf({ ...exports, round: "up" }, 1001)).toBe("1000");
  });

  it("charges only whole packages when it rounds down", () => {
    const down = { ...exports, round: "down" as const };
    expect(amountOf(down, 999)).toBe("0");
    expect(amountOf(down, 1000)).toBe("500");
    expect(amountOf(down, 1999)).toBe("500");
    expect(amountOf(down, 2000)).toBe("1000");
  });

  it("subtracts free units before counting packages", () => {
    const withFree = { ...exports, freeUnits: 1000 };
    expect(rateUsage(withFree, 1000, "usd")).toMatchObject({ freeUnits: 1000, amount: "0" });
    expect(amountOf(withFree, 1001)).toBe("500");
    expect(amountOf(withFree, 2500)).toBe("1000"); // 1500 billable → 2 packages
  });

  it("prices a zero-decimal currency", () => {
    const yen = price({ model: "package", packageSize: 100, amount: 500 });
    expect(rateUsage(yen, 250, "jpy").breakdown).toEqual([
      { tier: null, units: 3, unitAmount: "500", flatAmount: 0, amount: "1500" },
    ]);
  });
});

describe("rateUsage: refusals", () => {
  it("refuses a price malformed for its model, naming the field at fault", () => {
    const cases: [Omit<Price, "feature">, string, string][] = [
      [{ model: "graduated" }, "price_field_required", "tiers"],
      [{ model: "volume" }, "price_field_required", "tiers"],
      [{ model: "package", amount: 500 }, "price_field_required", "packageSize"],
      [{ model: "per_unit" }, "price_field_required", "unitAmount"],
      [{ model: "flat", amount: 100, freeUnits: 10 }, "price_field_not_allowed", "freeUnits"],
      [{ model: "per_unit", unitAmount: "1", round: "down" }, "price_field_not_allowed", "round"],
      [
        { model: "graduated", tiers: [{ upTo: 10 }, { upTo: 10 }, { upTo: null }] },
        "invalid_tiers",
        "tiers.1.upTo",
      ],
      [{ model: "volume", tiers: [{ upTo: 10 }, { upTo: 20 }] }, "invalid_tiers", "tiers.1.upTo"],
    ];
    for (const [fields, code, param] of cases) {
      expect(() => rateUsage(price(fields), 1, "usd"), `${code} ${param}`).toThrow(refused(code, param));
    }
  });

  it("refuses a negative or non-finite quantity", () => {
    const tokens = price({ model: "per_unit", unitAmount: "0.0004" });
    for (const quantity of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => rateUsage(tokens, quantity, "usd")).toThrow(refused("invalid_quantity", "quantity"));
    }
  });
});
