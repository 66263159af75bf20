import { type Queryable, tables } from "@tollgate/store";
import { and, count, eq, isNull } from "drizzle-orm";
import type { CustomerRef } from "../context";

/** The customer's active (not removed) seats. */
export async function countSeats(db: Queryable, ref: CustomerRef): Promise<number> {
  const s = tables.seats;
  const [row] = await db
    .select({ n: count() })
    .from(s)
    .where(and(eq(s.customerId, ref.customerId), eq(s.env, ref.env), isNull(s.removedAt)));
  return row?.n ?? 0;
}
