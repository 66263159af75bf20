import { type Queryable, tables } from "@tollgate/store";
import type { Actor } from "../context";

export interface AuditInput {
  actor: Actor;
  action: string;
  targetType: string;
  targetId: string;
  customerId?: string | null;
  env?: string | null;
  planKey?: string | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
  requestId?: string | undefined;
}

/** Appends one audit entry inside the caller's transaction, so the change and its record commit together. */
export async function writeAudit(tx: Queryable, entry: AuditInput): Promise<void> {
  await tx.insert(tables.auditLog).values({
    actorId: entry.actor.id,
    actorRole: entry.actor.role,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    customerId: entry.customerId ?? null,
    env: entry.env ?? null,
    planKey: entry.planKey ?? null,
    before: toJson(entry.before),
    after: toJson(entry.after),
    reason: entry.reason ?? null,
    requestId: entry.requestId ?? null,
  });
}

/** Dates become ISO strings and undefined becomes null, so what is stored reads back the same. */
function toJson(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}
