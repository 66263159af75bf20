import { type Queryable, tables } from "@tollgate/store";
import { and, desc, eq, gte, lt, type SQL } from "drizzle-orm";

export interface AuditFilter {
  customerId?: string | undefined;
  env?: string | undefined;
  planKey?: string | undefined;
  actorId?: string | undefined;
  action?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** Entries older than this id (cursor pagination, newest first). */
  startingAfter?: number | undefined;
  limit: number;
}

export type AuditEntry = typeof tables.auditLog.$inferSelect;

/** Newest first; `hasMore` says whether another page follows. */
export async function listAudit(
  db: Queryable,
  filter: AuditFilter,
): Promise<{ data: AuditEntry[]; hasMore: boolean }> {
  const t = tables.auditLog;
  const conditions: SQL[] = [];
  if (filter.customerId) conditions.push(eq(t.customerId, filter.customerId));
  if (filter.env) conditions.push(eq(t.env, filter.env));
  if (filter.planKey) conditions.push(eq(t.planKey, filter.planKey));
  if (filter.actorId) conditions.push(eq(t.actorId, filter.actorId));
  if (filter.action) conditions.push(eq(t.action, filter.action));
  if (filter.from) conditions.push(gte(t.at, filter.from));
  if (filter.to) conditions.push(lt(t.at, filter.to));
  if (filter.startingAfter !== undefined) conditions.push(lt(t.id, filter.startingAfter));
  const rows = await db
    .select()
    .from(t)
    .where(and(...conditions))
    .orderBy(desc(t.id))
    .limit(filter.limit + 1);
  return { data: rows.slice(0, filter.limit), hasMore: rows.length > filter.limit };
}
