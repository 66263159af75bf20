import {
  type Decision,
  decide,
  fromZodError,
  notFound,
  requestedQuantity,
  TollgateError,
  UsageEventInput,
} from "@tollgate/core";
import { sql } from "drizzle-orm";
import { catalogFeatures } from "../catalog/catalogFeatures";
import type { CustomerRef, EngineDeps, Env } from "../context";
import { openWallet } from "../credits/wallet";
import { currentEntitlements } from "../entitlements/currentEntitlements";
import { cacheCounterValues } from "./counters";
import { logDecisions } from "./enforcementLog";
import { EntitlementsAtEvent } from "./entitlementsAtEvent";
import { eventRow, eventTime, uniqueRow } from "./ingestEvents";
import { isRejection, type PlacedEvent, placeEvent } from "./placeEvent";
import { expireHeld } from "./reservations";
import { fireThresholds } from "./thresholdEvents";
import { pastLimit, throttleScope, throttleWindow } from "./throttleCounter";
import { type CounterDelta, foldDeltas, type RecordedEvent } from "./usageDeltas";
import {
  applyCounterDeltas,
  applyHourly,
  existingEventIds,
  existingUniqueValues,
  insertEvents,
  insertUniqueValues,
  readCounters,
  uniqueKey,
  windowKey,
} from "./usageWrites";

export interface TrackResult {
  recorded: boolean;
  duplicate: boolean;
  decision: Decision;
}

interface Pending {
  placed: PlacedEvent;
  resolve: (result: TrackResult) => void;
  reject: (error: unknown) => void;
}

/** At most this many tracks of one customer share a transaction. */
const MAX_GROUP = 500;

/**
 * Check-and-record, exact under concurrency. Tracks of one customer queue in process and are
 * decided in order inside one transaction holding the customer's row lock (group commit): the
 * lock makes the decision exact across processes, the queue makes a hot customer cost one
 * transaction per group instead of one per call. A track refused under `block` records nothing.
 */
export class TrackQueues {
  readonly #deps: EngineDeps;
  readonly #queues = new Map<string, Pending[]>();

  constructor(deps: EngineDeps) {
    this.#deps = deps;
  }

  async track(env: Env, raw: unknown): Promise<TrackResult> {
    const parsed = UsageEventInput.safeParse(raw);
    if (!parsed.success) throw fromZodError(parsed.error);
    const input = parsed.data;
    const deps = this.#deps;
    const now = deps.clock();
    const ref = { env, customerId: input.customerId };
    const entitlements = await new EntitlementsAtEvent(deps).at(ref, eventTime(input.timestamp, now));
    const features = await catalogFeatures(deps);
    const placed = placeEvent(
      0,
      input,
      features.get(input.feature),
      entitlements,
      now,
      deps.config.lateWindowMs[env],
    );
    if (isRejection(placed)) {
      throw new TollgateError(
        placed.code === "unknown_feature" ? "not_found" : "invalid_request",
        placed.code,
        placed.message,
        placed.param === undefined ? {} : { param: placed.param },
      );
    }
    return new Promise<TrackResult>((resolve, reject) => {
      const key = `${env}\u0000${input.customerId}`;
      const queue = this.#queues.get(key);
      if (queue) {
        queue.push({ placed, resolve, reject });
        return;
      }
      const fresh = [{ placed, resolve, reject }];
      this.#queues.set(key, fresh);
      void this.#drain(key, ref, fresh);
    });
  }

  async #drain(key: string, ref: CustomerRef, queue: Pending[]): Promise<void> {
    while (queue.length > 0) {
      const group = queue.splice(0, MAX_GROUP);
      try {
        const results = await recordGroup(
          this.#deps,
          ref,
          group.map((p) => p.placed),
        );
        for (const [i, pending] of group.entries()) pending.resolve(results[i] as TrackResult);
      } catch (error) {
        for (const pending of group) pending.reject(error);
      }
    }
    this.#queues.delete(key);
  }
}

/** Decides a group of one customer's tracks in order and records those allowed, in one transaction. */
async function recordGroup(deps: EngineDeps, ref: CustomerRef, group: PlacedEvent[]): Promise<TrackResult[]> {
  const now = deps.clock();
  // Read before the transaction: on PGlite (one connection) a read outside it would wait for it.
  const current = await currentEntitlements(deps, ref);
  const { results, counters, credits } = await deps.db.transaction(async (tx) => {
    const locked = await tx.execute(
      sql`SELECT 1 FROM customers WHERE customer_id = ${ref.customerId} AND env = ${ref.env} FOR UPDATE`,
    );
    if ((locked as unknown as { rows: unknown[] }).rows.length === 0) {
      throw notFound("customer_not_found", `no ${ref.env} customer "${ref.customerId}"`, "customerId");
    }
    const freed = await expireHeld(tx, now, ref);
    const existing = await existingEventIds(
      tx,
      ref,
      group.map((p) => p.input.id),
    );
    const minute = throttleWindow(now);
    const throttled = group.filter((p) => p.entitlement?.enforcement === "throttle");
    const used = await readCounters(tx, ref, [
      ...group.map((p) => ({ feature: p.input.feature, scopeKey: p.scopeKey, windowStart: p.windowStart })),
      ...throttled.map((p) => ({
        feature: p.input.feature,
        scopeKey: throttleScope(p.scopeKey),
        windowStart: minute.start,
      })),
    ]);
    const admittedPastLimit = new Map<string, CounterDelta>();
    const uniques = group.flatMap((p) =>
      p.uniqueValue === null ? [] : [uniqueRow(ref.env, p, p.uniqueValue)],
    );
    const counted = await existingUniqueValues(tx, uniques);

    const wallet = await openWallet(tx, ref, current, group, now);
    const results: TrackResult[] = [];
    const decided: { eventId: string; decision: Decision }[] = [];
    const recorded: RecordedEvent[] = [];
    const seen = new Set<string>();
    for (const p of group) {
      const counterId = windowKey(p.input.feature, p.scopeKey, p.windowStart);
      const before = used.get(counterId) ?? 0;
      const unique = p.uniqueValue === null ? null : uniqueKey(uniqueRow(ref.env, p, p.uniqueValue));
      const firstSeen = unique !== null && !counted.has(unique);
      const requested = requestedQuantity(p.aggregation, before, p.input.quantity, firstSeen);
      const decision = decide({
        feature: p.input.feature,
        entitlement: p.entitlement,
        used: before,
        quantity: requested,
        resetsAt: p.windowEnd?.toISOString() ?? null,
        currency: p.currency,
        credits: wallet.state(),
        throttle: {
          used: used.get(windowKey(p.input.feature, throttleScope(p.scopeKey), minute.start)) ?? 0,
          secondsLeft: (minute.end.getTime() - now.getTime()) / 1000,
        },
      });
      const duplicate = existing.has(p.input.id) || seen.has(p.input.id);
      if (!duplicate) decided.push({ eventId: p.input.id, decision });
      if (duplicate || !decision.allowed) {
        results.push({ recorded: false, duplicate, decision });
        continue;
      }
      if (decision.credits && !decision.credits.unlimited)
        wallet.debit(decision.credits.cost, p.input.feature, p.input.id);
      seen.add(p.input.id);
      if (unique !== null) counted.add(unique);
      used.set(counterId, before + requested);
      if (decision.reason === "throttle_admitted") {
        const excess = pastLimit(decision.limit, before, requested);
        const throttleId = windowKey(p.input.feature, throttleScope(p.scopeKey), minute.start);
        used.set(throttleId, (used.get(throttleId) ?? 0) + excess);
        const held = admittedPastLimit.get(throttleId);
        if (held) held.value += excess;
        else
          admittedPastLimit.set(throttleId, {
            env: ref.env,
            customerId: ref.customerId,
            feature: p.input.feature,
            scopeKey: throttleScope(p.scopeKey),
            windowStart: minute.start,
            windowEnd: minute.end,
            op: "add",
            value: excess,
            latestAt: null,
            limit: null,
            thresholds: [],
          });
      }
      recorded.push({ env: ref.env, placed: p, firstSeen });
      results.push({ recorded: true, duplicate: false, decision: afterRecording(decision, requested) });
    }
    await insertEvents(
      tx,
      recorded.map((r) => eventRow(ref.env, r.placed)),
      now,
    );
    await insertUniqueValues(
      tx,
      recorded.flatMap((r) =>
        r.placed.uniqueValue === null ? [] : [uniqueRow(ref.env, r.placed, r.placed.uniqueValue)],
      ),
    );
    const folded = foldDeltas(recorded);
    const counters = await applyCounterDeltas(tx, [...folded.counters, ...admittedPastLimit.values()], now);
    await applyHourly(tx, folded.hourly);
    await fireThresholds(tx, folded.counters, counters, now);
    await wallet.save();
    await logDecisions(tx, ref, decided, now);
    return { results, counters: [...freed, ...counters], credits: wallet.state() };
  });
  cacheCounterValues(deps.cache, counters);
  const cached = deps.cache.peek(ref);
  if (cached) cached.credits = credits;
  return results;
}

/** The decision as the caller sees it once the usage is recorded: used and remaining after it. */
function afterRecording(decision: Decision, requested: number): Decision {
  const used = decision.used + requested;
  return {
    ...decision,
    used,
    remaining: decision.limit === null ? null : Math.max(0, decision.limit - used),
  };
}
