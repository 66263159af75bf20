import { tables } from "@tollgate/store";
import { and, eq, inArray, max, sql } from "drizzle-orm";
import type { EngineDeps } from "../context";

/** Outbox events of one environment after `afterSeq`, oldest first (the event stream). */
export async function eventsAfter(
  deps: EngineDeps,
  env: "live" | "test",
  afterSeq: number,
  options: { customerIds?: readonly string[]; limit?: number } = {},
) {
  const o = tables.outbox;
  const rows = await deps.db
    .select()
    .from(o)
    .where(
      and(
        eq(o.env, env),
        sql`${o.seq} > ${afterSeq}`,
        options.customerIds?.length ? inArray(o.customerId, [...options.customerIds]) : undefined,
      ),
    )
    .orderBy(o.seq)
    .limit(options.limit ?? 500);
  return rows.map((r) => ({
    seq: r.seq,
    type: r.type,
    customerId: r.customerId,
    data: r.payload,
    at: r.createdAt,
  }));
}

/** The newest outbox position (0 when empty): where a stream opened without one starts. */
export async function latestEventSeq(deps: EngineDeps): Promise<number> {
  const [row] = await deps.db.select({ seq: max(tables.outbox.seq) }).from(tables.outbox);
  return row?.seq ?? 0;
}
