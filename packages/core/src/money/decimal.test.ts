import { describe, expect, it } from "vitest";
import { DecimalString } from "./decimal";

describe("DecimalString", () => {
  it("accepts non-negative decimal strings of up to 12 digits each side", () => {
    for (const ok of ["0", "0.70", "0.0004", "199", "1.00", "999999999999.999999999999", "0.000000000001"]) {
      expect(DecimalString.safeParse(ok).success, ok).toBe(true);
    }
  });

  it("refuses negatives, floats as numbers, exponents, blanks and too many digits", () => {
    for (const bad of [
      "-1",
      "-0.01",
      "1e-4",
      ".5",
      "5.",
      "",
      " 1",
      "1,00",
      "0x10",
      "1.0000000000001",
      "1000000000000",
    ]) {
      expect(DecimalString.safeParse(bad).success, bad).toBe(false);
    }
    expect(DecimalString.safeParse(0.7).success).toBe(false);
  });

  it("says what it expects", () => {
    const result = DecimalString.safeParse("-1");
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/non-negative decimal string/);
  });
});
