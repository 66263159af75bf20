import type { Writable } from "node:stream";
import { NodePgSession, NodePgTransaction } from "drizzle-orm/node-postgres";
import pg from "pg";
import type { Db, Tx } from "./database";
import { executePrepared, type Query, type Row, run, type Statement } from "./prepared";

/** What Drizzle's node-postgres session holds, to open a transaction of our own on its pool. */
interface PoolSession {
  client: unknown;
  dialect: never;
  schema: never;
  options: never;
}

/**
 * Drizzle's view of a transaction on a pooled connection, made as `NodePgSession.transaction`
 * (0.45) makes one, once per connection: it holds nothing of a transaction but the connection,
 * and making it builds a query builder for every table.
 */
const transactions = new WeakMap<pg.PoolClient, Tx>();
function transactionOn(client: pg.PoolClient, session: PoolSession): Tx {
  let tx = transactions.get(client);
  if (!tx) {
    const own = new NodePgSession(client, session.dialect, session.schema, session.options);
    tx = new NodePgTransaction(session.dialect, own as never, session.schema) as unknown as Tx;
    transactions.set(client, tx);
  }
  return tx;
}

type Answers<S extends readonly Statement<unknown>[]> = {
  [K in keyof S]: S[K] extends Statement<infer T> ? T : never;
};

/**
 * Runs `work` in a transaction whose first statements are `opening`, and hands it their answers.
 * On PostgreSQL the BEGIN and the opening statements go out together (the pool's connections
 * are in pipeline mode): one round trip instead of one each. Each is still a statement of its
 * own, run in order, so a lock taken by one is held before the next begins and reads. On PGlite
 * they run one after another in `db.transaction`. Any failure rolls the whole transaction back.
 */
export async function transactionOpenedWith<const S extends readonly Statement<unknown>[], T>(
  db: Db,
  opening: S,
  work: (tx: Tx, answers: Answers<S>) => Promise<T>,
): Promise<T> {
  const session = db._.session as unknown as PoolSession;
  if (!(session.client instanceof pg.Pool)) {
    return db.transaction(async (tx) => {
      const answers: unknown[] = [];
      for (const statement of opening) answers.push(await run(tx, statement));
      return work(tx, answers as Answers<S>);
    });
  }
  const client = await session.client.connect();
  /** Set when the connection may be left inside a transaction: the pool then drops it. */
  let broken: Error | undefined;
  const rollBack = async (cause: unknown) => {
    await client.query("ROLLBACK").catch((error: Error) => {
      broken = error;
    });
    throw cause;
  };
  try {
    const tx = transactionOn(client, session);
    // Each query is queued on the connection as it is issued, in this order: Drizzle's execute
    // calls node-postgres without awaiting first (the storage test checks the order holds). The
    // socket is corked meanwhile, so they leave in one write (a system call each costs more than
    // their encoding).
    const queries = opening.flatMap((s) => (s.query ? [s.query] : []));
    const stream = (client as unknown as { connection: { stream: Writable } }).connection.stream;
    stream.cork();
    let sending: Promise<PromiseSettledResult<unknown>[]>;
    try {
      sending = Promise.allSettled([
        client.query("BEGIN"),
        ...queries.map((query: Query) => executePrepared(tx, query)),
      ]);
    } finally {
      stream.uncork();
    }
    const sent = await sending;
    const failed = sent.find((s) => s.status === "rejected");
    if (failed) return await rollBack(failed.reason);
    const rows = sent.slice(1).map((s) => (s as PromiseFulfilledResult<{ rows: Row[] }>).value.rows);
    let next = 0;
    const answers = opening.map((s) => s.answer(s.query ? (rows[next++] ?? []) : []));
    let result: T;
    try {
      result = await work(tx, answers as Answers<S>);
    } catch (error) {
      return await rollBack(error);
    }
    try {
      await client.query("COMMIT");
    } catch (error) {
      broken = error as Error;
      throw error;
    }
    return result;
  } finally {
    client.release(broken);
  }
}
