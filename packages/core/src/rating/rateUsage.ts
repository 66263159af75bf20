import type Decimal from "decimal.js";
import { assertValidPrice } from "../catalog/assertValidPrice";
import type { Price, Tier } from "../catalog/planVersion";
import { invalid, unprocessable } from "../errors/TollgateError";
import { minorDigits, type PreciseAmount, toMinorUnits } from "../money/currency";
import { Exact, toPrecise } from "../money/exact";

/** One part of a rated usage charge, so an invoice line can explain its amount. */
export interface RatedPart {
  /** The index of the tier in `price.tiers`; null for a model without tiers. */
  tier: number | null;
  /** Units priced by `unitAmount`: the tier's share of the quantity, or packages for a package price. */
  units: number;
  /** The price of one of those units in major units, as the price states it ("0.0004"). */
  unitAmount: string;
  /** Charged once for this part, in minor units. */
  flatAmount: number;
  /** units × unitAmount + flatAmount in minor units, exact. */
  amount: PreciseAmount;
}

/** A usage charge before rounding: `roundLine(amount)` is its invoice line. */
export interface RatedUsage {
  quantity: number;
  /** Units of the quantity that the price's `freeUnits` made free. */
  freeUnits: number;
  /** The sum of the breakdown's amounts in minor units, exact. */
  amount: PreciseAmount;
  breakdown: RatedPart[];
}

type Part = Omit<RatedPart, "amount">;

/**
 * The charge for `quantity` units under `price`, exact and in minor units (see DESIGN.md,
 * "Pricing and period semantics"). `freeUnits` are subtracted first, for every usage model.
 * - flat: `amount`, whatever the quantity.
 * - per_unit: quantity × `unitAmount`.
 * - graduated: each unit at the price of the tier it falls in; each tier reached adds its
 *   `flatAmount` once, the first tier's even at quantity 0 (as Stripe does).
 * - volume: every unit at the price of the tier the whole quantity reaches, plus that tier's
 *   `flatAmount` only, so a total can drop at a tier boundary.
 * - package: packages of `packageSize` units, rounded up (or down, `round: "down"`), × `amount`.
 * `upTo` is the inclusive top of a tier. A price malformed for its model throws (`assertValidPrice`).
 */
export function rateUsage(price: Price, quantity: number, currency: string): RatedUsage {
  assertValidPrice(price);
  if (!Number.isFinite(quantity) || quantity < 0) {
    throw invalid("invalid_quantity", `a quantity is a finite number ≥ 0, not ${quantity}`, "quantity");
  }
  const total = new Exact(quantity);
  const free = Exact.min(total, price.freeUnits ?? 0);
  const billable = total.minus(free);
  const breakdown = partsOf(price, billable, currency).map((part) => ({
    ...part,
    amount: toPrecise(toMinorUnits(part.unitAmount, currency).times(part.units).plus(part.flatAmount)),
  }));
  return {
    quantity,
    freeUnits: free.toNumber(),
    amount: toPrecise(Exact.sum(0, ...breakdown.map((part) => part.amount))),
    breakdown,
  };
}

function partsOf(price: Price, units: Decimal, currency: string): Part[] {
  switch (price.model) {
    case "flat":
      return [{ tier: null, units: 0, unitAmount: "0", flatAmount: price.amount ?? 0 }];
    case "per_unit":
      return [{ tier: null, units: units.toNumber(), unitAmount: price.unitAmount ?? "0", flatAmount: 0 }];
    case "graduated":
      return graduatedParts(price.tiers ?? [], units);
    case "volume":
      return [volumePart(price.tiers ?? [], units)];
    case "package":
      return [packagePart(price, units, currency)];
  }
}

function graduatedParts(tiers: Tier[], units: Decimal): Part[] {
  const parts: Part[] = [];
  let below = new Exact(0);
  for (const [i, tier] of tiers.entries()) {
    const top = tier.upTo === null ? units : Exact.min(units, tier.upTo);
    parts.push(tierPart(i, tier, top.minus(below)));
    if (tier.upTo === null || units.lessThanOrEqualTo(tier.upTo)) break;
    below = new Exact(tier.upTo);
  }
  return parts;
}

function volumePart(tiers: Tier[], units: Decimal): Part {
  const i = tiers.findIndex((tier) => tier.upTo === null || units.lessThanOrEqualTo(tier.upTo));
  const tier = tiers[i];
  // Unreachable once assertValidPrice has passed: the last tier is open and every quantity reaches it.
  if (tier === undefined) throw unprocessable("invalid_tiers", "the last tier must have upTo: null", "tiers");
  return tierPart(i, tier, units);
}

function tierPart(index: number, tier: Tier, units: Decimal): Part {
  return {
    tier: index,
    units: units.toNumber(),
    unitAmount: tier.unitAmount ?? "0",
    flatAmount: tier.flatAmount ?? 0,
  };
}

function packagePart(price: Price, units: Decimal, currency: string): Part {
  const packages = units.div(price.packageSize ?? 1);
  const whole = price.round === "down" ? packages.floor() : packages.ceil();
  const perPackage = new Exact(price.amount ?? 0).div(new Exact(10).pow(minorDigits(currency)));
  return { tier: null, units: whole.toNumber(), unitAmount: toPrecise(perPackage), flatAmount: 0 };
}

/**
 * The charge for the units a period's running total gained from `before` to `after`, under
 * `price`: rate(after) − rate(before). A period split between contracts rates each part this
 * way, so the units counted earlier in the period keep their place in the tiers, free units and
 * packages (a contract change never restarts them), and one part covering the whole period is
 * exactly `rateUsage`. `opensPeriod` keeps the charges that do not depend on quantity (a flat
 * price, the first tier's flatAmount): the part that opens the period pays them, once. Under a
 * volume price the difference can be negative: the part that reached a cheaper tier re-prices
 * the units before it.
 */
export function rateUsageBetween(
  price: Price,
  before: number,
  after: number,
  currency: string,
  opensPeriod: boolean,
): { quantity: number; amount: PreciseAmount } {
  if (after < before) {
    throw invalid("invalid_quantity", `a running total never falls (${before} → ${after})`, "quantity");
  }
  const amount = new Exact(rateUsage(price, after, currency).amount)
    .minus(rateUsage(price, before, currency).amount)
    .plus(opensPeriod ? rateUsage(price, 0, currency).amount : 0);
  return { quantity: new Exact(after).minus(before).toNumber(), amount: toPrecise(amount) };
}
