import { type Queryable, tables } from "@tollgate/store";
import { and, asc, eq, gt, type SQL, sql } from "drizzle-orm";
import type { Env } from "../context";
import { type Customer, customerFromRow } from "./loadCustomer";

export interface ListCustomersInput {
  env: Env;
  /** Only customers on a custom plan or with overrides in force at `at`. */
  custom?: boolean | undefined;
  at: Date;
  limit: number;
  startingAfter?: string | undefined;
}

export async function listCustomers(
  db: Queryable,
  input: ListCustomersInput,
): Promise<{ data: Customer[]; hasMore: boolean }> {
  const c = tables.customers;
  const conditions: SQL[] = [eq(c.env, input.env)];
  if (input.startingAfter) conditions.push(gt(c.customerId, input.startingAfter));
  if (input.custom) {
    const at = input.at.toISOString();
    conditions.push(sql`(
      EXISTS (SELECT 1 FROM subscriptions s JOIN plans p ON p.key = s.plan_key
              WHERE s.customer_id = ${c.customerId} AND s.env = ${c.env} AND p.is_custom
                AND s.effective_from <= ${at} AND (s.effective_to IS NULL OR s.effective_to > ${at}))
      OR EXISTS (SELECT 1 FROM override_sets o
              WHERE o.customer_id = ${c.customerId} AND o.env = ${c.env}
                AND o.effective_from <= ${at} AND (o.effective_to IS NULL OR o.effective_to > ${at})))`);
  }
  const rows = await db
    .select()
    .from(c)
    .where(and(...conditions))
    .orderBy(asc(c.customerId))
    .limit(input.limit + 1);
  return { data: rows.slice(0, input.limit).map(customerFromRow), hasMore: rows.length > input.limit };
}
