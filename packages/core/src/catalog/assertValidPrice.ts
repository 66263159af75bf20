import { unprocessable } from "../errors/TollgateError";
import type { Price, PriceModel } from "./planVersion";

type PriceField = Exclude<keyof Price, "feature" | "model">;

/**
 * The fields each pricing model reads; `required` ones it cannot rate without. A field a model
 * does not read is refused rather than ignored: a `freeUnits` on a flat fee or a `round` on a
 * per-unit price is a misunderstanding that must not reach an invoice silently.
 * `freeUnits` means the same in every usage model: that many units are subtracted from the
 * quantity before the model prices it (so tier boundaries count the units left).
 */
const MODEL_FIELDS: Record<PriceModel, { required: PriceField[]; optional: PriceField[] }> = {
  flat: { required: ["amount"], optional: [] },
  per_unit: { required: ["unitAmount"], optional: ["freeUnits"] },
  graduated: { required: ["tiers"], optional: ["freeUnits"] },
  volume: { required: ["tiers"], optional: ["freeUnits"] },
  package: { required: ["packageSize", "amount"], optional: ["freeUnits", "round"] },
};

const PRICE_FIELDS: PriceField[] = ["unitAmount", "amount", "tiers", "packageSize", "freeUnits", "round"];

/**
 * A price is complete for its model: the fields it needs are there, no field it ignores is,
 * and tiers rise strictly with only the last one open (`upTo: null`). Throws the first broken
 * rule as a TollgateError naming the field at fault, under `param` ("prices.0" → "prices.0.tiers").
 * Checked when a plan version is published and again before a price is rated.
 */
export function assertValidPrice(price: Price, param = ""): void {
  const at = (field: string) => (param ? `${param}.${field}` : field);
  const fields = MODEL_FIELDS[price.model];
  for (const field of fields.required) {
    if (price[field] === undefined) {
      throw unprocessable("price_field_required", `a ${price.model} price needs ${field}`, at(field));
    }
  }
  for (const field of PRICE_FIELDS) {
    const isRead = fields.required.includes(field) || fields.optional.includes(field);
    if (!isRead && price[field] !== undefined) {
      throw unprocessable("price_field_not_allowed", `a ${price.model} price takes no ${field}`, at(field));
    }
  }
  const tiers = price.tiers ?? [];
  tiers.forEach((tier, i) => {
    const isLast = i === tiers.length - 1;
    const previous = tiers[i - 1]?.upTo ?? 0;
    if (isLast ? tier.upTo !== null : tier.upTo === null || tier.upTo <= previous) {
      throw unprocessable(
        "invalid_tiers",
        "tiers rise strictly and only the last has upTo: null",
        at(`tiers.${i}.upTo`),
      );
    }
  });
}
