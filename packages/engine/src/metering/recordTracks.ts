import {
  afterUse,
  type Decision,
  decide,
  notFound,
  repeatedUse,
  requestedQuantity,
  type TollgateError,
} from "@tollgate/core";
import { ensureEventPartitions, transactionOpenedWith } from "@tollgate/store";
import type { CustomerRef, EngineDeps } from "../context";
import { cacheCreditStates, openWallets, saveWallets, type Wallet } from "../credits/wallet";
import { customerKey, customersLock } from "../customers/loadCustomer";
import { currentEntitlements } from "../entitlements/currentEntitlements";
import { cacheCounterValues } from "./counters";
import { logDecisions } from "./enforcementLog";
import { byEventKey, eventRow, uniqueRow } from "./ingestEvents";
import type { PlacedEvent } from "./placeEvent";
import { fireThresholds } from "./thresholdEvents";
import { pastLimit, throttleScope, throttleSecondsLeft, throttleWindow } from "./throttleCounter";
import {
  type CounterDelta,
  type CounterKey,
  counterWindowId,
  foldDeltas,
  type RecordedEvent,
} from "./usageDeltas";
import { usageRead } from "./usageReads";
import { eventKey, retried, uniqueKey, writeUsage } from "./usageWrites";

export interface TrackResult {
  recorded: boolean;
  duplicate: boolean;
  decision: Decision;
}

/** One customer's tracks in a batch, in the order they arrived. */
export interface TrackGroup {
  ref: CustomerRef;
  placed: PlacedEvent[];
}

/** Per group: a result per track, or the error every track of the group answers. */
export type GroupOutcome = TrackResult[] | TollgateError;

/**
 * Decides and records the tracks of several customers in one transaction: every customer's row
 * lock is taken first (in one fixed order, by a statement of its own), then each group is decided
 * in arrival order against the counters, event ids and credits read under those locks (one
 * statement, sent with the BEGIN and the lock in one round trip), and everything allowed is
 * written (one statement; thresholds and logged refusals add one each when they apply, and the
 * wallets of customers drawing credits three reads, up to two grants and two writes, however many
 * customers), then committed. A track refused under `block` records nothing.
 */
export async function recordTracks(deps: EngineDeps, groups: readonly TrackGroup[]): Promise<GroupOutcome[]> {
  const now = deps.clock();
  // Read before the transaction: on PGlite (one connection) a read outside it would wait for it.
  const current = await Promise.all(
    groups.map((g) => currentEntitlements(deps, g.ref).catch((error: TollgateError) => error)),
  );
  await ensureEventPartitions(
    deps.db,
    groups.flatMap((g) => g.placed.map((p) => p.timestamp)),
  );
  const live = groups.flatMap((group, i) => {
    const entitlements = current[i];
    return entitlements && !(entitlements instanceof Error) ? [{ group, current: entitlements }] : [];
  });
  const refs = live.map((l) => l.group.ref);
  const placedAll = live.flatMap((l) => l.group.placed.map((p) => ({ ref: l.group.ref, p })));
  const minute = throttleWindow(now);
  // The row locks, then what the batch must know, read under them: the two statements ride with
  // the BEGIN (a customer that does not exist reads nothing and is answered below).
  const lock = customersLock(refs);
  const read = usageRead(now, {
    expireHeld: refs,
    events: placedAll.map(({ ref, p }) => ({
      env: ref.env,
      customerId: ref.customerId,
      eventId: p.input.id,
    })),
    counters: placedAll.flatMap(({ ref, p }) => {
      const counter = counterOf(ref, p);
      const throttle = throttleCounterOf(counter, p, minute.start);
      return throttle ? [counter, throttle] : [counter];
    }),
    uniqueValues: placedAll.flatMap(({ ref, p }) =>
      p.uniqueValue === null ? [] : [uniqueRow(ref.env, p, p.uniqueValue)],
    ),
  });
  const written = await retried(
    () =>
      transactionOpenedWith(
        deps.db,
        [lock, read],
        async (tx, [locked, { existing, used, counted, freed }]) => {
          const batch = live.filter((l) => locked.has(customerKey(l.group.ref)));
          const decider = new Decider(now, minute, used, existing, counted);
          const outcomes = new Map<string, TrackResult[]>();
          const wallets: Wallet[] = await openWallets(
            tx,
            batch.map(({ group, current }) => ({ ref: group.ref, current, uses: group.placed })),
            now,
          );
          for (const [i, { group }] of batch.entries()) {
            outcomes.set(customerKey(group.ref), decider.decideGroup(group, wallets[i] as Wallet));
          }
          const { recorded, decided, throttled } = decider;
          const folded = foldDeltas(recorded);
          const stored = await writeUsage(
            tx,
            {
              events: recorded.map((r) => eventRow(r.env, r.placed)).sort(byEventKey),
              uniqueValues: recorded.flatMap((r) =>
                r.placed.uniqueValue === null ? [] : [uniqueRow(r.env, r.placed, r.placed.uniqueValue)],
              ),
              counters: [...freed, ...folded.counters, ...throttled.values()],
              hourly: folded.hourly,
            },
            now,
          );
          // `POST /v1/events` locks only the customers whose events draw credits: an id it recorded
          // after the read above is skipped by this insert, and counting it here would count it
          // twice. Roll back and decide again. (Its ids are not inserted as new, which would fail
          // the statement instead: its counters could then be written before its ids, and wait for
          // an ingest that inserted ids first and waits for them: a deadlock.)
          if (stored.inserted !== null && stored.inserted.size !== recorded.length) throw new RaceLost();
          const { counters } = stored;
          const reached = await fireThresholds(tx, folded.counters, counters, now, deps.firedThresholds);
          await saveWallets(tx, wallets, now);
          await logDecisions(tx, decided, now);
          return {
            outcomes,
            counters,
            reached,
            credits: wallets.map((wallet) => ({ ref: wallet.ref, state: wallet.state() })),
          };
        },
      ),
    (error) => error instanceof RaceLost,
  );
  cacheCounterValues(deps.cache, written.counters);
  cacheCreditStates(deps.cache, written.credits);
  deps.firedThresholds.remember(written.reached);
  return groups.map((group, i) => {
    const entitlements = current[i];
    if (entitlements instanceof Error) return entitlements;
    return (
      written.outcomes.get(customerKey(group.ref)) ??
      notFound("customer_not_found", `no ${group.ref.env} customer "${group.ref.customerId}"`, "customerId")
    );
  });
}

/** An event id of the batch was recorded by another writer between the read and the insert. */
class RaceLost extends Error {}

// Built field by field, as it runs several times a track: on Node 20, an object spread followed
// by a property it did not have costs about a microsecond a property (measured); a spread that
// only overrides properties it has, as for the throttle counter, is as fast as a copy.
const counterOf = (ref: CustomerRef, p: PlacedEvent): CounterKey => ({
  env: ref.env,
  customerId: ref.customerId,
  feature: p.input.feature,
  scopeKey: p.scopeKey,
  windowStart: p.windowStart,
});

/** The throttle counter beside a use's counter, in the minute starting `minuteStart`: only a throttled feature has one. */
const throttleCounterOf = (counter: CounterKey, p: PlacedEvent, minuteStart: Date): CounterKey | null =>
  p.entitlement?.enforcement === "throttle"
    ? { ...counter, scopeKey: throttleScope(p.scopeKey), windowStart: minuteStart }
    : null;

/**
 * Decides tracks in order against what the transaction read, updating its view of the counters
 * as each allowed track adds to them, and collects what must be written.
 */
class Decider {
  readonly recorded: RecordedEvent[] = [];
  readonly decided: { ref: CustomerRef; eventId: string; decision: Decision }[] = [];
  /** Units admitted past the limit under `throttle`, by throttle counter. */
  readonly throttled = new Map<string, CounterDelta>();
  readonly #seen = new Set<string>();

  constructor(
    private readonly now: Date,
    /** The throttle window containing `now`. */
    private readonly minute: { start: Date; end: Date },
    private readonly used: Map<string, number>,
    private readonly existing: Set<string>,
    private readonly counted: Set<string>,
  ) {}

  decideGroup({ ref, placed }: TrackGroup, wallet: Wallet): TrackResult[] {
    return placed.map((p) => this.#decideOne(ref, p, wallet));
  }

  #decideOne(ref: CustomerRef, p: PlacedEvent, wallet: Wallet): TrackResult {
    const minute = this.minute;
    const counter = counterOf(ref, p);
    const counterId = counterWindowId(counter);
    const throttleCounter = throttleCounterOf(counter, p, minute.start);
    const throttleId = throttleCounter ? counterWindowId(throttleCounter) : "";
    const before = this.used.get(counterId) ?? 0;
    const unique = p.uniqueValue === null ? null : uniqueKey(uniqueRow(ref.env, p, p.uniqueValue));
    const firstSeen = unique !== null && !this.counted.has(unique);
    const requested = requestedQuantity(p.aggregation, before, p.input.quantity, firstSeen);
    const id = eventKey(ref.env, ref.customerId, p.input.id);
    const duplicate = this.existing.has(id) || this.#seen.has(id);
    // A repeated id asks for nothing more: its decision is the standing as it is, never a
    // refusal of units that were counted the first time.
    const standing = decide({
      feature: p.input.feature,
      entitlement: p.entitlement,
      used: before,
      quantity: duplicate ? 0 : requested,
      resetsAt: p.windowEnd?.toISOString() ?? null,
      currency: p.currency,
      credits: wallet.state(),
      throttle: {
        used: this.used.get(throttleId) ?? 0,
        secondsLeft: throttleSecondsLeft(this.now.getTime()),
      },
    });
    const decision = duplicate ? repeatedUse(standing) : standing;
    if (!duplicate) this.decided.push({ ref, eventId: p.input.id, decision });
    if (duplicate || !decision.allowed) return { recorded: false, duplicate, decision };

    if (decision.credits && !decision.credits.unlimited) {
      wallet.debit(decision.credits.cost, p.input.feature, p.input.id);
    }
    this.#seen.add(id);
    if (unique !== null) this.counted.add(unique);
    this.used.set(counterId, before + requested);
    if (decision.reason === "throttle_admitted" && throttleCounter) {
      const excess = pastLimit(decision.limit, before, requested);
      this.used.set(throttleId, (this.used.get(throttleId) ?? 0) + excess);
      const held = this.throttled.get(throttleId);
      if (held) held.value += excess;
      else {
        this.throttled.set(throttleId, {
          ...throttleCounter,
          windowEnd: minute.end,
          op: "add",
          value: excess,
          latestAt: null,
          limit: null,
          thresholds: [],
        });
      }
    }
    this.recorded.push({ env: ref.env, placed: p, firstSeen });
    // The balance after its debit, and those decided before it in the batch.
    return {
      recorded: true,
      duplicate: false,
      decision: afterUse(decision, requested, wallet.state().balance),
    };
  }
}
