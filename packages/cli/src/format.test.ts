import { describe, expect, it } from "vitest";
import { formatAmount, formatTable } from "./format";

describe("formatAmount", () => {
  it("shows minor units in the currency's own digits", () => {
    expect(formatAmount(4900, "usd")).toBe("$49.00");
    expect(formatAmount(5, "eur")).toBe("€0.05");
    expect(formatAmount(4900, "jpy")).toBe("¥4,900");
    expect(formatAmount(-1999, "usd")).toBe("-$19.99");
    expect(formatAmount(0, "usd")).toBe("$0.00");
  });

  it("never rounds the cents of a large amount", () => {
    expect(formatAmount(Number.MAX_SAFE_INTEGER, "usd")).toBe("$90,071,992,547,409.91");
  });
});

describe("formatTable", () => {
  it("pads every column to its widest cell, right-aligning the columns asked", () => {
    const table = formatTable(
      [
        ["kind", "amount"],
        ["base", "$49.00"],
        ["overage", "$100.00"],
      ],
      ["left", "right"],
    );
    expect(table).toBe("kind      amount\nbase      $49.00\noverage  $100.00");
  });
});
