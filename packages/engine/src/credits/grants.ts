import { addQuantities, type CreditSource, type GrantBalance } from "@tollgate/core";
import { type Queryable, tables } from "@tollgate/store";
import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { CustomerRef, Env } from "../context";
import { customerKey, ofCustomers } from "../customers/loadCustomer";

export interface CreditGrant extends GrantBalance {
  source: CreditSource;
  amount: number;
  grantKey: string | null;
  reason: string | null;
}

const g = tables.creditGrants;
const ofCustomer = (ref: CustomerRef) => and(eq(g.customerId, ref.customerId), eq(g.env, ref.env));

/** The customer's grants, oldest first (`listOpenGrants`: only those with credits left). */
export async function listGrants(db: Queryable, ref: CustomerRef): Promise<CreditGrant[]> {
  const rows = await db.select().from(g).where(ofCustomer(ref)).orderBy(asc(g.createdAt), asc(g.id));
  return rows.map(toGrant);
}

/**
 * The grants with credits left of several customers, in one statement: by `customerKey`, each
 * customer's oldest first (a customer with none is absent).
 */
export async function listOpenGrants(
  db: Queryable,
  refs: readonly CustomerRef[],
): Promise<Map<string, CreditGrant[]>> {
  const byCustomer = new Map<string, CreditGrant[]>();
  if (refs.length === 0) return byCustomer;
  const wanted = new Set(refs.map(customerKey));
  const rows = await db
    .select()
    .from(g)
    .where(and(ofCustomers(g, refs), gt(g.remaining, 0)))
    .orderBy(asc(g.createdAt), asc(g.id));
  for (const row of rows) {
    const key = customerKey({ env: row.env, customerId: row.customerId });
    if (!wanted.has(key)) continue; // the same id in the other environment
    const grants = byCustomer.get(key);
    if (grants) grants.push(toGrant(row));
    else byCustomer.set(key, [toGrant(row)]);
  }
  return byCustomer;
}

const toGrant = (row: typeof g.$inferSelect): CreditGrant => ({
  id: row.id,
  grantKey: row.grantKey,
  source: row.source,
  amount: row.amount,
  remaining: row.remaining,
  priority: row.priority,
  expiresAt: row.expiresAt,
  createdAt: row.createdAt,
  reason: row.reason,
});

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
  return (await insertGrants(tx, [{ ref, grant }], at)).size > 0;
}

/**
 * Inserts grants (of one or several customers) and their ledger rows, in one statement each; a
 * grant whose key its customer holds already is skipped. Answers the ids inserted.
 */
export async function insertGrants(
  tx: Queryable,
  grants: readonly { ref: CustomerRef; grant: NewGrant }[],
  at: Date,
): Promise<Set<string>> {
  if (grants.length === 0) return new Set();
  // Columns as array parameters: a row of parameters a grant would pass PostgreSQL's 65,535 for
  // a batch of some thousands of customers.
  const column = columnsOf(grants);
  const inserted = (await tx.execute(sql`
    INSERT INTO credit_grants (customer_id, env, id, grant_key, source, amount, remaining, priority, expires_at,
                               reason, created_at)
    SELECT customer_id, env, id, grant_key, source, amount, amount, priority, expires_at, reason,
           ${at.toISOString()}::timestamptz
    FROM unnest(${column((r) => r.ref.customerId)}::text[], ${column((r) => r.ref.env)}::text[],
                ${column((r) => r.grant.id)}::text[], ${column((r) => r.grant.grantKey)}::text[],
                ${column((r) => r.grant.source)}::text[], ${column((r) => r.grant.amount)}::numeric[],
                ${column((r) => r.grant.priority)}::integer[],
                ${column((r) => r.grant.expiresAt?.toISOString() ?? null)}::timestamptz[],
                ${column((r) => r.grant.reason)}::text[])
         AS t(customer_id, env, id, grant_key, source, amount, priority, expires_at, reason)
    ON CONFLICT DO NOTHING
    RETURNING customer_id, env, id`)) as unknown as { rows: { customer_id: string; env: Env; id: string }[] };
  const madeKey = (ref: CustomerRef, id: string) => `${customerKey(ref)}\u0000${id}`;
  const keys = new Set(
    inserted.rows.map((row) => madeKey({ env: row.env, customerId: row.customer_id }, row.id)),
  );
  const made = grants.filter(({ ref, grant }) => keys.has(madeKey(ref, grant.id)));
  const ids = new Set(made.map(({ grant }) => grant.id));
  if (made.length === 0) return ids;
  const ledger = columnsOf(made);
  await tx.execute(sql`
    INSERT INTO credit_ledger (customer_id, env, grant_id, kind, amount, at)
    SELECT customer_id, env, grant_id, 'grant', amount, ${at.toISOString()}::timestamptz
    FROM unnest(${ledger((r) => r.ref.customerId)}::text[], ${ledger((r) => r.ref.env)}::text[],
                ${ledger((r) => r.grant.id)}::text[], ${ledger((r) => r.grant.amount)}::numeric[])
         AS t(customer_id, env, grant_id, amount)`);
  return ids;
}

/** A column of `rows` as one array parameter, by what `pick` takes of each: for an `unnest`. */
const columnsOf =
  <R>(rows: readonly R[]) =>
  <T>(pick: (row: R) => T) =>
    sql.param(rows.map(pick));

export interface LedgerMove {
  grantId: string;
  kind: "debit" | "expiry";
  /** Credits taken from the grant (positive). */
  amount: number;
  feature?: string | undefined;
  eventId?: string | undefined;
}

/**
 * Takes credits from grants and writes the ledger rows, for one or several customers, in one
 * statement each. The update only applies where the grant still holds the amount, so a balance
 * can never be driven negative.
 */
export async function applyMoves(
  tx: Queryable,
  byCustomer: readonly { ref: CustomerRef; moves: readonly LedgerMove[] }[],
  at: Date,
): Promise<void> {
  const taken = new Map<string, { ref: CustomerRef; grantId: string; amount: number }>();
  const ledger: { ref: CustomerRef; move: LedgerMove }[] = [];
  for (const { ref, moves } of byCustomer) {
    for (const move of moves) {
      const key = `${customerKey(ref)}\u0000${move.grantId}`;
      const grant = taken.get(key);
      if (grant) grant.amount = addQuantities(grant.amount, move.amount);
      else taken.set(key, { ref, grantId: move.grantId, amount: move.amount });
      ledger.push({ ref, move });
    }
  }
  if (ledger.length === 0) return;
  const grants = [...taken.values()];
  const column = columnsOf(grants);
  const updated = (await tx.execute(sql`
    UPDATE credit_grants AS c SET remaining = c.remaining - t.amount
    FROM unnest(${column((t) => t.ref.customerId)}::text[], ${column((t) => t.ref.env)}::text[],
                ${column((t) => t.grantId)}::text[], ${column((t) => t.amount)}::numeric[])
         AS t(customer_id, env, id, amount)
    WHERE c.customer_id = t.customer_id AND c.env = t.env AND c.id = t.id AND c.remaining >= t.amount
    RETURNING c.id`)) as unknown as { rows: unknown[] };
  if (updated.rows.length !== grants.length)
    throw new Error("credit grant changed under a held customer lock");
  const rows = columnsOf(ledger);
  await tx.execute(sql`
    INSERT INTO credit_ledger (customer_id, env, grant_id, kind, amount, feature, event_id, at)
    SELECT customer_id, env, grant_id, kind, amount, feature, event_id, ${at.toISOString()}::timestamptz
    FROM unnest(${rows((r) => r.ref.customerId)}::text[], ${rows((r) => r.ref.env)}::text[],
                ${rows((r) => r.move.grantId)}::text[], ${rows((r) => r.move.kind)}::text[],
                ${rows((r) => -r.move.amount)}::numeric[], ${rows((r) => r.move.feature ?? null)}::text[],
                ${rows((r) => r.move.eventId ?? null)}::text[])
         AS t(customer_id, env, grant_id, kind, amount, feature, event_id)`);
}
