import Decimal from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  assertMinorUnits,
  minorDigits,
  priceUnits,
  roundLine,
  roundToCurrency,
  toMajorUnits,
  toMinorUnits,
} from "./currency";
import { DecimalString } from "./decimal";

describe("minorDigits", () => {
  it("is 2 for cent currencies and 0 for Stripe's zero-decimal ones, whatever the case", () => {
    expect(minorDigits("usd")).toBe(2);
    expect(minorDigits("eur")).toBe(2);
    expect(minorDigits("jpy")).toBe(0);
    expect(minorDigits("krw")).toBe(0);
    expect(minorDigits("JPY")).toBe(0);
  });
});

describe("toMajorUnits", () => {
  it("writes minor units in major units with the currency's digits, and back again exactly", () => {
    expect(toMajorUnits(1500, "usd")).toBe("15.00");
    expect(toMajorUnits(5, "eur")).toBe("0.05");
    expect(toMajorUnits(-1999, "usd")).toBe("-19.99");
    expect(toMajorUnits(1500, "jpy")).toBe("1500");
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.constantFrom("usd", "jpy"), (minor, currency) => {
        expect(toMinorUnits(toMajorUnits(minor, currency), currency).toNumber()).toBe(minor);
      }),
    );
  });
});

describe("roundToCurrency", () => {
  it("turns major units into integer minor units", () => {
    expect(roundToCurrency("19.99", "usd")).toBe(1999);
    expect(roundToCurrency("0.70", "usd")).toBe(70);
    expect(roundToCurrency(199, "usd")).toBe(19900);
    expect(roundToCurrency("0", "usd")).toBe(0);
  });

  it("rounds half away from zero, in both directions", () => {
    expect(roundToCurrency("0.005", "usd")).toBe(1);
    expect(roundToCurrency("0.015", "usd")).toBe(2);
    expect(roundToCurrency("0.025", "usd")).toBe(3); // not banker's rounding (which gives 2)
    expect(roundToCurrency("0.0049", "usd")).toBe(0);
    expect(roundToCurrency("-0.005", "usd")).toBe(-1);
    expect(roundToCurrency("-0.025", "usd")).toBe(-3);
    expect(roundToCurrency("-0.0149", "usd")).toBe(-1);
  });

  it("rounds amounts that binary floats get wrong", () => {
    // 1.005 * 100 === 100.49999999999999 and 0.145 * 100 === 14.499999999999998 in floats.
    expect(roundToCurrency("1.005", "usd")).toBe(101);
    expect(roundToCurrency("0.145", "usd")).toBe(15);
    expect(roundToCurrency(1.005, "usd")).toBe(101);
  });

  it("keeps a zero-decimal currency in whole units", () => {
    expect(roundToCurrency("1500", "jpy")).toBe(1500);
    expect(roundToCurrency("1499.5", "jpy")).toBe(1500);
    expect(roundToCurrency("1499.49", "jpy")).toBe(1499);
  });

  it("does not round a long amount before rounding it to the minor unit", () => {
    // 0.4999999999 of a cent: 21 significant digits once in cents.
    expect(roundToCurrency("100000000.004999999999", "usd")).toBe(10_000_000_000);
    expect(roundToCurrency("100000000.005000000000", "usd")).toBe(10_000_000_001);
  });

  it("takes Decimal instances", () => {
    expect(roundToCurrency(new Decimal("2.675"), "usd")).toBe(268);
  });
});

describe("priceUnits", () => {
  it("prices a quantity at a sub-cent unit price exactly", () => {
    // 1_000_001 * 0.0004 === 400.00040000000001 in floats; the exact amount is $400.0004.
    expect(priceUnits(1_000_001, "0.0004", "usd")).toBe(40_000);
    expect(priceUnits(1_000_000, "0.0004", "usd")).toBe(40_000);
    expect(priceUnits(5_000_000, "0.0004", "usd")).toBe(200_000);
    expect(priceUnits(1, "0.0004", "usd")).toBe(0);
    expect(priceUnits(12, "0.0004", "usd")).toBe(0); // 0.48 cent
    expect(priceUnits(13, "0.0004", "usd")).toBe(1); // 0.52 cent
    expect(priceUnits(37, "0.0004", "usd")).toBe(1); // 1.48 cents
    expect(priceUnits(0, "0.0004", "usd")).toBe(0);
  });

  it("rounds the line once, half away from zero", () => {
    expect(priceUnits(1, "0.005", "usd")).toBe(1);
    expect(priceUnits(3, "0.005", "usd")).toBe(2); // 1.5 cents
    expect(priceUnits(12.5, "0.0004", "usd")).toBe(1); // exactly half a cent
    expect(priceUnits(1, "0.145", "usd")).toBe(15);
    expect(priceUnits(3, "0.70", "usd")).toBe(210);
  });

  it("prices a zero-decimal currency in whole units", () => {
    expect(priceUnits(3, "0.5", "jpy")).toBe(2); // 1.5 yen
    expect(priceUnits(1_000_001, "0.0004", "jpy")).toBe(400);
    expect(priceUnits(10, "120", "jpy")).toBe(1200);
  });

  it("stays exact for the largest quantities and the finest prices the schemas accept", () => {
    expect(priceUnits(999_999_999_999, "0.000000000001", "usd")).toBe(100);
    expect(priceUnits(1_000_000_000_000, "0.0004", "usd")).toBe(40_000_000_000);
    // $106,000,000.104999999999: 0.4999999999 of a cent, so it rounds down. Rounding the
    // product to 20 significant digits first would make it exactly half a cent and round up.
    expect(priceUnits(105_999_999_999, "0.001000000001", "usd")).toBe(10_600_000_010);
  });

  it("equals the exact decimal product rounded half away from zero, for any valid price", () => {
    const Exact = Decimal.clone({ precision: 100 });
    const price = fc
      .tuple(fc.integer({ min: 0, max: 9_999 }), fc.integer({ min: 0, max: 999_999_999 }))
      .map(([whole, fraction]) => `${whole}.${String(fraction).padStart(9, "0")}`)
      .filter((s) => DecimalString.safeParse(s).success);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_000 }), price, (quantity, unitAmount) => {
        const expected = new Exact(unitAmount)
          .times(quantity)
          .times(100)
          .toDecimalPlaces(0, Exact.ROUND_HALF_UP)
          .toNumber();
        expect(priceUnits(quantity, unitAmount, "usd")).toBe(expected);
      }),
    );
  });
});

describe("roundLine", () => {
  it("rounds an exact amount in minor units to an integer, half away from zero", () => {
    expect(roundLine("49382.68")).toBe(49_383);
    expect(roundLine("49382.5")).toBe(49_383);
    expect(roundLine("49382.4999999")).toBe(49_382);
    expect(roundLine("2.5")).toBe(3); // not banker's rounding (which gives 2)
    expect(roundLine("-2.5")).toBe(-3);
    expect(roundLine("-0.5")).toBe(-1);
    expect(roundLine(1999)).toBe(1999);
  });

  it("never answers -0", () => {
    expect(roundLine("-0.4")).toBe(0);
    expect(roundLine("-0")).toBe(0);
  });

  it("refuses a line beyond a safe integer rather than lose a cent", () => {
    expect(roundLine(Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => roundLine("9007199254740992")).toThrow(
      expect.objectContaining({ name: "TollgateError", code: "amount_out_of_range" }),
    );
  });

  it("is half away from zero for any amount: within half a unit, symmetric, halves outward", () => {
    const Exact = Decimal.clone({ precision: 100 });
    const amount = fc
      .tuple(fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }), fc.integer({ min: 0, max: 999_999 }))
      .map(([whole, fraction]) => `${whole}.${String(fraction).padStart(6, "0")}`);
    fc.assert(
      fc.property(amount, (x) => {
        const rounded = roundLine(x);
        expect(Number.isInteger(rounded)).toBe(true);
        expect(new Exact(x).minus(rounded).abs().lte("0.5")).toBe(true);
        expect(roundLine(new Exact(x).neg())).toBe(-rounded || 0);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_000_000 }), (n) => {
        expect(roundLine(`${n}.5`)).toBe(n + 1);
        expect(roundLine(`-${n}.5`)).toBe(-(n + 1));
      }),
    );
  });

  it("is the rule roundToCurrency applies after converting major units", () => {
    expect(toMinorUnits("0.0004", "usd").toFixed()).toBe("0.04");
    expect(toMinorUnits("0.0004", "jpy").toFixed()).toBe("0.0004");
    expect(roundToCurrency("493.8268", "usd")).toBe(roundLine(toMinorUnits("493.8268", "usd")));
  });
});

describe("assertMinorUnits", () => {
  it("accepts safe integers and refuses anything else, naming the field", () => {
    expect(() => assertMinorUnits(0, "amount")).not.toThrow();
    expect(() => assertMinorUnits(-4900, "amount")).not.toThrow();
    for (const bad of [49.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      expect(() => assertMinorUnits(bad, "basePrice")).toThrow(
        expect.objectContaining({ name: "TollgateError", code: "invalid_amount", param: "basePrice" }),
      );
    }
  });
});
