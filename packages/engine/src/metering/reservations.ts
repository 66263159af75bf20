import {
  addQuantities,
  afterUse,
  conflict,
  creditsFor,
  type Decision,
  decide,
  FeatureKey,
  fromZodError,
  invalid,
  notFound,
  Quantity,
  repeatedUse,
  UsageEventInput,
} from "@tollgate/core";
import { ensureEventPartitions, tables } from "@tollgate/store";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { catalogFeatures } from "../catalog/catalogFeatures";
import type { CustomerRef, EngineDeps, Env } from "../context";
import type { CreditState } from "../credits/creditBalance";
import { cacheCreditStates, openCreditWallet, openWallet, saveWallets } from "../credits/wallet";
import { lockCustomer } from "../customers/loadCustomer";
import { currentEntitlements } from "../entitlements/currentEntitlements";
import { cacheCounterValues } from "./counters";
import { isRejection, placeEvent } from "./placeEvent";
import { fireThresholds } from "./thresholdEvents";
import { type CounterDelta, counterWindowId } from "./usageDeltas";
import { readUsage } from "./usageReads";
import { writeUsage } from "./usageWrites";

const Id = z.string().min(1).max(255);

export const ReserveInput = z.object({
  id: Id,
  customerId: Id,
  feature: FeatureKey,
  quantity: Quantity.refine((q) => q > 0, "must be more than zero"),
  /** How long the units are held if neither committed nor released (seconds). */
  ttlSeconds: z.number().int().min(1).max(86_400).default(300),
  workspaceId: Id.optional(),
});

export const CommitInput = z.object({ quantity: Quantity });

export interface Reservation {
  id: string;
  customerId: string;
  feature: string;
  quantity: number;
  status: "held" | "committed" | "released" | "expired";
  expiresAt: string;
  committedQuantity: number | null;
  workspaceId: string | null;
}

const r = tables.reservations;
type ReservationRow = typeof r.$inferSelect;

const toReservation = (row: ReservationRow): Reservation => ({
  id: row.id,
  customerId: row.customerId,
  feature: row.featureKey,
  quantity: row.quantity,
  status: row.status,
  expiresAt: row.expiresAt.toISOString(),
  committedQuantity: row.committedQuantity,
  workspaceId: row.workspaceId,
});

const delta = (row: ReservationRow, value: number): CounterDelta => ({
  env: row.env,
  customerId: row.customerId,
  feature: row.featureKey,
  scopeKey: row.scopeKey,
  windowStart: row.windowStart,
  windowEnd: row.windowEnd,
  op: "add",
  value,
  latestAt: null,
  limit: null,
  thresholds: [],
});

/**
 * Holds `quantity` units against the limit at once, for work whose cost is known afterwards
 * (AI tokens), and for a feature that draws on credits, the credits they cost (refused with
 * `insufficient_credits` when the balance is short). Decided like a track, with the customer
 * locked; a reservation the plan refuses holds nothing. Reserving an id again answers the
 * reservation already made, decided as asking for nothing more.
 */
export async function reserve(
  deps: EngineDeps,
  env: Env,
  raw: unknown,
): Promise<{ reservation: Reservation | null; decision: Decision }> {
  const parsed = ReserveInput.safeParse(raw);
  if (!parsed.success) throw fromZodError(parsed.error);
  const input = parsed.data;
  const ref = { env, customerId: input.customerId };
  const now = deps.clock();
  const current = await currentEntitlements(deps, ref);
  const feature = (await catalogFeatures(deps)).get(input.feature);
  if (feature && feature.aggregation !== "sum") {
    throw invalid(
      "reservation_needs_sum",
      `${feature.key} aggregates by ${feature.aggregation}; only sums can be reserved`,
      "feature",
    );
  }
  const event = UsageEventInput.parse({ ...input, timestamp: undefined });
  const placed = placeEvent(0, event, feature, current, now, deps.config.lateWindowMs[env]);
  if (isRejection(placed)) throw invalid(placed.code, placed.message, placed.param);
  const written = await deps.db.transaction(async (tx) => {
    await lockCustomer(tx, ref);
    // A feature that draws on credits holds what the units cost, as a track would spend them.
    const wallet = await openWallet(tx, ref, current, [placed], now);
    const counter = {
      ...ref,
      feature: input.feature,
      scopeKey: placed.scopeKey,
      windowStart: placed.windowStart,
    };
    const { used, freed } = await readUsage(tx, now, { expireHeld: [ref], counters: [counter] });
    const [held] = await tx
      .select()
      .from(r)
      .where(and(whereCustomer(ref), eq(r.id, input.id)));
    // A retried id asks for nothing more (as a repeated track id): its units and credits are
    // already counted and held, so deciding them again would refuse the retry near the limit.
    const standing = decide({
      feature: input.feature,
      entitlement: placed.entitlement,
      used: used.get(counterWindowId(counter)) ?? 0,
      quantity: held ? 0 : input.quantity,
      resetsAt: placed.windowEnd?.toISOString() ?? null,
      currency: placed.currency,
      credits: wallet.state(),
    });
    const decision = held ? repeatedUse(standing) : standing;
    if (held || !decision.allowed) {
      const { counters } = await writeUsage(tx, { counters: freed }, now);
      return {
        reservation: held ? toReservation(held) : null,
        decision,
        counters,
        holdsCredits: false,
        reached: [],
      };
    }
    const holdsCredits = decision.credits !== undefined && !decision.credits.unlimited;
    const [row] = await tx
      .insert(r)
      .values({
        customerId: ref.customerId,
        env,
        id: input.id,
        featureKey: input.feature,
        scopeKey: placed.scopeKey,
        windowStart: placed.windowStart,
        windowEnd: placed.windowEnd,
        quantity: input.quantity,
        status: "held",
        expiresAt: new Date(now.getTime() + input.ttlSeconds * 1000),
        creditCost: holdsCredits ? (placed.entitlement?.creditCost ?? null) : null,
        workspaceId: input.workspaceId ?? null,
        createdAt: now,
      })
      .returning();
    if (!row) throw new Error("reservation insert returned no row");
    const hold = {
      ...delta(row, input.quantity),
      limit: placed.entitlement?.limit ?? null,
      thresholds: placed.entitlement?.thresholds ?? [],
    };
    const { counters } = await writeUsage(tx, { counters: [...freed, hold] }, now);
    const reached = await fireThresholds(tx, [hold], counters, now, deps.firedThresholds);
    await saveWallets(tx, [wallet], now);
    // Answered as held: the units counted, and the balance net of what the hold took.
    const balance =
      holdsCredits && decision.credits
        ? addQuantities(decision.credits.balance, -decision.credits.cost)
        : undefined;
    return {
      reservation: toReservation(row),
      decision: afterUse(decision, input.quantity, balance),
      counters,
      holdsCredits,
      reached,
    };
  });
  cacheCounterValues(deps.cache, written.counters);
  deps.firedThresholds.remember(written.reached);
  // A new hold changes the balance now and again when it lapses: the next read loads both.
  if (written.holdsCredits) deps.cache.invalidateCustomer(ref);
  return { reservation: written.reservation, decision: written.decision };
}

/**
 * Settles a held reservation: `commit` records the actual amount as a usage event (id = the
 * reservation's) and moves the counter by actual − reserved; `release` gives the units back.
 * Settling again the same way answers the settled reservation; otherwise 409.
 */
export async function settle(
  deps: EngineDeps,
  ref: CustomerRef,
  id: string,
  action: { commit: unknown } | { release: true },
): Promise<Reservation> {
  let actual: number | null = null;
  if ("commit" in action) {
    const parsed = CommitInput.safeParse(action.commit);
    if (!parsed.success) throw fromZodError(parsed.error);
    actual = parsed.data.quantity;
  }
  const now = deps.clock();
  // Read before the transaction: on PGlite (one connection) a read outside it would wait for it.
  const current = await currentEntitlements(deps, ref);
  // A commit records its event at `now`.
  if (actual !== null) await ensureEventPartitions(deps.db, [now]);
  const written = await deps.db.transaction(async (tx) => {
    await lockCustomer(tx, ref);
    const { freed } = await readUsage(tx, now, { expireHeld: [ref] });
    const status = actual === null ? "released" : "committed";
    const [row] = await tx
      .update(r)
      .set({ status, settledAt: now, committedQuantity: actual })
      .where(and(whereCustomer(ref), eq(r.id, id), eq(r.status, "held")))
      .returning();
    if (!row) {
      const [found] = await tx
        .select()
        .from(r)
        .where(and(whereCustomer(ref), eq(r.id, id)));
      if (!found) throw notFound("reservation_not_found", `no reservation "${id}"`, "id");
      if (found.status === status && (actual === null || found.committedQuantity === actual)) {
        const { counters } = await writeUsage(tx, { counters: freed }, now);
        return { reservation: toReservation(found), counters, credits: null };
      }
      throw conflict("reservation_not_held", `reservation "${id}" is ${found.status}`, "id");
    }
    const recorded = actual !== null && actual > 0 ? actual : null;
    const { counters } = await writeUsage(
      tx,
      {
        counters: [...freed, delta(row, (actual ?? 0) - row.quantity)],
        events: recorded === null ? [] : [commitEvent(ref, row, recorded, now)],
        hourly: recorded === null ? [] : [commitHour(ref, row, recorded, now)],
      },
      now,
    );
    // The hold ended with the status; a commit debits what the actual units cost, or what the
    // balance still holds when they cost more than was reserved (recorded all the same, as
    // ingestion does: the balance never goes below zero).
    let credits: CreditState | null = null;
    if (row.creditCost !== null) {
      const wallet = await openCreditWallet(tx, ref, current, now);
      if (recorded !== null)
        wallet.debitAvailable(creditsFor(recorded, row.creditCost), row.featureKey, row.id);
      await saveWallets(tx, [wallet], now);
      credits = wallet.state();
    }
    return { reservation: toReservation(row), counters, credits };
  });
  cacheCounterValues(deps.cache, written.counters);
  if (written.credits) cacheCreditStates(deps.cache, [{ ref, state: written.credits }]);
  return written.reservation;
}

/** The usage event a commit records: its id is the reservation's. */
const commitEvent = (ref: CustomerRef, row: ReservationRow, quantity: number, at: Date) => ({
  env: ref.env,
  customerId: ref.customerId,
  eventId: row.id,
  feature: row.featureKey,
  quantity,
  timestamp: at,
  workspaceId: row.workspaceId,
  userId: null,
  properties: { reservation: row.id },
  windowStart: row.windowStart,
  backfill: false,
});

const commitHour = (ref: CustomerRef, row: ReservationRow, quantity: number, at: Date) => ({
  env: ref.env,
  customerId: ref.customerId,
  feature: row.featureKey,
  hourStart: new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000),
  quantity,
  events: 1,
  maxQuantity: quantity,
  firstSeen: 0,
  latestQuantity: quantity,
  latestAt: at,
});

const whereCustomer = (ref: CustomerRef) => and(eq(r.customerId, ref.customerId), eq(r.env, ref.env));

/** The periodic sweep: expires every overdue reservation; answers how many counters it moved. */
export async function expireReservations(deps: EngineDeps): Promise<number> {
  const now = deps.clock();
  const counters = await deps.db.transaction(async (tx) => {
    const { freed } = await readUsage(tx, now, { expireHeld: "everyone" });
    return (await writeUsage(tx, { counters: freed }, now)).counters;
  });
  cacheCounterValues(deps.cache, counters);
  return counters.length;
}
