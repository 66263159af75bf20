import { describe, expect, it } from "vitest";
import type { UsagePoint } from "./types";
import { chartRange, usageChartModel } from "./usageChart";

const day = (date: string, quantity: number): UsagePoint => ({
  feature: "ai_tokens",
  start: `2026-06-${date}T00:00:00.000Z`,
  end: new Date(Date.parse(`2026-06-${date}T00:00:00.000Z`) + 86_400_000).toISOString(),
  quantity,
});

describe("chartRange", () => {
  const period = { periodStart: "2026-06-15T12:00:00.000Z", periodEnd: "2026-07-15T12:00:00.000Z" };
  const at = "2026-06-20T08:30:00.000Z";

  it("asks for the billing period by day when the limit counts over the period", () => {
    expect(chartRange({ window: "period" }, period, at)).toEqual({ granularity: "day", ...rename(period) });
  });

  it("asks for the last 48 hours by hour, or 14 days by day, when the limit is per window", () => {
    expect(chartRange({ window: "hour" }, period, at)).toEqual({
      granularity: "hour",
      from: "2026-06-18T09:00:00.000Z",
      to: "2026-06-20T09:00:00.000Z",
    });
    expect(chartRange({ window: "day" }, period, at)).toEqual({
      granularity: "day",
      from: "2026-06-07T00:00:00.000Z",
      to: "2026-06-21T00:00:00.000Z",
    });
  });

  it("asks for the last 30 days when the limit never resets or there is no period", () => {
    const last30 = { granularity: "day", from: "2026-05-22T00:00:00.000Z", to: "2026-06-21T00:00:00.000Z" };
    expect(chartRange({ window: "never" }, period, at)).toEqual(last30);
    expect(chartRange({ window: "period" }, null, at)).toEqual(last30);
  });
});

describe("usageChartModel", () => {
  const at = "2026-06-17T10:00:00.000Z";
  const points = [day("15", 100), day("16", 300), day("17", 50), day("18", 0)];

  it("sums usage over the period, ends on the used the entitlement reports, and burns the limit down", () => {
    // 30 of the 450 in the series fell before the period started: enforcement counts 420.
    const model = usageChartModel(points, { window: "period", limit: 1000, used: 420 }, "sum", at);
    expect(model.reading).toBe("cumulative");
    expect(model.rows.map((r) => [r.label, r.quantity, r.used, r.remaining])).toEqual([
      ["06-15", 100, 70, 930], // 420 - (300 + 50)
      ["06-16", 300, 370, 630], // 420 - 50
      ["06-17", 50, 420, 580],
      ["06-18", null, null, null], // after the server's now
    ]);
    // An even burn from the limit down to zero at the end of the series (4 days).
    expect(model.rows.map((r) => r.evenBurn)).toEqual([750, 500, 250, 0]);
  });

  it("shows usage past the limit as negative remaining", () => {
    const model = usageChartModel(points, { window: "period", limit: 400, used: 450 }, "count", at);
    expect(model.rows.at(2)).toMatchObject({ used: 450, remaining: -50 });
  });

  it("reads a level (latest, max) bucket by bucket against the limit, without an even burn", () => {
    const model = usageChartModel(points, { window: "never", limit: 500, used: 50 }, "latest", at);
    expect(model.reading).toBe("level");
    expect(model.rows.map((r) => [r.used, r.remaining, r.evenBurn])).toEqual([
      [100, 400, null],
      [300, 200, null],
      [50, 450, null],
      [null, null, null],
    ]);
  });

  it("reads a limit per day window by window, and an unlimited feature without remaining", () => {
    const perDay = usageChartModel(points, { window: "day", limit: 200, used: 50 }, "sum", at);
    expect(perDay.reading).toBe("per_window");
    expect(perDay.rows.map((r) => r.remaining)).toEqual([100, -100, 150, null]);
    const unlimited = usageChartModel(points, { window: "period", limit: null, used: 450 }, "sum", at);
    expect(unlimited.rows.map((r) => [r.used, r.remaining, r.evenBurn])).toEqual([
      [100, null, null],
      [400, null, null],
      [450, null, null],
      [null, null, null],
    ]);
  });

  it("labels hourly buckets with their day and hour", () => {
    const hour = {
      feature: "x",
      start: "2026-06-17T09:00:00.000Z",
      end: "2026-06-17T10:00:00.000Z",
      quantity: 3,
    };
    const model = usageChartModel([hour], { window: "hour", limit: 10, used: 3 }, "sum", at);
    expect(model.rows[0]).toMatchObject({ label: "06-17 09", quantity: 3, remaining: 7 });
  });
});

function rename(period: { periodStart: string; periodEnd: string }) {
  return { from: period.periodStart, to: period.periodEnd };
}
