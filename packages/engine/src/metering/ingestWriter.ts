import { type Aggregation, creditsFor, requestedQuantity } from "@tollgate/core";
import { ensureEventPartitions, type Queryable, type Tx } from "@tollgate/store";
import type { CustomerRef, EngineDeps, Env } from "../context";
import type { CreditState } from "../credits/creditBalance";
import { cacheCreditStates, openWallets, saveWallets } from "../credits/wallet";
import { customerKey, lockCustomers } from "../customers/loadCustomer";
import type { CustomerEntitlements } from "../entitlements/loadEntitlements";
import { cacheCounterValues } from "./counters";
import { byEventKey, eventRow, uniqueRow } from "./ingestEvents";
import type { PlacedEvent } from "./placeEvent";
import { fireThresholds } from "./thresholdEvents";
import { foldDeltas, type RecordedEvent } from "./usageDeltas";
import {
  isDeadlock,
  isEventIdTaken,
  retried,
  type UsageWrites,
  type UsageWritten,
  uniqueKey,
  writeUsage,
} from "./usageWrites";

/** A customer whose events draw credits, with the entitlements in force now (its wallet's terms). */
export interface Drawing {
  ref: CustomerRef;
  entry: CustomerEntitlements;
}

interface Waiting {
  env: Env;
  placed: PlacedEvent[];
  /** Each placed event's `eventKey`, in the same order. */
  keys: string[];
  /** The customers whose events draw credits, with their entitlements now, by customer key. */
  drawing: ReadonlyMap<string, Drawing>;
  resolve: (recorded: number) => void;
  reject: (error: unknown) => void;
}

/** At most this many events share a transaction (a batch is never split). */
const MAX_EVENTS = 10_000;

/**
 * Writes ingested batches, merging those that arrive while the writes run into the next one
 * transaction (group commit). Merging matters because batches from many producers touch the
 * same customers' counters and hourly rollups: written one transaction each, they would update
 * each of those rows once a batch and queue on its row lock; merged, each row is updated once.
 * `config.ingestWriters` writes run at once per process (two on PostgreSQL), staged: the next
 * write starts once the running one has inserted its events, so one inserts events while the
 * other updates the counters both share, and what arrives meanwhile waits to be merged. (Let
 * free, two writes inserted their events side by side and then queued on each other's counter
 * locks, each with half the batches: 1000-event batches over 1000 customers ran 13–15 % slower,
 * alternated.) A write that meets ids already recorded lets the next start at once: a replay
 * updates no counter. Every writer takes ids, unique values and counters in that order, each in
 * key order, so writers wait for each other rather than deadlock. A batch is still all or nothing
 * (its transaction holds all of it), and an id sent in two merged batches is recorded for the
 * first and a duplicate for the second.
 */
export class IngestWriter {
  readonly #deps: EngineDeps;
  readonly #waiting: Waiting[] = [];
  #running = 0;
  /** Whether a running write has not yet inserted its events. */
  #inserting = false;

  constructor(deps: EngineDeps) {
    this.#deps = deps;
  }

  /**
   * Records the placed events of one batch, whose `eventKey`s are `keys` (no two alike); answers
   * how many were new (the rest are duplicates).
   */
  write(
    env: Env,
    placed: PlacedEvent[],
    keys: string[],
    drawing: ReadonlyMap<string, Drawing> = new Map(),
  ): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.#waiting.push({ env, placed, keys, drawing, resolve, reject });
      this.#pump();
    });
  }

  #pump(): void {
    if (this.#running >= this.#deps.config.ingestWriters || this.#inserting || this.#waiting.length === 0)
      return;
    let size = 0;
    let count = 0;
    for (const batch of this.#waiting) {
      if (count > 0 && size + batch.placed.length > MAX_EVENTS) break;
      size += batch.placed.length;
      count += 1;
    }
    const taken = this.#waiting.splice(0, count);
    this.#running += 1;
    this.#inserting = true;
    let inserted = false;
    const eventsInserted = () => {
      if (inserted) return;
      inserted = true;
      this.#inserting = false;
      this.#pump();
    };
    void this.#run(taken, eventsInserted).finally(() => {
      this.#running -= 1;
      eventsInserted();
      this.#pump();
    });
  }

  async #run(batches: Waiting[], eventsInserted: () => void): Promise<void> {
    try {
      // Writers take shared rows in one order (see writeUsage), but a transaction PostgreSQL
      // still picks as a deadlock's victim was rolled back whole, and is written again.
      const recorded = await retried(() => writeBatches(this.#deps, batches, eventsInserted), isDeadlock);
      for (const [i, batch] of batches.entries()) batch.resolve(recorded[i] ?? 0);
    } catch (error) {
      for (const batch of batches) batch.reject(error);
    }
  }
}

/**
 * One transaction for several batches; answers, per batch, how many of its events were new.
 * Calls `eventsInserted` once its events are in (or once it meets an id already recorded).
 */
async function writeBatches(
  deps: EngineDeps,
  batches: readonly Waiting[],
  eventsInserted: () => void,
): Promise<number[]> {
  const now = deps.clock();
  // Each id once: a later batch's copy of an id is its duplicate.
  const claimed = new Map<string, number>();
  const events: RecordedEvent[] = [];
  const keys: string[] = [];
  for (let b = 0; b < batches.length; b += 1) {
    const { env, placed, keys: batchKeys } = batches[b] as Waiting;
    for (let i = 0; i < placed.length; i += 1) {
      const key = batchKeys[i] as string;
      if (claimed.has(key)) continue;
      claimed.set(key, b);
      events.push({ env, placed: placed[i] as PlacedEvent, firstSeen: false });
      keys.push(key);
    }
  }
  const drawing = new Map(batches.flatMap((batch) => [...batch.drawing]));
  await ensureEventPartitions(
    deps.db,
    events.map((e) => e.placed.timestamp),
  );
  const written = await deps.db.transaction(async (tx) => {
    // Customers drawing credits are locked first, as `track` locks them, so their wallets are
    // read and debited by one writer at a time.
    await lockCustomers(
      tx,
      [...drawing.values()].map((d) => d.ref),
    );
    // Rows in key order, like the counters: concurrent writers then lock in the same order. The
    // counters wait for the insert's answer: an id already recorded counts nothing.
    const { inserted, firstSeen } = await writeEvents(
      tx,
      {
        events: events.map((e) => eventRow(e.env, e.placed)).sort(byEventKey),
        uniqueValues: events.flatMap((e) =>
          e.placed.uniqueValue === null ? [] : [uniqueRow(e.env, e.placed, e.placed.uniqueValue)],
        ),
      },
      now,
      eventsInserted,
    );
    eventsInserted();
    // Every id new (the common case): nothing to pick.
    const recorded = inserted === null ? events : events.filter((_, i) => inserted.has(keys[i] as string));
    // A value two events of the batch bring is new for the first of them only.
    const fresh = new Set(firstSeen);
    for (const e of recorded) {
      e.firstSeen =
        e.placed.uniqueValue !== null &&
        fresh.delete(uniqueKey(uniqueRow(e.env, e.placed, e.placed.uniqueValue)));
    }
    const folded = foldDeltas(recorded);
    const { counters } = await writeUsage(tx, { counters: folded.counters, hourly: folded.hourly }, now);
    const reached = await fireThresholds(tx, folded.counters, counters, now, deps.firedThresholds);
    const credits = await drawCredits(tx, drawing, recorded, now);
    return { inserted, counters, credits, reached };
  });
  cacheCounterValues(deps.cache, written.counters);
  cacheCreditStates(deps.cache, written.credits);
  deps.firedThresholds.remember(written.reached);
  const counts = batches.map(() => 0);
  const { inserted } = written;
  for (const [key, b] of claimed)
    if (inserted === null || inserted.has(key)) counts[b] = (counts[b] ?? 0) + 1;
  return counts;
}

/**
 * Most batches bring only new ids, and inserting them as they are costs a third less than
 * skipping recorded ones: that is tried first, under a savepoint, and a batch with an id already
 * recorded (a retried batch, or one another writer is recording) is written again skipping them,
 * after `recordedMet` is called.
 */
async function writeEvents(
  tx: Tx,
  writes: UsageWrites,
  at: Date,
  recordedMet: () => void,
): Promise<UsageWritten> {
  try {
    return await tx.transaction((attempt) => writeUsage(attempt, { ...writes, eventsAreNew: true }, at));
  } catch (error) {
    if (!isEventIdTaken(error)) throw error;
    recordedMet();
    return writeUsage(tx, writes, at);
  }
}

/** Aggregations whose events add to usage, and so can each cost credits. */
const ADDING: ReadonlySet<Aggregation> = new Set(["sum", "count", "unique_count"]);

/**
 * Each recorded event of a feature that draws on credits takes its cost from its customer's
 * wallet, or what the balance still holds. A gauge (max, latest) draws nothing here: its cost is
 * the change of a level, which only `track` reads under the customer's lock.
 */
async function drawCredits(
  tx: Queryable,
  drawing: ReadonlyMap<string, Drawing>,
  recorded: readonly RecordedEvent[],
  at: Date,
): Promise<{ ref: CustomerRef; state: CreditState }[]> {
  // One pass over the transaction's events (up to 10,000), grouped by customer.
  const byCustomer = new Map<string, RecordedEvent[]>();
  for (const e of recorded) {
    if (!e.placed.entitlement?.creditCost || !ADDING.has(e.placed.aggregation)) continue;
    const key = customerKey({ env: e.env, customerId: e.placed.input.customerId });
    const events = byCustomer.get(key);
    if (events) events.push(e);
    else byCustomer.set(key, [e]);
  }
  const groups = [...drawing].flatMap(([key, { ref, entry }]) => {
    const events = byCustomer.get(key);
    return events ? [{ ref, current: entry, uses: events.map((e) => e.placed), events }] : [];
  });
  const wallets = await openWallets(tx, groups, at);
  for (const [i, { events }] of groups.entries()) {
    const wallet = wallets[i];
    if (!wallet) continue;
    for (const { placed, firstSeen } of events) {
      const units = requestedQuantity(placed.aggregation, 0, placed.input.quantity, firstSeen);
      wallet.debitAvailable(
        creditsFor(units, placed.entitlement?.creditCost ?? 0),
        placed.input.feature,
        placed.input.id,
      );
    }
  }
  await saveWallets(tx, wallets, at);
  return wallets.map((wallet) => ({ ref: wallet.ref, state: wallet.state() }));
}
