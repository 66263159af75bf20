import type { SeatHolding } from "@tollgate/core";
import { type Queryable, tables } from "@tollgate/store";
import { and, eq, gt, isNull, lt, or } from "drizzle-orm";
import type { CustomerRef } from "../context";

/** The customer's seat holdings that overlap [from, to), for billing seats by the day. */
export async function seatHoldings(
  db: Queryable,
  ref: CustomerRef,
  interval: { from: Date; to: Date },
): Promise<SeatHolding[]> {
  const h = tables.seatHoldings;
  const rows = await db
    .select({ from: h.heldFrom, to: h.heldTo })
    .from(h)
    .where(
      and(
        eq(h.customerId, ref.customerId),
        eq(h.env, ref.env),
        lt(h.heldFrom, interval.to),
        or(isNull(h.heldTo), gt(h.heldTo, interval.from)),
      ),
    );
  return rows;
}
