import { describe, expect, it } from "vitest";
import { formatCount, formatInstantUtc, formatMinorUnits } from "./display";

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
