import { openDatabase } from "@tollgate/store";
import { createEngine } from "../../src/index";

/**
 * The child process of killedWorker.test.ts: opens the database the test prepared
 * (CHILD_DATA_DIR, a PGlite directory, or CHILD_DATABASE_URL) on the clock KILL_CLOCK and runs
 * the due jobs, with every transaction held open after its work and before its COMMIT; it
 * prints `in-tx` there, and the test kills it. Run as `node --import tsx killedWorker.ts`.
 */

interface Transactional {
  transaction<T>(work: (tx: unknown) => Promise<T>): Promise<T>;
}

const url = process.env.CHILD_DATABASE_URL;
const dataDir = process.env.CHILD_DATA_DIR;
if (!url && !dataDir) throw new Error("set CHILD_DATABASE_URL or CHILD_DATA_DIR");
const database = await openDatabase(url ? { url } : { dataDir });
const at = new Date(process.env.KILL_CLOCK ?? "");
const engine = createEngine({ database, clock: () => new Date(at) });

const db = database.db as unknown as Transactional;
const original = db.transaction.bind(db);
db.transaction = <T>(work: (tx: unknown) => Promise<T>) =>
  original(async (tx) => {
    const result = await work(tx);
    process.stdout.write("in-tx\n");
    await new Promise(() => {});
    return result;
  });

await engine.scheduler.runDue();
