import { describe, expect, it } from "vitest";
import { contains, type Interval, overlaps } from "./interval";

const d = (iso: string) => new Date(iso);
const between = (from: string, to: string | null): Interval => ({
  from: d(from),
  to: to === null ? null : d(to),
});

describe("contains", () => {
  const march = between("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z");

  it("includes the start and excludes the end", () => {
    expect(contains(march, d("2026-03-01T00:00:00Z"))).toBe(true);
    expect(contains(march, d("2026-03-31T23:59:59.999Z"))).toBe(true);
    expect(contains(march, d("2026-04-01T00:00:00Z"))).toBe(false);
    expect(contains(march, d("2026-02-28T23:59:59.999Z"))).toBe(false);
  });

  it("never ends an open-ended interval", () => {
    const fromMarch = between("2026-03-01T00:00:00Z", null);
    expect(contains(fromMarch, d("2099-01-01T00:00:00Z"))).toBe(true);
    expect(contains(fromMarch, d("2026-02-28T23:59:59Z"))).toBe(false);
  });

  it("compares instants, not how they were written", () => {
    expect(contains(march, d("2026-03-31T22:00:00-04:00"))).toBe(false); // 02:00 UTC on April 1
    expect(contains(march, d("2026-03-01T01:00:00+02:00"))).toBe(false); // 23:00 UTC on Feb 28
  });

  it("contains nothing when empty", () => {
    const empty = between("2026-03-01T00:00:00Z", "2026-03-01T00:00:00Z");
    expect(contains(empty, d("2026-03-01T00:00:00Z"))).toBe(false);
  });
});

describe("overlaps", () => {
  const march = between("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z");

  it("does not overlap an interval that starts where it ends (half-open)", () => {
    const april = between("2026-04-01T00:00:00Z", "2026-05-01T00:00:00Z");
    expect(overlaps(march, april)).toBe(false);
    expect(overlaps(april, march)).toBe(false);
  });

  it("overlaps when they share an instant, in either order", () => {
    const lateMarch = between("2026-03-31T23:59:59.999Z", "2026-05-01T00:00:00Z");
    expect(overlaps(march, lateMarch)).toBe(true);
    expect(overlaps(lateMarch, march)).toBe(true);
    const inside = between("2026-03-10T00:00:00Z", "2026-03-11T00:00:00Z");
    expect(overlaps(march, inside)).toBe(true);
    expect(overlaps(inside, march)).toBe(true);
    expect(overlaps(march, march)).toBe(true);
  });

  it("does not overlap a disjoint interval", () => {
    const june = between("2026-06-01T00:00:00Z", "2026-07-01T00:00:00Z");
    expect(overlaps(march, june)).toBe(false);
    expect(overlaps(june, march)).toBe(false);
  });

  it("treats open-ended intervals as running forever", () => {
    const fromApril = between("2026-04-01T00:00:00Z", null);
    const fromMarch15 = between("2026-03-15T00:00:00Z", null);
    const since2020 = between("2020-01-01T00:00:00Z", null);
    expect(overlaps(march, fromApril)).toBe(false);
    expect(overlaps(fromApril, march)).toBe(false);
    expect(overlaps(march, fromMarch15)).toBe(true);
    expect(overlaps(fromMarch15, march)).toBe(true);
    expect(overlaps(fromApril, since2020)).toBe(true);
    expect(overlaps(since2020, fromApril)).toBe(true);
  });
});
