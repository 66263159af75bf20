import type { Aggregation } from "../catalog/feature";
import { QUANTITY_DECIMALS } from "./usageEvent";

/**
 * What one event adds to a counter under the feature's aggregation. `sum` adds the quantity,
 * `count` adds one, `max` keeps the larger, `latest` takes the event's value (a gauge),
 * `unique_count` adds one for a value not seen in the window (`firstSeen`).
 */
export function nextCounterValue(
  aggregation: Aggregation,
  current: number,
  quantity: number,
  firstSeen: boolean,
): number {
  switch (aggregation) {
    case "sum":
      return addQuantities(current, quantity);
    case "count":
      return current + 1;
    case "max":
      return Math.max(current, quantity);
    case "latest":
      return quantity;
    case "unique_count":
      return firstSeen ? current + 1 : current;
  }
}

/** The amount an event asks to consume, for an enforcement decision against a limit. */
export function requestedQuantity(
  aggregation: Aggregation,
  current: number,
  quantity: number,
  firstSeen: boolean,
): number {
  return nextCounterValue(aggregation, current, quantity, firstSeen) - current;
}

/** Adds two quantities of at most QUANTITY_DECIMALS places without binary drift (0.1 + 0.2 = 0.3). */
export function addQuantities(a: number, b: number): number {
  const sum = a + b;
  return Number.isInteger(a) && Number.isInteger(b) ? sum : Number(sum.toFixed(QUANTITY_DECIMALS));
}
