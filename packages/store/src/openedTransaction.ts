import type { SQL } from "drizzle-orm";
import { NodePgSession, NodePgTransaction } from "drizzle-orm/node-postgres";
import pg from "pg";
import type { Db, Tx } from "./database";
import { executePrepared } from "./prepared";

type Rows = Record<string, unknown>[];

/** What Drizzle's node-postgres session holds, to open a transaction of our own on its pool. */
interface PoolSession {
  client: unknown;
  dialect: never;
  schema: never;
  options: never;
}

/**
 * Runs `work` in a transaction whose first statements are `opening`, answering their rows. On
 * PostgreSQL the BEGIN and the opening statements go out together (the pool's connections are
 * in pipeline mode), one round trip instead of one each; each is still a statement of its own,
 * run in order, so a lock taken by one is held before the next begins and reads. On PGlite they
 * run one after another in `db.transaction`. Any failure rolls the whole transaction back.
 */
export async function transactionOpenedWith<T>(
  db: Db,
  opening: readonly SQL[],
  work: (tx: Tx, opened: Rows[]) => Promise<T>,
): Promise<T> {
  const session = db._.session as unknown as PoolSession;
  if (!(session.client instanceof pg.Pool)) {
    return db.transaction(async (tx) => {
      const opened: Rows[] = [];
      for (const query of opening) opened.push((await executePrepared(tx, query)).rows);
      return work(tx, opened);
    });
  }
  const client = await session.client.connect();
  try {
    // A transaction as Drizzle's own `db.transaction` makes one, on this connection.
    const own = new NodePgSession(client, session.dialect, session.schema, session.options);
    const tx = new NodePgTransaction(session.dialect, own as never, session.schema) as unknown as Tx;
    const sent = await Promise.allSettled([
      client.query("BEGIN"),
      ...opening.map((query) => executePrepared(tx, query)),
    ]);
    const failed = sent.find((s) => s.status === "rejected");
    if (failed) {
      await client.query("ROLLBACK");
      throw failed.reason;
    }
    const opened = sent.slice(1).map((s) => (s as PromiseFulfilledResult<{ rows: Rows }>).value.rows);
    let result: T;
    try {
      result = await work(tx, opened);
    } catch (error) {
      await client.query("ROLLBACK");
      throw error;
    }
    await client.query("COMMIT");
    return result;
  } finally {
    client.release();
  }
}
