import { fromZodError, invalid, MAX_BATCH_EVENTS, TollgateError, UsageEventInput } from "@tollgate/core";
import { catalogFeatures } from "../catalog/catalogFeatures";
import type { EngineDeps, Env } from "../context";
import { customerKey } from "../customers/loadCustomer";
import { currentEntitlements } from "../entitlements/currentEntitlements";
import type { CustomerEntitlements } from "../entitlements/loadEntitlements";
import { EntitlementsAtEvent } from "./entitlementsAtEvent";
import type { Drawing, IngestWriter } from "./ingestWriter";
import { type EventRejection, isRejection, type PlacedEvent, placeEvent } from "./placeEvent";
import { eventKey, type UniqueValueRow } from "./usageWrites";

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: EventRejection[];
}

/**
 * Records a batch of usage events without enforcement (high-volume ingestion). Each event is
 * accepted, a duplicate (its id already recorded, now or earlier in the batch) or rejected with
 * a code; the accepted ones and their counters are written in one transaction (shared with
 * batches arriving at the same time, see IngestWriter), so a batch is either wholly recorded or
 * not at all, and retrying it counts nothing twice. An event of a feature that draws on credits
 * takes its cost from the balance, or what is left of it: ingestion refuses nothing, and the
 * balance never goes below zero (`track` is the call that refuses past it).
 */
export async function ingestEvents(
  deps: EngineDeps,
  writer: IngestWriter,
  env: Env,
  events: readonly unknown[],
): Promise<IngestResult> {
  if (events.length > MAX_BATCH_EVENTS) {
    throw invalid(
      "batch_too_large",
      `a batch holds at most ${MAX_BATCH_EVENTS} events (got ${events.length})`,
      "events",
    );
  }
  const now = deps.clock();
  const features = await catalogFeatures(deps);
  const entitlements = new EntitlementsAtEvent(deps, now);
  const rejected: EventRejection[] = [];
  const placed: PlacedEvent[] = [];
  const keys: string[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  for (const [index, raw] of events.entries()) {
    const parsed = UsageEventInput.safeParse(raw);
    if (!parsed.success) {
      const error = fromZodError(parsed.error);
      rejected.push({ index, code: error.code, message: error.message, ...paramOf(error) });
      continue;
    }
    const input = parsed.data;
    let atEvent: CustomerEntitlements;
    try {
      const held = entitlements.at({ env, customerId: input.customerId }, eventTime(input.timestamp, now));
      atEvent = held instanceof Promise ? await held : held;
    } catch (error) {
      if (!(error instanceof TollgateError) || error.type !== "not_found") throw error;
      rejected.push({ index, code: error.code, message: error.message, param: "customerId" });
      continue;
    }
    // Without a plan in force the event has no billing period to count in, and nothing bills it
    // (nor would `track` record it: no plan holds the feature): refused, instead of landing in a
    // window that never closes (which `check` read as the customer's usage once a plan started).
    if (!atEvent.subscription) {
      const at = eventTime(input.timestamp, now).toISOString();
      rejected.push({
        index,
        code: "no_subscription",
        message: `customer "${input.customerId}" had no plan in force at ${at}`,
        param: input.timestamp ? "timestamp" : "customerId",
      });
      continue;
    }
    const event = placeEvent(
      index,
      input,
      features.get(input.feature),
      atEvent,
      now,
      deps.config.lateWindowMs[env],
    );
    if (isRejection(event)) {
      rejected.push(event);
      continue;
    }
    const key = eventKey(env, input.customerId, input.id);
    if (seen.has(key)) {
      duplicates += 1;
      continue;
    }
    seen.add(key);
    placed.push(event);
    keys.push(key);
  }
  if (placed.length === 0) return { accepted: 0, duplicates, rejected };

  // Customers whose events draw credits: their wallets need the entitlements in force now, read
  // before the write's transaction (on PGlite a read beside it would wait for it).
  const drawing = new Map<string, Drawing>();
  for (const p of placed) {
    const ref = { env, customerId: p.input.customerId };
    if (!p.entitlement?.creditCost || drawing.has(customerKey(ref))) continue;
    drawing.set(customerKey(ref), { ref, entry: await currentEntitlements(deps, ref) });
  }
  const accepted = await writer.write(env, placed, keys, drawing);
  return { accepted, duplicates: duplicates + placed.length - accepted, rejected };
}

export const eventTime = (timestamp: string | undefined, now: Date) =>
  timestamp ? new Date(timestamp) : now;

const paramOf = (error: TollgateError) => (error.param === undefined ? {} : { param: error.param });

export const eventRow = (env: Env, p: PlacedEvent) => ({
  env,
  customerId: p.input.customerId,
  eventId: p.input.id,
  feature: p.input.feature,
  quantity: p.input.quantity,
  timestamp: p.timestamp,
  workspaceId: p.input.workspaceId ?? null,
  userId: p.input.userId ?? null,
  properties: p.input.properties ?? null,
  windowStart: p.windowStart,
  backfill: p.backfill,
});

export const uniqueRow = (env: Env, p: PlacedEvent, value: string): UniqueValueRow => ({
  env,
  customerId: p.input.customerId,
  eventId: p.input.id,
  feature: p.input.feature,
  scopeKey: p.scopeKey,
  windowStart: p.windowStart,
  value,
});

/** Events in the order of their ids' key (customer, environment, id): every writer's order. */
type EventKeyed = { customerId: string; env: string; eventId: string };
export const byEventKey = (a: EventKeyed, b: EventKeyed) =>
  a.customerId !== b.customerId
    ? compare(a.customerId, b.customerId)
    : a.env !== b.env
      ? compare(a.env, b.env)
      : compare(a.eventId, b.eventId);
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
