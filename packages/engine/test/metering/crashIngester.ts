import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Database, openDatabase } from "@tollgate/store";
import { createEngine } from "../../src/index";

/**
 * The child process of crash.test.ts: loads, waits for `go <from>` on stdin (so the test can
 * start every child ahead of its round), then opens the database the test prepared
 * (CHILD_DATA_DIR, a PGlite directory, or CHILD_DATABASE_URL) and ingests deterministic batches
 * from batch `from` on until it is killed, writing one line to stdout per step:
 *
 *   ready            the database is open
 *   begin <i>        batch i is about to be ingested
 *   tx <i>           ingestion of batch i opens a transaction (the write phase starts)
 *   ack <i> <a> <d>  ingest of batch i returned (committed): accepted a, duplicates d
 *
 * Each line is handed to the kernel before the next step starts, so the parent sees every ack
 * the moment it is given. Run as `node --import tsx crashIngester.ts` (one process, so that
 * SIGKILL kills the writer itself). It exits when its stdin closes (the test is gone).
 */

export const CRASH_BATCH_SIZE = 200;
export const CRASH_FEATURE = "tokens";
export const CRASH_CUSTOMERS = ["crash_a", "crash_b"];
/** Parent and child run on this fixed clock (the customers subscribe at this instant). */
export const CRASH_CLOCK = "2026-06-15T12:00:00Z";

/** Batch i: events e_<i>_<j>, quantity 1, alternating between the two customers. */
export function crashBatch(index: number) {
  return Array.from({ length: CRASH_BATCH_SIZE }, (_, j) => ({
    id: `e_${index}_${j}`,
    customerId: j % 2 === 0 ? "crash_a" : "crash_b",
    feature: CRASH_FEATURE,
    quantity: 1,
  }));
}

const say = (line: string) =>
  new Promise<void>((done, fail) =>
    process.stdout.write(`${line}\n`, (error) => (error ? fail(error) : done())),
  );

/** The database handle with each `transaction` call announced (as `tx <batch>`) before it starts. */
function announcingTransactions(database: Database, batch: () => number): Database {
  const db = new Proxy(database.db, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      if (property !== "transaction") return value.bind(target);
      return async (...args: unknown[]) => {
        await say(`tx ${batch()}`);
        return value.apply(target, args);
      };
    },
  });
  return { ...database, db };
}

/** The first batch, from the parent's `go <from>` line; exits if stdin closes first or later. */
function waitForGo(): Promise<number> {
  return new Promise((go) => {
    let received = "";
    process.stdin.setEncoding("utf8");
    process.stdin.on("data", (chunk: string) => {
      received += chunk;
      const line = /^go (\d+)\n/.exec(received);
      if (line) go(Number(line[1]));
    });
    process.stdin.on("end", () => process.exit(0));
  });
}

async function main(): Promise<void> {
  const url = process.env.CHILD_DATABASE_URL;
  const dataDir = process.env.CHILD_DATA_DIR;
  if (!url && !dataDir) throw new Error("set CHILD_DATABASE_URL or CHILD_DATA_DIR");
  const from = await waitForGo();
  const database = await openDatabase(url ? { url, poolSize: 2 } : { dataDir });
  let current = from;
  const engine = createEngine({
    database: announcingTransactions(database, () => current),
    clock: () => new Date(CRASH_CLOCK),
  });
  await say("ready");
  // Far more batches than the parent lets it finish: it is killed long before the end.
  for (current = from; current < from + 10_000; current += 1) {
    await say(`begin ${current}`);
    const result = await engine.usage.ingest("live", crashBatch(current));
    if (result.rejected.length > 0) throw new Error(`batch ${current}: ${JSON.stringify(result.rejected)}`);
    await say(`ack ${current} ${result.accepted} ${result.duplicates}`);
  }
  await say("done");
  await database.close();
  process.exit(0);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
