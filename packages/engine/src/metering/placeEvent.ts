import {
  type Aggregation,
  counterWindow,
  type EffectiveEntitlement,
  type Feature,
  timeliness,
  type UsageEventInput,
} from "@tollgate/core";
import type { CustomerEntitlements } from "../entitlements/loadEntitlements";
import { scopeKeyOf } from "./scope";

/** An event checked against the catalog and its customer's contract, ready to be counted. */
export interface PlacedEvent {
  /** Position in the request, for per-event answers. */
  index: number;
  input: UsageEventInput;
  timestamp: Date;
  aggregation: Aggregation;
  /** The value a unique_count feature counts; null for the other aggregations. */
  uniqueValue: string | null;
  scopeKey: string;
  windowStart: Date;
  windowEnd: Date | null;
  backfill: boolean;
  /** The entitlement in force at the event's timestamp (undefined when the plan lacks it). */
  entitlement: EffectiveEntitlement | undefined;
  currency: string;
}

export interface EventRejection {
  index: number;
  code: string;
  message: string;
  param?: string;
}

/**
 * Where an event counts: the window of its entitlement that contains its timestamp (the
 * billing period when the plan does not meter the feature), and whether it is on time.
 */
export function placeEvent(
  index: number,
  input: UsageEventInput,
  feature: Feature | undefined,
  entitlements: CustomerEntitlements,
  now: Date,
  lateWindowMs: number,
): PlacedEvent | EventRejection {
  if (!feature) {
    return { index, code: "unknown_feature", message: `no feature "${input.feature}"`, param: "feature" };
  }
  if (feature.type !== "metered" || !feature.aggregation) {
    return {
      index,
      code: "feature_not_metered",
      message: `${feature.key} is a ${feature.type} feature; only metered features take usage`,
      param: "feature",
    };
  }
  let uniqueValue: string | null = null;
  if (feature.aggregation === "unique_count") {
    const value = feature.uniqueProperty ? input.properties?.[feature.uniqueProperty] : undefined;
    if (value === undefined || value === null || value === "") {
      return {
        index,
        code: "unique_property_missing",
        message: `${feature.key} counts unique values of properties.${feature.uniqueProperty}`,
        param: `properties.${feature.uniqueProperty}`,
      };
    }
    uniqueValue = typeof value === "string" ? value : JSON.stringify(value);
  }
  const timestamp = input.timestamp ? new Date(input.timestamp) : now;
  const entitlement = entitlements.effective?.entitlements[feature.key];
  const metered = entitlement?.type === "metered" ? entitlement : undefined;
  let scopeKey = "";
  if (metered) {
    try {
      scopeKey = scopeKeyOf(metered, input.workspaceId);
    } catch {
      return {
        index,
        code: "workspace_required",
        message: `${feature.key} is limited per workspace: the event needs a workspaceId`,
        param: "workspaceId",
      };
    }
  }
  const window = counterWindow(metered?.window ?? "period", timestamp, entitlements.period);
  const when = timeliness(timestamp, window.end, now, lateWindowMs);
  if (when === "in_future") {
    return {
      index,
      code: "timestamp_in_future",
      message: `the timestamp ${timestamp.toISOString()} is ahead of the server clock`,
      param: "timestamp",
    };
  }
  if (when === "too_late") {
    return {
      index,
      code: "event_too_late",
      message: `the window this event belongs to closed at ${window.end?.toISOString()}, beyond the late window`,
      param: "timestamp",
    };
  }
  return {
    index,
    input,
    timestamp,
    aggregation: feature.aggregation,
    uniqueValue,
    scopeKey,
    windowStart: window.start,
    windowEnd: window.end,
    backfill: when === "backfill",
    entitlement,
    currency: entitlements.effective?.currency ?? "usd",
  };
}

export const isRejection = (placed: PlacedEvent | EventRejection): placed is EventRejection =>
  "code" in placed;
