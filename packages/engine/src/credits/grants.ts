import type { CreditSource, GrantBalance } from "@tollgate/core";
import { type Queryable, tables } from "@tollgate/store";
import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { CustomerRef } from "../context";

export interface CreditGrant extends GrantBalance {
  source: CreditSource;
  amount: number;
  grantKey: string | null;
  reason: string | null;
}

const g = tables.creditGrants;
const ofCustomer = (ref: CustomerRef) => and(eq(g.customerId, ref.customerId), eq(g.env, ref.env));

/** The customer's grants, oldest first; with `open`, only those with credits left. */
export async function listGrants(db: Queryable, ref: CustomerRef, open = false): Promise<CreditGrant[]> {
  const rows = await db
    .select()
    .from(g)
    .where(open ? and(ofCustomer(ref), gt(g.remaining, 0)) : ofCustomer(ref))
    .orderBy(asc(g.createdAt), asc(g.id));
  return rows.map((row) => ({
    id: row.id,
    grantKey: row.grantKey,
    source: row.source,
    amount: row.amount,
    remaining: row.remaining,
    priority: row.priority,
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
    reason: row.reason,
  }));
}

export interface NewGrant {
  id: string;
  grantKey: string | null;
  source: CreditSource;
  amount: number;
  priority: number;
  expiresAt: Date | null;
  reason: string | null;
}

/** Inserts a grant and its ledger row; a grant whose key exists already is skipped (false). */
export async function insertGrant(
  tx: Queryable,
  ref: CustomerRef,
  grant: NewGrant,
  at: Date,
): Promise<boolean> {
  const inserted = await tx
    .insert(g)
    .values({ customerId: ref.customerId, env: ref.env, ...grant, remaining: grant.amount, createdAt: at })
    .onConflictDoNothing()
    .returning({ id: g.id });
  if (inserted.length === 0) return false;
  await tx.insert(tables.creditLedger).values({
    customerId: ref.customerId,
    env: ref.env,
    grantId: grant.id,
    kind: "grant",
    amount: grant.amount,
    at,
  });
  return true;
}

export interface LedgerMove {
  grantId: string;
  kind: "debit" | "expiry";
  /** Credits taken from the grant (positive). */
  amount: number;
  feature?: string | undefined;
  eventId?: string | undefined;
}

/**
 * Takes credits from grants and writes the ledger rows, in one statement each. The update only
 * applies where the grant still holds the amount, so a balance can never be driven negative.
 */
export async function applyMoves(
  tx: Queryable,
  ref: CustomerRef,
  moves: readonly LedgerMove[],
  at: Date,
): Promise<void> {
  if (moves.length === 0) return;
  const byGrant = new Map<string, number>();
  for (const move of moves) byGrant.set(move.grantId, (byGrant.get(move.grantId) ?? 0) + move.amount);
  const ids = [...byGrant.keys()];
  const updated = (await tx.execute(sql`
    UPDATE credit_grants AS c SET remaining = c.remaining - t.amount
    FROM unnest(${sql.param(ids)}::text[], ${sql.param(ids.map((id) => byGrant.get(id)))}::numeric[]) AS t(id, amount)
    WHERE c.customer_id = ${ref.customerId} AND c.env = ${ref.env} AND c.id = t.id AND c.remaining >= t.amount
    RETURNING c.id`)) as unknown as { rows: unknown[] };
  if (updated.rows.length !== ids.length) throw new Error("credit grant changed under a held customer lock");
  await tx.insert(tables.creditLedger).values(
    moves.map((move) => ({
      customerId: ref.customerId,
      env: ref.env,
      grantId: move.grantId,
      kind: move.kind,
      amount: -move.amount,
      feature: move.feature ?? null,
      eventId: move.eventId ?? null,
      at,
    })),
  );
}
