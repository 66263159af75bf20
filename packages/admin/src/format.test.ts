import { describe, expect, it } from "vitest";
import { formatInstant, formatNumber } from "./format";

describe("formatInstant and formatNumber", () => {
  it("show the UTC date and minute, or a count, and a dash for none", () => {
    expect(formatInstant("2026-06-15T12:34:56.000Z")).toBe("2026-06-15 12:34 UTC");
    expect(formatInstant(null)).toBe("—");
    expect(formatNumber(1234567)).toBe("1,234,567");
    expect(formatNumber(undefined)).toBe("—");
  });
});
