import type { Entitlement, Feature, UsagePoint } from "./types";

type Granularity = "hour" | "day";

/** The usage series a feature's chart reads: GET /v1/customers/:id/usage with these. */
export interface ChartRange {
  granularity: Granularity;
  from: string;
  to: string;
}

/** One bucket of a chart; null where the bucket lies after the server's "now". */
export interface ChartRow {
  label: string;
  /** Usage in the bucket, as the feature aggregates it. */
  quantity: number | null;
  /** Usage counted against the limit at the bucket's end. */
  used: number | null;
  /** The limit less `used`: below zero once the limit is passed. */
  remaining: number | null;
  /** An even burn of the limit over the period, for comparison. */
  evenBurn: number | null;
}

export interface UsageChartModel {
  rows: ChartRow[];
  /** How `used` reads: summed over the period (or ever), a level, or each window on its own. */
  reading: "cumulative" | "level" | "per_window";
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const LEVELS = new Set(["latest", "max"]);

/**
 * What to ask for: the billing period by day for a limit over the period; the last 14 days or
 * 48 hours for a limit per day or hour; the last 30 days for a limit that never resets.
 */
export function chartRange(
  entitlement: Pick<Entitlement, "window">,
  period: { periodStart: string; periodEnd: string } | null,
  at: string,
): ChartRange {
  const now = Date.parse(at);
  const endOfToday = Math.floor(now / DAY) * DAY + DAY;
  if (entitlement.window === "hour") {
    const endOfHour = Math.floor(now / HOUR) * HOUR + HOUR;
    return { granularity: "hour", from: iso(endOfHour - 48 * HOUR), to: iso(endOfHour) };
  }
  if (entitlement.window === "period" && period) {
    return { granularity: "day", from: period.periodStart, to: period.periodEnd };
  }
  const days = entitlement.window === "day" ? 14 : 30;
  return { granularity: "day", from: iso(endOfToday - days * DAY), to: iso(endOfToday) };
}

/**
 * The rows of one feature's chart. Usage summed over the period is anchored on the `used` the
 * entitlement reports, so the last bucket reads exactly what enforcement counts; a level
 * (latest, max) or a limit per window is compared bucket by bucket.
 */
export function usageChartModel(
  points: readonly UsagePoint[],
  entitlement: Pick<Entitlement, "window" | "limit" | "used">,
  aggregation: Feature["aggregation"],
  at: string,
): UsageChartModel {
  const now = Date.parse(at);
  const past = points.filter((p) => Date.parse(p.start) <= now);
  const reading =
    entitlement.window === "hour" || entitlement.window === "day"
      ? "per_window"
      : LEVELS.has(aggregation ?? "")
        ? "level"
        : "cumulative";
  let later = past.reduce((sum, p) => sum + p.quantity, 0);
  const [firstPoint, lastPoint] = [points[0], points.at(-1)];
  const first = firstPoint ? Date.parse(firstPoint.start) : now;
  const last = lastPoint ? Date.parse(lastPoint.end) : now;
  const hourly = firstPoint !== undefined && Date.parse(firstPoint.end) - first <= HOUR;
  const rows = points.map((point): ChartRow => {
    const isPast = Date.parse(point.start) <= now;
    let used: number | null = null;
    if (isPast && reading === "cumulative") {
      later -= point.quantity;
      used = Math.max(0, entitlement.used - later);
    } else if (isPast) {
      used = point.quantity;
    }
    const { limit } = entitlement;
    const share = (Date.parse(point.end) - first) / (last - first);
    return {
      label: hourly ? point.start.slice(5, 13).replace("T", " ") : point.start.slice(5, 10),
      quantity: isPast ? point.quantity : null,
      used,
      remaining: used === null || limit === null ? null : limit - used,
      evenBurn:
        reading === "cumulative" && entitlement.window === "period" && limit !== null
          ? Math.round(limit * (1 - share))
          : null,
    };
  });
  return { rows, reading };
}

const iso = (ms: number) => new Date(ms).toISOString();
