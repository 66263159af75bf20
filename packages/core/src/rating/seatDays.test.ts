import { describe, expect, it } from "vitest";
import { rateSeatStretch, type SeatHolding, seatStretches } from "./seatDays";

const at = (iso: string) => new Date(iso);
/** March 2027 from a calendar anchor: 31 days. */
const march = { from: at("2027-03-01T00:00:00Z"), to: at("2027-04-01T00:00:00Z") };
const held = (from: string, to: string | null = null): SeatHolding => ({
  from: at(from),
  to: to === null ? null : at(to),
});

describe("seatStretches", () => {
  it("bills every day at the seats held at its end: an addition pays its day, a removal does not", () => {
    const holdings = [
      held("2027-02-10T00:00:00Z"),
      held("2027-02-10T00:00:00Z", "2027-03-20T09:00:00Z"),
      held("2027-03-10T15:00:00Z"),
    ];
    const stretches = seatStretches(march, march, holdings);
    expect(stretches.map(({ seats, days }) => ({ seats, days }))).toEqual([
      { seats: 2, days: 9 }, // March 1–9
      { seats: 3, days: 10 }, // March 10 (added at 15:00) to 19
      { seats: 2, days: 12 }, // March 20 (removed at 09:00) to 31
    ]);
    expect(stretches.reduce((sum, s) => sum + s.days, 0)).toBe(31);
    expect(stretches[1]?.from).toEqual(at("2027-03-10T15:00:00Z"));
  });

  it("counts only the later of two changes in one day, and merges equal counts", () => {
    const holdings = [held("2027-03-05T08:00:00Z", "2027-03-05T17:00:00Z"), held("2027-03-01T00:00:00Z")];
    expect(seatStretches(march, march, holdings).map(({ seats, days }) => ({ seats, days }))).toEqual([
      { seats: 1, days: 31 },
    ]);
  });

  it("shares a split period's days between its contracts exactly, the day of the change to the new one", () => {
    const holdings = [held("2027-01-01T00:00:00Z")];
    const change = at("2027-03-12T13:30:00Z");
    const before = seatStretches(march, { from: march.from, to: change }, holdings);
    const after = seatStretches(march, { from: change, to: march.to }, holdings);
    expect(before.map((s) => s.days)).toEqual([11]);
    expect(after.map((s) => s.days)).toEqual([20]);
  });

  it("counts whole days from an anniversary period's own start, in UTC across DST", () => {
    const period = { from: at("2027-03-14T14:23:00Z"), to: at("2027-04-14T14:23:00Z") };
    const holdings = [held("2027-03-14T14:23:00Z"), held("2027-03-28T02:30:00Z")];
    expect(seatStretches(period, period, holdings).map(({ seats, days }) => ({ seats, days }))).toEqual([
      { seats: 1, days: 13 }, // the day from 03-27 14:23 holds the addition at 03-28 02:30
      { seats: 2, days: 18 },
    ]);
  });

  it("answers nothing for a span inside one day's change, and refuses a span outside the period", () => {
    expect(
      seatStretches(march, { from: march.from, to: march.from }, [held("2027-03-01T00:00:00Z")]),
    ).toEqual([]);
    expect(() => seatStretches(march, { from: at("2027-02-28T00:00:00Z"), to: march.to }, [])).toThrow(
      expect.objectContaining({ code: "outside_period" }),
    );
  });
});

describe("rateSeatStretch", () => {
  it("charges the seats past the included ones for their share of the period's days, rounded once", () => {
    const stretch = { from: march.from, to: march.to, seats: 5, days: 10 };
    // 1500 × (5 − 2) × 10 ÷ 31 = 1451.6129… → 1452
    expect(rateSeatStretch(1500, 2, stretch, march)).toEqual({
      billed: 3,
      amount: 1452,
      exactAmount: "1451.612903225806",
    });
    expect(rateSeatStretch(1500, 8, stretch, march)).toMatchObject({ billed: 0, amount: 0 });
    expect(rateSeatStretch(1500, 0, { ...stretch, days: 31 }, march).amount).toBe(7500);
  });

  it("sums a month's stretches to the whole-month price when the count never changed", () => {
    const holdings = [
      held("2027-01-01T00:00:00Z"),
      held("2027-01-01T00:00:00Z"),
      held("2027-01-01T00:00:00Z"),
    ];
    const change = at("2027-03-17T00:00:00Z");
    const lines = [
      ...seatStretches(march, { from: march.from, to: change }, holdings),
      ...seatStretches(march, { from: change, to: march.to }, holdings),
    ].map((s) => rateSeatStretch(999, 0, s, march).amount);
    // 999 × 3 × 16/31 = 1546.83 → 1547; × 15/31 = 1450.16 → 1450; 2997 = 999 × 3 exactly
    expect(lines).toEqual([1547, 1450]);
    expect(lines.reduce((sum, amount) => sum + amount, 0)).toBe(2997);
  });

  it("refuses a unit amount that is not integer minor units", () => {
    const stretch = { from: march.from, to: march.to, seats: 1, days: 31 };
    expect(() => rateSeatStretch(12.5, 0, stretch, march)).toThrow(
      expect.objectContaining({ code: "invalid_amount", param: "unitAmount" }),
    );
  });
});
