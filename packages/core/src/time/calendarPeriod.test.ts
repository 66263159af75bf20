import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { calendarPeriod } from "./calendarPeriod";
import { contains } from "./interval";

const d = (iso: string) => new Date(iso);

describe("calendarPeriod", () => {
  it("is the UTC month an instant falls in", () => {
    expect(calendarPeriod("month", d("2028-02-15T12:00:00Z"))).toEqual({
      from: d("2028-02-01T00:00:00Z"),
      to: d("2028-03-01T00:00:00Z"),
    });
    expect(calendarPeriod("month", d("2026-03-01T00:00:00Z")).from).toEqual(d("2026-03-01T00:00:00Z"));
    expect(calendarPeriod("month", d("2026-12-31T23:59:59.999Z"))).toEqual({
      from: d("2026-12-01T00:00:00Z"),
      to: d("2027-01-01T00:00:00Z"),
    });
  });

  it("is the UTC month, not the local one", () => {
    // 23:30 on March 31 in New York is already April in UTC.
    expect(calendarPeriod("month", d("2026-03-31T23:30:00-04:00")).from).toEqual(d("2026-04-01T00:00:00Z"));
  });

  it("is the UTC year an instant falls in", () => {
    expect(calendarPeriod("year", d("2028-02-29T00:00:00Z"))).toEqual({
      from: d("2028-01-01T00:00:00Z"),
      to: d("2029-01-01T00:00:00Z"),
    });
  });

  it("always contains the instant and starts on the first of a month at midnight", () => {
    const instant = fc.date({
      min: d("1970-01-01T00:00:00Z"),
      max: d("2200-01-01T00:00:00Z"),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(instant, fc.constantFrom("month" as const, "year" as const), (at, interval) => {
        const period = calendarPeriod(interval, at);
        expect(contains(period, at)).toBe(true);
        expect(period.from.toISOString()).toMatch(/-01T00:00:00.000Z$/);
        expect(period.to.toISOString()).toMatch(/-01T00:00:00.000Z$/);
      }),
    );
  });
});
