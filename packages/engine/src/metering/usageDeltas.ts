import { addQuantities } from "@tollgate/core";
import type { Env } from "../context";
import { iso } from "./batchSql";
import type { PlacedEvent } from "./placeEvent";

/** How a counter combines what a batch adds: add (sum, count, unique), max, or latest value. */
export type CounterOp = "add" | "max" | "latest";

export interface CounterKey {
  env: Env;
  customerId: string;
  feature: string;
  scopeKey: string;
  windowStart: Date;
}

/** A counter key's columns, in the order every statement's `unnest` lists them. */
export const counterKeyColumns: ((key: CounterKey) => unknown)[] = [
  (k) => k.env,
  (k) => k.customerId,
  (k) => k.feature,
  (k) => k.scopeKey,
  (k) => iso(k.windowStart),
];

/** One counter window of one customer, as a map key. */
export const counterWindowId = (k: CounterKey) =>
  `${k.env}\u0000${k.customerId}\u0000${k.feature}\u0000${k.scopeKey}\u0000${k.windowStart.getTime()}`;

export interface CounterDelta {
  env: Env;
  customerId: string;
  feature: string;
  scopeKey: string;
  windowStart: Date;
  windowEnd: Date | null;
  op: CounterOp;
  value: number;
  /** For `latest`: the timestamp of `value`. */
  latestAt: Date | null;
  /** The limit and alert thresholds in force for this counter, when it has a limit. */
  limit: number | null;
  thresholds: number[];
}

export interface HourlyDelta {
  env: Env;
  customerId: string;
  feature: string;
  hourStart: Date;
  quantity: number;
  events: number;
  maxQuantity: number;
  firstSeen: number;
  latestQuantity: number;
  latestAt: Date;
}

const HOUR = 3_600_000;

/** An event that was recorded, with whether it was the first of its unique value in the window. */
export interface RecordedEvent {
  env: Env;
  placed: PlacedEvent;
  firstSeen: boolean;
}

/**
 * Folds recorded events into one delta per counter and per hourly rollup, so a batch of any
 * size updates each row once.
 */
export function foldDeltas(recorded: readonly RecordedEvent[]): {
  counters: CounterDelta[];
  hourly: HourlyDelta[];
} {
  const counters = new Map<string, CounterDelta>();
  const hourly = new Map<string, HourlyDelta>();
  for (const { env, placed, firstSeen } of recorded) {
    const { input, timestamp } = placed;
    const q = input.quantity;
    const counterId = counterWindowId({
      env,
      customerId: input.customerId,
      feature: input.feature,
      scopeKey: placed.scopeKey,
      windowStart: placed.windowStart,
    });
    let counter = counters.get(counterId);
    if (!counter) {
      counter = {
        env,
        customerId: input.customerId,
        feature: input.feature,
        scopeKey: placed.scopeKey,
        windowStart: placed.windowStart,
        windowEnd: placed.windowEnd,
        op: placed.aggregation === "max" ? "max" : placed.aggregation === "latest" ? "latest" : "add",
        value: 0,
        latestAt: null,
        limit: placed.entitlement?.type === "metered" ? placed.entitlement.limit : null,
        thresholds: placed.entitlement?.type === "metered" ? placed.entitlement.thresholds : [],
      };
      counters.set(counterId, counter);
    }
    switch (placed.aggregation) {
      case "sum":
        counter.value = addQuantities(counter.value, q);
        break;
      case "count":
        counter.value += 1;
        break;
      case "unique_count":
        if (firstSeen) counter.value += 1;
        break;
      case "max":
        counter.value = Math.max(counter.value, q);
        break;
      case "latest":
        if (!counter.latestAt || timestamp >= counter.latestAt) {
          counter.value = q;
          counter.latestAt = timestamp;
        }
        break;
    }
    const hourMs = Math.floor(timestamp.getTime() / HOUR) * HOUR;
    const hourId = `${env}\u0000${input.customerId}\u0000${input.feature}\u0000${hourMs}`;
    const hour = hourly.get(hourId);
    if (!hour) {
      hourly.set(hourId, {
        env,
        customerId: input.customerId,
        feature: input.feature,
        hourStart: new Date(hourMs),
        quantity: q,
        events: 1,
        maxQuantity: q,
        firstSeen: firstSeen ? 1 : 0,
        latestQuantity: q,
        latestAt: timestamp,
      });
    } else {
      hour.quantity = addQuantities(hour.quantity, q);
      hour.events += 1;
      hour.maxQuantity = Math.max(hour.maxQuantity, q);
      if (firstSeen) hour.firstSeen += 1;
      if (timestamp >= hour.latestAt) {
        hour.latestQuantity = q;
        hour.latestAt = timestamp;
      }
    }
  }
  // In key order: concurrent batches then lock the rows they share in the same order, so they
  // wait for each other instead of deadlocking.
  return { counters: sortedValues(counters), hourly: sortedValues(hourly) };
}

function sortedValues<T>(byKey: Map<string, T>): T[] {
  return [...byKey.keys()].sort().map((key) => byKey.get(key) as T);
}
