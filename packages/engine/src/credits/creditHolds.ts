import { type Queryable, tables } from "@tollgate/store";
import { and, eq, gt, isNotNull, sql } from "drizzle-orm";
import type { CustomerRef } from "../context";

/**
 * Credits held by the customer's open reservations at `at` (quantity × credits a unit of each
 * held, unexpired reservation of a feature that draws on credits): no other use may spend them.
 * A reservation's hold ends with it — committed (the actual cost is debited then), released or
 * expired — with nothing to give back, since nothing was taken.
 */
export async function heldCredits(db: Queryable, ref: CustomerRef, at: Date): Promise<number> {
  const r = tables.reservations;
  const [row] = await db
    // Each hold rounded as `creditsFor` rounded it when the reservation was decided.
    .select({ held: sql<string | null>`sum(round(${r.quantity} * ${r.creditCost}, 9))` })
    .from(r)
    .where(
      and(
        eq(r.customerId, ref.customerId),
        eq(r.env, ref.env),
        eq(r.status, "held"),
        isNotNull(r.creditCost),
        gt(r.expiresAt, at),
      ),
    );
  return Number(row?.held ?? 0);
}
