import { type Queryable, tables } from "@tollgate/store";
import { and, eq, gt, isNotNull, sql } from "drizzle-orm";
import type { CustomerRef } from "../context";

/**
 * Credits held by the customer's open reservations at `at` (quantity × credits a unit of each
 * held, unexpired reservation of a feature that draws on credits): no other use may spend them.
 * A reservation's hold ends with it — committed (the actual cost is debited then), released or
 * expired — with nothing to give back, since nothing was taken. `lapsesAt`: when the first of
 * those holds expires (null when none is held), after which the balance is larger.
 */
export async function creditHolds(
  db: Queryable,
  ref: CustomerRef,
  at: Date,
): Promise<{ held: number; lapsesAt: Date | null }> {
  const r = tables.reservations;
  const [row] = await db
    .select({
      // Each hold rounded as `creditsFor` rounded it when the reservation was decided.
      held: sql<string | null>`sum(round(${r.quantity} * ${r.creditCost}, 9))`,
      lapsesAt: sql<string | null>`min(${r.expiresAt})`,
    })
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
  return { held: Number(row?.held ?? 0), lapsesAt: row?.lapsesAt ? new Date(row.lapsesAt) : null };
}
