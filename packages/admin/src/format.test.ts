import { describe, expect, it } from "vitest";
import { formatInstant, formatMoney } from "./format";

describe("formatMoney", () => {
  it("divides minor units by the currency's own number of decimals", () => {
    expect(formatMoney(4900, "usd")).toBe("$49.00");
    expect(formatMoney(19_900, "eur")).toBe("€199.00");
    expect(formatMoney(500, "jpy")).toBe("¥500");
  });
});

describe("formatInstant", () => {
  it("shows the UTC date and minute, and a dash for none", () => {
    expect(formatInstant("2026-06-15T12:34:56.000Z")).toBe("2026-06-15 12:34 UTC");
    expect(formatInstant(null)).toBe("—");
  });
});
