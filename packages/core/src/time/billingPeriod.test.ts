import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addMonthsClamped, billingPeriod } from "./billingPeriod";

const d = (iso: string) => new Date(iso);

describe("billing periods", () => {
  it("clamps a Jan 31 anchor to Feb 28 and recovers to Mar 31", () => {
    const anchor = d("2026-01-31T10:00:00Z");
    expect(addMonthsClamped(anchor, 1)).toEqual(d("2026-02-28T10:00:00Z"));
    expect(addMonthsClamped(anchor, 2)).toEqual(d("2026-03-31T10:00:00Z"));
    expect(addMonthsClamped(anchor, 3)).toEqual(d("2026-04-30T10:00:00Z"));
    expect(addMonthsClamped(d("2028-01-31T00:00:00Z"), 1)).toEqual(d("2028-02-29T00:00:00Z"));
  });

  it("clamps a yearly Feb 29 anchor to Feb 28", () => {
    expect(addMonthsClamped(d("2028-02-29T00:00:00Z"), 12)).toEqual(d("2029-02-28T00:00:00Z"));
  });

  it("keeps a yearly Feb 29 anchor on Feb 28 in common years and Feb 29 in leap years", () => {
    const anchor = d("2028-02-29T00:00:00Z");
    expect(billingPeriod(anchor, "year", d("2029-02-27T23:59:59Z"))).toEqual({
      from: d("2028-02-29T00:00:00Z"),
      to: d("2029-02-28T00:00:00Z"),
    });
    expect(billingPeriod(anchor, "year", d("2029-02-28T00:00:00Z"))).toEqual({
      from: d("2029-02-28T00:00:00Z"),
      to: d("2030-02-28T00:00:00Z"),
    });
    expect(billingPeriod(anchor, "year", d("2032-03-01T00:00:00Z"))).toEqual({
      from: d("2032-02-29T00:00:00Z"),
      to: d("2033-02-28T00:00:00Z"),
    });
  });

  it("finds the half-open period containing an instant", () => {
    const anchor = d("2026-01-31T00:00:00Z");
    expect(billingPeriod(anchor, "month", d("2026-02-28T00:00:00Z"))).toEqual({
      from: d("2026-02-28T00:00:00Z"),
      to: d("2026-03-31T00:00:00Z"),
    });
    expect(billingPeriod(anchor, "month", d("2026-02-27T23:59:59Z")).from).toEqual(d("2026-01-31T00:00:00Z"));
    expect(billingPeriod(anchor, "year", d("2027-06-01T00:00:00Z"))).toEqual({
      from: d("2027-01-31T00:00:00Z"),
      to: d("2028-01-31T00:00:00Z"),
    });
  });

  it("always returns a period that contains the instant, before or after the anchor", () => {
    const instant = fc.date({
      min: d("2000-01-01T00:00:00Z"),
      max: d("2100-01-01T00:00:00Z"),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(
        instant,
        instant,
        fc.constantFrom("month" as const, "year" as const),
        (anchor, at, interval) => {
          const period = billingPeriod(anchor, interval, at);
          return period.from <= at && at < period.to;
        },
      ),
    );
  });
});
