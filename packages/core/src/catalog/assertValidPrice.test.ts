import { describe, expect, it } from "vitest";
import { assertValidPrice } from "./assertValidPrice";
import type { Price } from "./planVersion";

const price = (fields: Omit<Price, "feature">): Price => ({ feature: "ai_tokens", ...fields });
const refused = (code: string, param: string) =>
  expect.objectContaining({ name: "TollgateError", type: "unprocessable", code, param });

describe("assertValidPrice", () => {
  it("accepts each model with the fields it reads", () => {
    const valid: Omit<Price, "feature">[] = [
      { model: "flat", amount: 5000 },
      { model: "per_unit", unitAmount: "0.0004", freeUnits: 1000 },
      {
        model: "graduated",
        tiers: [
          { upTo: 500, unitAmount: "0" },
          { upTo: null, unitAmount: "0.12" },
        ],
      },
      { model: "volume", tiers: [{ upTo: null, flatAmount: 100 }], freeUnits: 10 },
      { model: "package", packageSize: 1000, amount: 500, round: "down", freeUnits: 100 },
    ];
    for (const fields of valid) expect(() => assertValidPrice(price(fields))).not.toThrow();
  });

  it("refuses a missing field the model needs", () => {
    expect(() => assertValidPrice(price({ model: "graduated" }))).toThrow(
      refused("price_field_required", "tiers"),
    );
    expect(() => assertValidPrice(price({ model: "package", amount: 500 }))).toThrow(
      refused("price_field_required", "packageSize"),
    );
    expect(() => assertValidPrice(price({ model: "flat" }))).toThrow(
      refused("price_field_required", "amount"),
    );
  });

  it("refuses a field the model would ignore, rather than ignore it", () => {
    const cases: [Omit<Price, "feature">, string][] = [
      [{ model: "flat", amount: 5000, freeUnits: 100 }, "freeUnits"],
      [{ model: "flat", amount: 5000, unitAmount: "1" }, "unitAmount"],
      [{ model: "per_unit", unitAmount: "1", round: "up" }, "round"],
      [{ model: "per_unit", unitAmount: "1", tiers: [{ upTo: null }] }, "tiers"],
      [{ model: "graduated", tiers: [{ upTo: null }], amount: 100 }, "amount"],
      [{ model: "volume", tiers: [{ upTo: null }], packageSize: 10 }, "packageSize"],
      [{ model: "package", packageSize: 10, amount: 100, unitAmount: "1" }, "unitAmount"],
    ];
    for (const [fields, field] of cases) {
      expect(() => assertValidPrice(price(fields)), field).toThrow(refused("price_field_not_allowed", field));
    }
  });

  it("refuses tiers that do not rise strictly or do not end open", () => {
    const cases: [Price["tiers"], string][] = [
      [[{ upTo: 100 }], "tiers.0.upTo"],
      [[{ upTo: null }, { upTo: null }], "tiers.0.upTo"],
      [[{ upTo: 100 }, { upTo: 100 }, { upTo: null }], "tiers.1.upTo"],
      [[{ upTo: 100 }, { upTo: 50 }, { upTo: null }], "tiers.1.upTo"],
      [[{ upTo: 100 }, { upTo: 200 }], "tiers.1.upTo"],
    ];
    for (const [tiers, param] of cases) {
      expect(() => assertValidPrice(price({ model: "volume", tiers }))).toThrow(
        refused("invalid_tiers", param),
      );
    }
  });

  it("names the field under the price's own path when given one", () => {
    expect(() => assertValidPrice(price({ model: "flat", amount: 1, round: "up" }), "prices.3")).toThrow(
      refused("price_field_not_allowed", "prices.3.round"),
    );
  });
});
