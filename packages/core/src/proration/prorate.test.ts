import { describe, expect, it } from "vitest";
import { prorate, prorateByDays } from "./prorate";
import { prorationShare } from "./prorationShare";

const d = (iso: string) => new Date(iso);
const march = { from: d("2026-03-01T00:00:00Z"), to: d("2026-04-01T00:00:00Z") }; // 31 days, 2,678,400 s
const refused = (code: string, param: string) =>
  expect.objectContaining({ name: "TollgateError", code, param });

describe("prorate", () => {
  it("charges the exact share of the period left, to the second", () => {
    // 16 of 31 days left: 4900 × 16/31 = 2529.03 → 2529.
    expect(prorate(4900, march, d("2026-03-16T00:00:00Z"))).toBe(2529);
    // One second short of the end: 4900 × 1/2,678,400 → 0.
    expect(prorate(4900, march, d("2026-03-31T23:59:59Z"))).toBe(0);
    // Half a 30-day month of $19.99 is 999.5 cents: half away from zero → 1000.
    const april = { from: d("2026-04-01T00:00:00Z"), to: d("2026-05-01T00:00:00Z") };
    expect(prorate(1999, april, d("2026-04-16T00:00:00Z"))).toBe(1000);
  });

  it("matches the line Stripe wrote for unused time on a $10 plan", () => {
    // Stripe's invoice: "Unused time on monthly widgets after 03 Mar 2017", period ending
    // 1489449600, proration date 1488568488: 1000 × 881,112 / 2,419,200 = 364.2 → 364.
    const period = { from: new Date(1_487_030_400_000), to: new Date(1_489_449_600_000) };
    expect(prorate(1000, period, new Date(1_488_568_488_000))).toBe(364);
  });

  it("charges the whole amount for the whole period and nothing for none of it", () => {
    expect(prorate(4900, march, march.from)).toBe(4900);
    expect(prorate(4900, march, march.from, march.to)).toBe(4900);
    expect(prorate(4900, march, march.to)).toBe(0);
    expect(prorate(4900, march, d("2026-03-10T00:00:00Z"), d("2026-03-10T00:00:00Z"))).toBe(0);
  });

  it("prorates a part of the period that ends before the period does", () => {
    // March 1–11: 10 of 31 days of 3100 = 1000.
    expect(prorate(3100, march, march.from, d("2026-03-11T00:00:00Z"))).toBe(1000);
  });

  it("ignores milliseconds, as Stripe's timestamps do", () => {
    const at = d("2026-03-16T00:00:00Z");
    const share = prorationShare(march, at, march.to, "second");
    expect(share).toEqual({ unit: "second", count: 16 * 86_400, of: 31 * 86_400 });
    expect(prorationShare(march, d("2026-03-16T00:00:00.999Z"), march.to, "second")).toEqual(share);
  });

  it("counts February's days, 29 in a leap year", () => {
    const february2028 = { from: d("2028-02-01T00:00:00Z"), to: d("2028-03-01T00:00:00Z") };
    expect(prorate(2900, february2028, d("2028-02-28T00:00:00Z"))).toBe(200); // 2 of 29 days
  });

  it("refuses instants outside the period, a period that does not run forward, and fractional amounts", () => {
    expect(() => prorate(4900, march, d("2026-02-28T00:00:00Z"))).toThrow(refused("outside_period", "from"));
    expect(() => prorate(4900, march, d("2026-04-01T00:00:01Z"))).toThrow(refused("outside_period", "from"));
    expect(() => prorate(4900, march, d("2026-03-10T00:00:00Z"), d("2026-03-09T00:00:00Z"))).toThrow(
      refused("outside_period", "to"),
    );
    expect(() => prorate(4900, march, march.from, d("2026-04-02T00:00:00Z"))).toThrow(
      refused("outside_period", "to"),
    );
    expect(() => prorate(4900, { from: march.to, to: march.from }, march.to)).toThrow(
      refused("invalid_period", "period"),
    );
    expect(() => prorate(49.5, march, march.from)).toThrow(refused("invalid_amount", "amount"));
  });
});

describe("prorateByDays", () => {
  it("counts whole UTC days, the day of the change as a whole day", () => {
    // A change at 15:00 on March 10 leaves March 10–31: 22 of 31 days of 3100 = 2200.
    expect(prorationShare(march, d("2026-03-10T15:00:00Z"), march.to, "day")).toEqual({
      unit: "day",
      count: 22,
      of: 31,
    });
    expect(prorateByDays(3100, march, d("2026-03-10T15:00:00Z"))).toBe(2200);
    expect(prorateByDays(3100, march, d("2026-03-10T00:00:00Z"))).toBe(2200);
    expect(prorateByDays(3100, march, d("2026-03-31T23:59:59Z"))).toBe(100);
    // By the second the same change leaves 21 days and 9 hours: 3100 × 21.375/31 = 2137.5 → 2138.
    expect(prorate(3100, march, d("2026-03-10T15:00:00Z"))).toBe(2138);
  });

  it("counts days of an anniversary period that starts mid-day", () => {
    const period = { from: d("2026-01-31T10:00:00Z"), to: d("2026-02-28T10:00:00Z") }; // 28 days
    expect(prorationShare(period, d("2026-02-27T11:00:00Z"), period.to, "day")).toMatchObject({
      count: 1,
      of: 28,
    });
    expect(prorateByDays(2800, period, period.from)).toBe(2800);
  });
});
