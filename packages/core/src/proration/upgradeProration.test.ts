import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { billingPeriod } from "../time/billingPeriod";
import { prorate, prorateByDays } from "./prorate";
import { prorationShare } from "./prorationShare";
import { upgradeProration } from "./upgradeProration";

const d = (iso: string) => new Date(iso);
const april = { from: d("2026-04-01T00:00:00Z"), to: d("2026-05-01T00:00:00Z") }; // 30 days

/** (amount × count / of) rounded half away from zero, in integers: an oracle free of decimal.js. */
function roundedShare(amount: number, count: number, of: number): number {
  const numerator = BigInt(amount) * BigInt(count);
  const denominator = BigInt(of);
  const magnitude = (2n * (numerator < 0n ? -numerator : numerator) + denominator) / (2n * denominator);
  return Number(numerator < 0n ? -magnitude : magnitude);
}

describe("upgradeProration", () => {
  it("credits the unused time of the old price and charges the remaining time of the new one", () => {
    // Stripe's example: $10 → $20 halfway through the month: −$5 and +$10, $5 more.
    const { credit, charge } = upgradeProration(1000, 2000, april, d("2026-04-16T00:00:00Z"));
    const share = { unit: "second", count: 15 * 86_400, of: 30 * 86_400 };
    const covers = { from: d("2026-04-16T00:00:00Z"), to: april.to, share };
    expect(credit).toEqual({ amount: -500, periodAmount: 1000, ...covers });
    expect(charge).toEqual({ amount: 1000, periodAmount: 2000, ...covers });
  });

  it("rounds each line on its own, as Stripe's two invoice items are", () => {
    // A third of the month left, $10 → $20: exact lines −333.33 and +666.67 round to −333 and
    // +667, a net of 334 cents (for an exact 333.33): the invoice Stripe would send.
    const at = d("2026-04-21T00:00:00Z"); // 10 of 30 days left
    const { credit, charge } = upgradeProration(1000, 2000, april, at);
    expect(charge.amount).toBe(667);
    expect(credit.amount).toBe(-333);
    expect(credit.amount + charge.amount).toBe(334);
  });

  it("rounds a half-cent line away from zero", () => {
    // Half the month, $49.01 → $99.00: exact −2450.5 and +4950.
    const { credit, charge } = upgradeProration(4901, 9900, april, d("2026-04-16T00:00:00Z"));
    expect([credit.amount, charge.amount]).toEqual([-2451, 4950]);
  });

  it("gives a net credit for a downgrade made now", () => {
    const { credit, charge } = upgradeProration(9900, 4900, april, d("2026-04-21T00:00:00Z"));
    expect([credit.amount, charge.amount]).toEqual([-3300, 1633]); // −3300 and +1633.33
  });

  it("charges the whole new price and credits the whole old one at the period start", () => {
    const { credit, charge } = upgradeProration(4900, 9900, april, april.from);
    expect([credit.amount, charge.amount]).toEqual([-4900, 9900]);
    const atEnd = upgradeProration(4900, 9900, april, april.to);
    expect([atEnd.credit.amount, atEnd.charge.amount]).toEqual([0, 0]);
  });

  it("prorates by whole days when told to", () => {
    // 11 of 30 days left (April 20, started, to April 30): 3000 → 6000 is −1100 and +2200.
    const { credit, charge } = upgradeProration(3000, 6000, april, d("2026-04-20T12:00:00Z"), "day");
    expect([credit.amount, charge.amount]).toEqual([-1100, 2200]);
    expect(charge.share).toEqual({ unit: "day", count: 11, of: 30 });
  });

  it("refuses fractional amounts and a change outside the period", () => {
    const refused = (code: string, param: string) =>
      expect.objectContaining({ name: "TollgateError", code, param });
    expect(() => upgradeProration(10.5, 2000, april, april.from)).toThrow(
      refused("invalid_amount", "oldAmount"),
    );
    expect(() => upgradeProration(1000, Number.NaN, april, april.from)).toThrow(
      refused("invalid_amount", "newAmount"),
    );
    expect(() => upgradeProration(1000, 2000, april, d("2026-05-02T00:00:00Z"))).toThrow(
      refused("outside_period", "from"),
    );
  });
});

describe("proration properties", () => {
  const instant = fc.date({
    min: d("2000-01-01T00:00:00Z"),
    max: d("2100-01-01T00:00:00Z"),
    noInvalidDate: true,
  });
  const interval = fc.constantFrom("month" as const, "year" as const);
  /** A real billing period and an instant inside it. */
  const change = fc
    .tuple(instant, interval, instant, fc.double({ min: 0, max: 1, noNaN: true }))
    .map(([anchor, every, at, position]) => {
      const period = billingPeriod(anchor, every, at);
      const span = period.to.getTime() - period.from.getTime();
      return { period, at: new Date(period.from.getTime() + Math.floor(span * position)) };
    });
  const price = fc.integer({ min: 0, max: 100_000_000_00 });
  const unit = fc.constantFrom("second" as const, "day" as const);

  it("each line is its price's share rounded on its own, and the net within one minor unit of the exact net", () => {
    fc.assert(
      fc.property(price, price, change, unit, (oldAmount, newAmount, { period, at }, by) => {
        const { credit, charge } = upgradeProration(oldAmount, newAmount, period, at, by);
        const { count, of } = prorationShare(period, at, period.to, by);
        expect(charge.amount).toBe(roundedShare(newAmount, count, of));
        expect(credit.amount).toBe(0 - roundedShare(oldAmount, count, of) || 0);
        const net = BigInt(credit.amount + charge.amount) * BigInt(of);
        const exact = BigInt(newAmount - oldAmount) * BigInt(count);
        const error = net - exact;
        expect(error <= BigInt(of) && error >= -BigInt(of)).toBe(true);
        expect(credit.amount).toBeLessThanOrEqual(0);
        expect(charge.amount).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it("a change to the same price nets to nothing", () => {
    fc.assert(
      fc.property(price, change, unit, (amount, { period, at }, by) => {
        const { credit, charge } = upgradeProration(amount, amount, period, at, by);
        expect(credit.amount + charge.amount).toBe(0);
      }),
    );
  });

  it("prorate over the whole period is the amount, and any share is the exact share rounded once", () => {
    fc.assert(
      fc.property(price, change, (amount, { period, at }) => {
        expect(prorate(amount, period, period.from)).toBe(amount);
        expect(prorateByDays(amount, period, period.from)).toBe(amount);
        const { count, of } = prorationShare(period, at, period.to, "second");
        expect(prorate(amount, period, at)).toBe(roundedShare(amount, count, of));
      }),
    );
  });
});
