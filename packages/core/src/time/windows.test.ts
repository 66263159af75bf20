import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WINDOWS, windowEnd } from "./windows";

const d = (iso: string) => new Date(iso);
const periodEnd = d("2026-07-01T00:00:00Z");

describe("windowEnd", () => {
  it("ends an hour window at the next whole UTC hour", () => {
    expect(windowEnd("hour", d("2026-06-15T10:00:00Z"), periodEnd)).toEqual(d("2026-06-15T11:00:00Z"));
    expect(windowEnd("hour", d("2026-06-15T10:59:59.999Z"), periodEnd)).toEqual(d("2026-06-15T11:00:00Z"));
    expect(windowEnd("hour", d("2026-06-15T10:30:00Z"), null)).toEqual(d("2026-06-15T11:00:00Z"));
  });

  it("rolls an hour window over the day, month and year", () => {
    expect(windowEnd("hour", d("2026-06-15T23:30:00Z"), null)).toEqual(d("2026-06-16T00:00:00Z"));
    expect(windowEnd("hour", d("2026-02-28T23:00:00Z"), null)).toEqual(d("2026-03-01T00:00:00Z"));
    expect(windowEnd("hour", d("2026-12-31T23:59:59Z"), null)).toEqual(d("2027-01-01T00:00:00Z"));
  });

  it("ends a day window at the next UTC midnight, whatever the offset the instant was written in", () => {
    expect(windowEnd("day", d("2026-06-15T00:00:00Z"), periodEnd)).toEqual(d("2026-06-16T00:00:00Z"));
    expect(windowEnd("day", d("2026-06-15T23:59:59.999Z"), periodEnd)).toEqual(d("2026-06-16T00:00:00Z"));
    // 22:00 in New York on June 15 is 02:00 UTC on June 16.
    expect(windowEnd("day", d("2026-06-15T22:00:00-04:00"), null)).toEqual(d("2026-06-17T00:00:00Z"));
    expect(windowEnd("day", d("2028-02-28T12:00:00Z"), null)).toEqual(d("2028-02-29T00:00:00Z"));
    expect(windowEnd("day", d("2026-12-31T12:00:00Z"), null)).toEqual(d("2027-01-01T00:00:00Z"));
  });

  it("ends a period window with the billing period, and not at all without one", () => {
    expect(windowEnd("period", d("2026-06-15T10:00:00Z"), periodEnd)).toBe(periodEnd);
    expect(windowEnd("period", d("2026-06-15T10:00:00Z"), null)).toBeNull();
  });

  it("never resets a never window", () => {
    expect(windowEnd("never", d("2026-06-15T10:00:00Z"), periodEnd)).toBeNull();
    expect(windowEnd("never", d("2026-06-15T10:00:00Z"), null)).toBeNull();
  });

  it("formats as the resetsAt the API answers", () => {
    expect(windowEnd("hour", d("2026-06-15T10:20:00Z"), null)?.toISOString()).toBe(
      "2026-06-15T11:00:00.000Z",
    );
    expect(windowEnd("day", d("2026-06-15T10:20:00Z"), null)?.toISOString()).toBe("2026-06-16T00:00:00.000Z");
  });

  it("always ends a clock window after the instant, within its length, on a boundary", () => {
    const lengths = { hour: 3_600_000, day: 86_400_000 } as const;
    fc.assert(
      fc.property(
        fc.date({ min: d("2000-01-01T00:00:00Z"), max: d("2100-01-01T00:00:00Z"), noInvalidDate: true }),
        fc.constantFrom("hour" as const, "day" as const),
        (at, window) => {
          const end = windowEnd(window, at, null);
          expect(end).not.toBeNull();
          const ms = end?.getTime() ?? Number.NaN;
          expect(ms).toBeGreaterThan(at.getTime());
          expect(ms - at.getTime()).toBeLessThanOrEqual(lengths[window]);
          expect(ms % lengths[window]).toBe(0);
        },
      ),
    );
  });

  it("knows exactly the four windows of the catalog format", () => {
    expect([...WINDOWS]).toEqual(["hour", "day", "period", "never"]);
  });
});

describe("windowEnd on a server whose clock is not in UTC", () => {
  const savedTz = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = "Asia/Kolkata"; // UTC+05:30: local hours and dates differ from UTC ones
  });
  afterAll(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  it("still counts hours and days in UTC", () => {
    expect(new Date("2026-06-15T20:00:00Z").getDate()).toBe(16); // the zone took effect
    expect(windowEnd("hour", d("2026-06-15T10:20:00Z"), null)).toEqual(d("2026-06-15T11:00:00Z"));
    expect(windowEnd("day", d("2026-06-15T20:00:00Z"), null)).toEqual(d("2026-06-16T00:00:00Z"));
    expect(windowEnd("day", d("2026-06-15T03:00:00Z"), null)).toEqual(d("2026-06-16T00:00:00Z"));
  });
});
