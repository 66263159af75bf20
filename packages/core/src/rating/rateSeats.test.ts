import { describe, expect, it } from "vitest";
import { rateSeats } from "./rateSeats";

const refused = (code: string, param: string) =>
  expect.objectContaining({ name: "TollgateError", code, param });

describe("rateSeats", () => {
  it("charges each seat its unit amount for the period", () => {
    expect(rateSeats(1200, 25)).toBe(30_000);
    expect(rateSeats(1200, 0)).toBe(0);
    expect(rateSeats(0, 50)).toBe(0);
  });

  it("refuses fractional or negative seats and a fractional unit amount", () => {
    for (const seats of [-1, 2.5, Number.NaN]) {
      expect(() => rateSeats(1200, seats)).toThrow(refused("invalid_seats", "seats"));
    }
    expect(() => rateSeats(12.5, 2)).toThrow(refused("invalid_amount", "unitAmount"));
  });

  it("refuses a total beyond a safe integer", () => {
    expect(() => rateSeats(Number.MAX_SAFE_INTEGER, 2)).toThrow(
      expect.objectContaining({ code: "amount_out_of_range" }),
    );
  });
});
