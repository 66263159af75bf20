import { type Queryable, tables } from "@tollgate/store";
import { and, eq, gt, isNotNull, sql } from "drizzle-orm";
import type { CustomerRef } from "../context";
import { customerKey, ofCustomers } from "../customers/loadCustomer";

export interface CreditHolds {
  held: number;
  lapsesAt: Date | null;
}

const NONE: CreditHolds = { held: 0, lapsesAt: null };

/**
 * Credits held by the customer's open reservations at `at` (quantity × credits a unit of each
 * held, unexpired reservation of a feature that draws on credits): no other use may spend them.
 * A reservation's hold ends with it — committed (the actual cost is debited then), released or
 * expired — with nothing to give back, since nothing was taken. `lapsesAt`: when the first of
 * those holds expires (null when none is held), after which the balance is larger.
 */
export async function creditHolds(db: Queryable, ref: CustomerRef, at: Date): Promise<CreditHolds> {
  return (await creditHoldsOf(db, [ref], at)).get(customerKey(ref)) ?? NONE;
}

/** `creditHolds` of several customers in one statement, by `customerKey` (none held: absent). */
export async function creditHoldsOf(
  db: Queryable,
  refs: readonly CustomerRef[],
  at: Date,
): Promise<Map<string, CreditHolds>> {
  const byCustomer = new Map<string, CreditHolds>();
  if (refs.length === 0) return byCustomer;
  const r = tables.reservations;
  const rows = await db
    .select({
      customerId: r.customerId,
      env: r.env,
      // Each hold rounded as `creditsFor` rounded it when the reservation was decided.
      held: sql<string>`sum(round(${r.quantity} * ${r.creditCost}, 9))`,
      lapsesAt: sql<string>`min(${r.expiresAt})`,
    })
    .from(r)
    .where(and(ofCustomers(r, refs), eq(r.status, "held"), isNotNull(r.creditCost), gt(r.expiresAt, at)))
    .groupBy(r.customerId, r.env);
  for (const row of rows) {
    byCustomer.set(customerKey({ env: row.env, customerId: row.customerId }), {
      held: Number(row.held),
      lapsesAt: new Date(row.lapsesAt),
    });
  }
  return byCustomer;
}
