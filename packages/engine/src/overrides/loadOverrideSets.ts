import type { OverrideSet, Overrides } from "@tollgate/core";
import { type Queryable, tables } from "@tollgate/store";
import { and, asc, eq } from "drizzle-orm";
import type { CustomerRef } from "../context";

export const overrideSetFromRow = (row: typeof tables.overrideSets.$inferSelect): OverrideSet => ({
  id: row.id,
  customerId: row.customerId,
  overrides: row.overrides as Overrides,
  effectiveFrom: row.effectiveFrom,
  effectiveTo: row.effectiveTo,
  reason: row.reason,
  createdAt: row.createdAt,
});

export async function listOverrideSets(db: Queryable, ref: CustomerRef): Promise<OverrideSet[]> {
  const t = tables.overrideSets;
  const rows = await db
    .select()
    .from(t)
    .where(and(eq(t.customerId, ref.customerId), eq(t.env, ref.env)))
    .orderBy(asc(t.effectiveFrom), asc(t.createdAt));
  return rows.map(overrideSetFromRow);
}
