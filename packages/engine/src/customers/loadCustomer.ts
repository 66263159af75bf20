import { notFound } from "@tollgate/core";
import { isAnyOf, type Queryable, run, type Statement, shaped, tables } from "@tollgate/store";
import { and, eq, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import type { CustomerRef, Env } from "../context";

export interface Customer {
  id: string;
  env: Env;
  name: string | null;
  email: string | null;
  emailDomain: string | null;
  emailVerified: boolean;
  providerCustomerId: string | null;
  workspaceIds: string[];
  metadata: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

export const customerFromRow = (row: typeof tables.customers.$inferSelect): Customer => {
  const { customerId, ...rest } = row;
  return { id: customerId, ...rest };
};

export const whereCustomer = (ref: CustomerRef) =>
  and(eq(tables.customers.customerId, ref.customerId), eq(tables.customers.env, ref.env));

export async function findCustomer(db: Queryable, ref: CustomerRef): Promise<Customer | undefined> {
  const [row] = await db.select().from(tables.customers).where(whereCustomer(ref));
  return row && customerFromRow(row);
}

export async function requireCustomer(
  db: Queryable,
  ref: CustomerRef,
  param = "customerId",
): Promise<Customer> {
  const customer = await findCustomer(db, ref);
  if (!customer) throw notFound("customer_not_found", `no ${ref.env} customer "${ref.customerId}"`, param);
  return customer;
}

/**
 * Takes the customer's row lock for the rest of the transaction, so changes to one customer's
 * contracts are serialized (and their effective ranges cannot be made to overlap).
 */
export async function lockCustomer(tx: Queryable, ref: CustomerRef): Promise<Customer> {
  await tx.execute(
    sql`SELECT 1 FROM customers WHERE customer_id = ${ref.customerId} AND env = ${ref.env} FOR UPDATE`,
  );
  return requireCustomer(tx, ref);
}

/**
 * Takes the row locks of several customers at once, in one fixed order (env, id) so two
 * transactions locking overlapping sets never deadlock. Answers the refs that exist, as
 * `env\u0000customerId` keys.
 */
export const lockCustomers = (tx: Queryable, refs: readonly CustomerRef[]): Promise<Set<string>> =>
  run(tx, customersLock(refs));

/** `lockCustomers`' statement, for a caller that sends it itself. */
export function customersLock(refs: readonly CustomerRef[]): Statement<Set<string>> {
  return {
    query:
      refs.length === 0
        ? null
        : shaped(
            "customers_lock",
            [refs.map((r) => r.env), refs.map((r) => r.customerId)],
            (envs, customerIds) =>
              sql`SELECT c.env, c.customer_id FROM customers c
                  JOIN unnest(${envs}::text[], ${customerIds}::text[]) AS t(env, customer_id) USING (customer_id, env)
                  ORDER BY c.env, c.customer_id
                  FOR UPDATE OF c`,
          ),
    answer: (rows) =>
      new Set(rows.map((row) => customerKey({ env: row.env as Env, customerId: row.customer_id as string }))),
  };
}

export const customerKey = (ref: CustomerRef) => `${ref.env}\u0000${ref.customerId}`;

/**
 * Rows of a tenant table belonging to any of `refs`, by its `customerId` and `env` columns, in
 * two array parameters however many: a customer id held in both environments also matches in
 * the other, so the caller keeps only the rows whose `customerKey` it asked for.
 */
export const ofCustomers = (
  columns: { customerId: SQLWrapper; env: SQLWrapper },
  refs: readonly CustomerRef[],
): SQL | undefined =>
  and(
    isAnyOf(
      columns.customerId,
      refs.map((r) => r.customerId),
    ),
    isAnyOf(
      columns.env,
      refs.map((r) => r.env),
    ),
  );
