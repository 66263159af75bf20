import { fromZodError, notFound, TollgateError } from "@tollgate/core";
import { type Queryable, tables } from "@tollgate/store";
import { and, asc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { writeAudit } from "../audit/writeAudit";
import type { Actor, CustomerRef, EngineDeps } from "../context";
import { lockCustomer } from "../customers/loadCustomer";
import { currentEntitlements } from "../entitlements/currentEntitlements";
import { emitEvent } from "../events/emitEvent";
import { newId } from "../ids";
import { countSeats } from "./countSeats";

export const SEAT_ROLES = ["admin", "builder", "viewer"] as const;

export const SeatInput = z.object({
  /** The product's id for the person holding the seat (unique per customer). */
  id: z.string().min(1).max(255),
  role: z.enum(SEAT_ROLES).default("builder"),
  environment: z.string().min(1).max(100).nullish(),
  email: z.email().max(320).nullish(),
});
export type SeatInput = z.infer<typeof SeatInput>;

export interface Seat {
  id: string;
  role: (typeof SEAT_ROLES)[number];
  environment: string | null;
  email: string | null;
  createdAt: string;
}

const s = tables.seats;
const h = tables.seatHoldings;
const seatOf = (ref: CustomerRef, seatId: string) =>
  and(eq(s.customerId, ref.customerId), eq(s.env, ref.env), eq(s.seatId, seatId));

function toSeat(row: typeof s.$inferSelect): Seat {
  return {
    id: row.seatId,
    role: row.role,
    environment: row.environment,
    email: row.email,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function listSeats(db: Queryable, ref: CustomerRef): Promise<Seat[]> {
  const rows = await db
    .select()
    .from(s)
    .where(and(eq(s.customerId, ref.customerId), eq(s.env, ref.env), isNull(s.removedAt)))
    .orderBy(asc(s.createdAt), asc(s.seatId));
  return rows.map(toSeat);
}

/**
 * Adds a seat (or updates the role of a seat already held). Under a blocking seat limit a new
 * seat past the limit is refused with `seat_limit_reached`; the count is taken with the customer
 * locked, so concurrent additions cannot pass the limit.
 */
export async function addSeat(
  deps: EngineDeps,
  ref: CustomerRef,
  raw: unknown,
  actor: Actor,
): Promise<{ seat: Seat; created: boolean }> {
  const parsed = SeatInput.safeParse(raw);
  if (!parsed.success) throw fromZodError(parsed.error);
  const input = parsed.data;
  const { effective } = await currentEntitlements(deps, ref);
  const now = deps.clock();
  const result = await deps.db.transaction(async (tx) => {
    await lockCustomer(tx, ref);
    const [held] = await tx.select().from(s).where(seatOf(ref, input.id));
    const active = held && held.removedAt === null;
    if (!active) {
      const limit = effective?.seats.limit ?? null;
      const count = await countSeats(tx, ref);
      if (limit !== null && count >= limit && effective?.seats.enforcement === "block") {
        throw new TollgateError(
          "payment_required",
          "seat_limit_reached",
          `the plan allows ${limit} seats and ${count} are taken`,
          { param: "id" },
        );
      }
    }
    const values = {
      role: input.role,
      environment: input.environment ?? null,
      email: input.email ?? null,
      removedAt: null,
      ...(active ? {} : { createdAt: now }),
    };
    const [row] = await tx
      .insert(s)
      .values({ customerId: ref.customerId, env: ref.env, seatId: input.id, createdAt: now, ...values })
      .onConflictDoUpdate({ target: [s.customerId, s.env, s.seatId], set: values })
      .returning();
    if (!row) throw new Error("seat upsert returned no row");
    if (!active) {
      await tx
        .insert(tables.seatHoldings)
        .values({
          customerId: ref.customerId,
          env: ref.env,
          seatId: input.id,
          heldFrom: now,
        })
        // Removed and added again at the same instant: the holding goes on.
        .onConflictDoUpdate({ target: [h.customerId, h.env, h.seatId, h.heldFrom], set: { heldTo: null } });
    }
    await writeAudit(tx, {
      actor,
      action: active ? "seat.updated" : "seat.added",
      targetType: "seat",
      targetId: input.id,
      customerId: ref.customerId,
      env: ref.env,
      before: active ? toSeat(held) : null,
      after: toSeat(row),
    });
    await emitEvent(tx, ref, {
      type: "entitlements_changed",
      key: newId("seatevt"),
      payload: { cause: active ? "seat.updated" : "seat.added", seatId: input.id },
      at: now,
    });
    return { seat: toSeat(row), created: !active };
  });
  deps.cache.invalidateCustomer(ref);
  return result;
}

/** Removes a held seat; its row stays, marked removed, for history. */
export async function removeSeat(
  deps: EngineDeps,
  ref: CustomerRef,
  seatId: string,
  actor: Actor,
): Promise<Seat> {
  const now = deps.clock();
  const seat = await deps.db.transaction(async (tx) => {
    await lockCustomer(tx, ref);
    const [row] = await tx
      .update(s)
      .set({ removedAt: now })
      .where(and(seatOf(ref, seatId), isNull(s.removedAt)))
      .returning();
    if (!row) throw notFound("seat_not_found", `no seat "${seatId}" held by ${ref.customerId}`, "seatId");
    await tx
      .update(h)
      .set({ heldTo: now })
      .where(
        and(eq(h.customerId, ref.customerId), eq(h.env, ref.env), eq(h.seatId, seatId), isNull(h.heldTo)),
      );
    await writeAudit(tx, {
      actor,
      action: "seat.removed",
      targetType: "seat",
      targetId: seatId,
      customerId: ref.customerId,
      env: ref.env,
      before: toSeat(row),
      after: null,
    });
    await emitEvent(tx, ref, {
      type: "entitlements_changed",
      key: newId("seatevt"),
      payload: { cause: "seat.removed", seatId },
      at: now,
    });
    return toSeat(row);
  });
  deps.cache.invalidateCustomer(ref);
  return seat;
}
