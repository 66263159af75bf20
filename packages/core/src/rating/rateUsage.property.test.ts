import Decimal from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Price, Tier } from "../catalog/planVersion";
import { priceUnits, roundLine } from "../money/currency";
import { rateUsage, rateUsageBetween } from "./rateUsage";

const Exact = Decimal.clone({ precision: 100 });

/** A unit price in major units with up to 6 decimals, sub-cent ones included. */
const unitAmount = fc
  .tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 999_999 }))
  .map(([whole, fraction]) => `${whole}.${String(fraction).padStart(6, "0")}`);

const tier = (upTo: number | null) =>
  fc
    .record({ unitAmount, flatAmount: fc.integer({ min: 0, max: 10_000 }) }, { requiredKeys: [] })
    .map((amounts): Tier => ({ upTo, ...amounts }));

/** Valid tiers: strictly rising bounds, the last open. */
const tiers = fc
  .uniqueArray(fc.integer({ min: 1, max: 2_000 }), { maxLength: 4 })
  .map((bounds) => [...bounds.sort((a, b) => a - b), null])
  .chain((bounds) => fc.tuple(...bounds.map(tier)));

const quantity = fc.oneof(
  fc.integer({ min: 0, max: 3_000 }),
  fc.integer({ min: 0, max: 3_000_000 }).map((thousandths) => thousandths / 1000),
);
const currency = fc.constantFrom("usd", "jpy");

const tiered = (model: "graduated" | "volume", t: Tier[], freeUnits?: number): Price => ({
  feature: "ai_tokens",
  model,
  tiers: t,
  ...(freeUnits === undefined ? {} : { freeUnits }),
});
const amount = (price: Price, q: number, cur = "usd") => new Exact(rateUsage(price, q, cur).amount);
const minor = (major: string | undefined, cur: string) =>
  new Exact(major ?? "0").times(cur === "jpy" ? 1 : 100);

describe("rateUsage properties", () => {
  it("a period cut into parts under one price charges exactly what the whole period does", () => {
    const cuts = fc.uniqueArray(fc.integer({ min: 0, max: 3_000 }), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(
        tiers,
        cuts,
        fc.integer({ min: 0, max: 500 }),
        fc.constantFrom("graduated" as const, "volume" as const),
        currency,
        (t, points, free, model, cur) => {
          const price = tiered(model, t, free);
          const totals = [0, ...points.sort((a, b) => a - b)];
          const parts = totals.slice(1).map((after, i) => {
            const before = totals[i] ?? 0;
            return rateUsageBetween(price, before, after, cur, i === 0).amount;
          });
          const last = totals.at(-1) ?? 0;
          expect(Exact.sum(0, ...parts).toFixed()).toBe(amount(price, last, cur).toFixed());
        },
      ),
    );
  });

  it("graduated never charges less for more", () => {
    fc.assert(
      fc.property(tiers, quantity, quantity, currency, (t, a, b, cur) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(amount(tiered("graduated", t), low, cur).lte(amount(tiered("graduated", t), high, cur))).toBe(
          true,
        );
      }),
    );
  });

  it("graduated: one more unit costs its tier's unit price, plus the tier's flat amount on entering it", () => {
    fc.assert(
      fc.property(tiers, fc.integer({ min: 0, max: 3_000 }), currency, (t, q, cur) => {
        const index = t.findIndex((x) => x.upTo === null || q + 1 <= x.upTo);
        const entered = t[index] ?? { upTo: null };
        const isFirstUnitOfTier = index > 0 && t[index - 1]?.upTo === q;
        const expected = minor(entered.unitAmount, cur).plus(
          isFirstUnitOfTier ? (entered.flatAmount ?? 0) : 0,
        );
        const price = tiered("graduated", t);
        expect(
          amount(price, q + 1, cur)
            .minus(amount(price, q, cur))
            .toFixed(),
        ).toBe(expected.toFixed());
      }),
    );
  });

  it("the breakdown adds up to the amount, and graduated tiers share out the billable quantity", () => {
    fc.assert(
      fc.property(
        tiers,
        quantity,
        fc.integer({ min: 0, max: 500 }),
        fc.constantFrom("graduated" as const, "volume" as const),
        (t, q, free, model) => {
          const rated = rateUsage(tiered(model, t, free), q, "usd");
          const parts = rated.breakdown;
          expect(Exact.sum(0, ...parts.map((p) => p.amount)).toFixed()).toBe(rated.amount);
          const units = Exact.sum(0, ...parts.map((p) => p.units));
          expect(units.toNumber()).toBe(new Exact(q).minus(rated.freeUnits).toNumber());
          expect(rated.freeUnits).toBe(Math.min(q, free));
        },
      ),
    );
  });

  it("one open tier prices graduated, volume and per-unit alike, plus its flat amount", () => {
    fc.assert(
      fc.property(unitAmount, fc.integer({ min: 0, max: 10_000 }), quantity, currency, (u, flat, q, cur) => {
        const only: Tier[] = [{ upTo: null, unitAmount: u, flatAmount: flat }];
        const perUnit = amount({ feature: "ai_tokens", model: "per_unit", unitAmount: u }, q, cur);
        expect(amount(tiered("graduated", only), q, cur).toFixed()).toBe(perUnit.plus(flat).toFixed());
        expect(amount(tiered("volume", only), q, cur).toFixed()).toBe(perUnit.plus(flat).toFixed());
      }),
    );
  });

  it("volume never charges more than graduated when prices fall tier by tier and there are no flat amounts", () => {
    const falling = tiers.map((t) => {
      const prices = t.map((x) => new Exact(x.unitAmount ?? "0")).sort((a, b) => b.comparedTo(a));
      return t.map((x, i): Tier => ({ upTo: x.upTo, unitAmount: (prices[i] ?? new Exact(0)).toFixed() }));
    });
    fc.assert(
      fc.property(falling, quantity, (t, q) => {
        expect(amount(tiered("volume", t), q).lte(amount(tiered("graduated", t), q))).toBe(true);
      }),
    );
  });

  it("per_unit rounded to its line is priceUnits, the rule entitlement overage already uses", () => {
    fc.assert(
      fc.property(unitAmount, quantity, currency, (u, q, cur) => {
        const rated = rateUsage({ feature: "ai_tokens", model: "per_unit", unitAmount: u }, q, cur);
        expect(roundLine(rated.amount)).toBe(priceUnits(q, u, cur));
      }),
    );
  });

  it("package charges whole packages: up and down differ by at most one, neither falls as usage rises", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 500 }),
        quantity,
        quantity,
        (packageSize, perPackage, freeUnits, a, b) => {
          const up: Price = {
            feature: "ai_tokens",
            model: "package",
            packageSize,
            amount: perPackage,
            freeUnits,
          };
          const down: Price = { ...up, round: "down" };
          const [low, high] = a <= b ? [a, b] : [b, a];
          for (const p of [up, down]) {
            expect(amount(p, low).lte(amount(p, high))).toBe(true);
            expect(amount(p, high).mod(Math.max(perPackage, 1)).isZero()).toBe(true);
          }
          const gap = amount(up, high).minus(amount(down, high));
          expect(gap.isZero() || gap.equals(perPackage)).toBe(true);
        },
      ),
    );
  });
});
