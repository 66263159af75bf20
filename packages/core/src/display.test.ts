import { describe, expect, it } from "vitest";
import { formatCount, formatInstantUtc, formatMinorUnits, formatSeatPrice } from "./display";

describe("formatMinorUnits", () => {
  it("shows minor units in the currency's own digits", () => {
    expect(formatMinorUnits(4900, "usd")).toBe("$49.00");
    expect(formatMinorUnits(5, "eur")).toBe("€0.05");
    expect(formatMinorUnits(4900, "jpy")).toBe("¥4,900");
    expect(formatMinorUnits(-1999, "usd")).toBe("-$19.99");
    expect(formatMinorUnits(0, "usd")).toBe("$0.00");
  });

  it("never rounds the cents of a large amount", () => {
    expect(formatMinorUnits(Number.MAX_SAFE_INTEGER, "usd")).toBe("$90,071,992,547,409.91");
  });
});

describe("formatCount and formatInstantUtc", () => {
  it("group thousands and write an instant in UTC to the minute", () => {
    expect(formatCount(1_000_000)).toBe("1,000,000");
    expect(formatInstantUtc("2026-06-15T12:00:59.999Z")).toBe("2026-06-15 12:00 UTC");
  });
});

describe("formatSeatPrice", () => {
  it("says the price a seat per interval and the seats included, and nothing when seats are free", () => {
    const month = { currency: "usd", interval: "month" };
    expect(formatSeatPrice({ price: 1200, included: 5 }, month)).toBe(
      "$12.00 a seat a month past 5 included",
    );
    expect(formatSeatPrice({ price: 1500, included: 0 }, month)).toBe("$15.00 a seat a month");
    expect(formatSeatPrice({ price: 0, included: 3 }, month)).toBe("");
  });
});
