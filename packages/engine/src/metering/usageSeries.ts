import { type Aggregation, invalid } from "@tollgate/core";
import { sql } from "drizzle-orm";
import { catalogFeatures } from "../catalog/catalogFeatures";
import type { CustomerRef, EngineDeps } from "../context";
import { requireCustomer } from "../customers/loadCustomer";

export const GRANULARITIES = ["hour", "day", "month"] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export interface UsageSeriesInput {
  feature?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  granularity?: Granularity | undefined;
}

export interface UsagePoint {
  feature: string;
  start: string;
  end: string;
  quantity: number;
}

const MAX_BUCKETS = 10_000;
const DAY = 86_400_000;

/**
 * Usage per bucket, read from the hourly rollups (never raw events), aggregated the way the
 * feature aggregates: sum of quantities, count of events, max, the latest value, or the values
 * first seen in their window (unique counts). `from` is taken down to its hour; `to` is
 * exclusive and defaults to the end of the current bucket. With a feature,
 * empty buckets are answered as zero so charts have no holes.
 */
export async function usageSeries(
  deps: EngineDeps,
  ref: CustomerRef,
  input: UsageSeriesInput,
): Promise<UsagePoint[]> {
  await requireCustomer(deps.db, ref);
  const granularity = input.granularity ?? "day";
  const to = input.to ?? nextBucket(granularity, truncate(granularity, deps.clock()));
  const from = input.from ?? new Date(to.getTime() - 30 * DAY);
  if (from >= to) throw invalid("parameter_invalid", "from must be before to", "from");
  const features = await catalogFeatures(deps);
  if (input.feature !== undefined && !features.has(input.feature)) {
    throw invalid("unknown_feature", `no feature "${input.feature}"`, "feature");
  }
  const buckets = bucketStarts(granularity, from, to);
  if (buckets.length > MAX_BUCKETS) {
    throw invalid(
      "too_many_buckets",
      `at most ${MAX_BUCKETS} buckets; use a coarser granularity`,
      "granularity",
    );
  }
  const result = (await deps.db.execute(sql`
    SELECT feature_key,
           date_trunc(${granularity}, hour_start AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS bucket,
           SUM(quantity) AS quantity, SUM(events) AS events, MAX(max_quantity) AS max_quantity,
           SUM(first_seen) AS first_seen,
           (array_agg(latest_quantity ORDER BY latest_at DESC))[1] AS latest_quantity
    FROM usage_hourly
    WHERE customer_id = ${ref.customerId} AND env = ${ref.env}
      AND hour_start >= ${floorHour(from).toISOString()}::timestamptz AND hour_start < ${to.toISOString()}::timestamptz
      ${input.feature === undefined ? sql`` : sql`AND feature_key = ${input.feature}`}
    GROUP BY 1, 2 ORDER BY 2, 1`)) as unknown as { rows: Record<string, unknown>[] };
  const found = new Map<string, number>();
  for (const row of result.rows) {
    const feature = row.feature_key as string;
    const aggregation = features.get(feature)?.aggregation ?? "sum";
    found.set(`${feature}\u0000${new Date(row.bucket as string).getTime()}`, bucketValue(aggregation, row));
  }
  const points: UsagePoint[] = [];
  const featureKeys =
    input.feature !== undefined
      ? [input.feature]
      : [...new Set(result.rows.map((r) => r.feature_key as string))].sort();
  for (const [i, start] of buckets.entries()) {
    const end = buckets[i + 1] ?? nextBucket(granularity, start);
    for (const feature of featureKeys) {
      const quantity = found.get(`${feature}\u0000${start.getTime()}`);
      if (quantity === undefined && input.feature === undefined) continue;
      points.push({ feature, start: start.toISOString(), end: end.toISOString(), quantity: quantity ?? 0 });
    }
  }
  return points;
}

function bucketValue(aggregation: Aggregation, row: Record<string, unknown>): number {
  switch (aggregation) {
    case "sum":
      return Number(row.quantity);
    case "count":
      return Number(row.events);
    case "max":
      return Number(row.max_quantity);
    case "unique_count":
      return Number(row.first_seen);
    case "latest":
      return Number(row.latest_quantity);
  }
}

const floorHour = (d: Date) => new Date(Math.floor(d.getTime() / 3_600_000) * 3_600_000);

function truncate(granularity: Granularity, d: Date): Date {
  switch (granularity) {
    case "hour":
      return floorHour(d);
    case "day":
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
    case "month":
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
  }
}

function nextBucket(granularity: Granularity, start: Date): Date {
  switch (granularity) {
    case "hour":
      return new Date(start.getTime() + 3_600_000);
    case "day":
      return new Date(start.getTime() + DAY);
    case "month":
      return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  }
}

/** The starts of the buckets covering [from, to), in order. */
function bucketStarts(granularity: Granularity, from: Date, to: Date): Date[] {
  const starts: Date[] = [];
  for (let start = truncate(granularity, from); start < to; start = nextBucket(granularity, start)) {
    starts.push(start);
    if (starts.length > MAX_BUCKETS) break;
  }
  return starts;
}

/**
 * Each feature's usage over [from, to), from the hourly rollups, aggregated the way the feature
 * aggregates (what an invoice rates). `from` and `to` are taken down to their hours.
 */
export async function usageTotals(
  deps: EngineDeps,
  ref: CustomerRef,
  from: Date,
  to: Date,
): Promise<Map<string, number>> {
  const features = await catalogFeatures(deps);
  const result = (await deps.db.execute(sql`
    SELECT feature_key, SUM(quantity) AS quantity, SUM(events) AS events, MAX(max_quantity) AS max_quantity,
           SUM(first_seen) AS first_seen,
           (array_agg(latest_quantity ORDER BY latest_at DESC))[1] AS latest_quantity
    FROM usage_hourly
    WHERE customer_id = ${ref.customerId} AND env = ${ref.env}
      AND hour_start >= ${floorHour(from).toISOString()}::timestamptz AND hour_start < ${floorHour(to).toISOString()}::timestamptz
    GROUP BY feature_key`)) as unknown as { rows: Record<string, unknown>[] };
  return new Map(
    result.rows.map((row) => {
      const feature = row.feature_key as string;
      return [feature, bucketValue(features.get(feature)?.aggregation ?? "sum", row)];
    }),
  );
}
