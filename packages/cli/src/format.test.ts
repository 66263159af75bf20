import { describe, expect, it } from "vitest";
import { formatTable } from "./format";

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
