import { type ChildProcess, spawn } from "node:child_process";
import { join, resolve } from "node:path";
import type { Database } from "@tollgate/store";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine } from "../../src/index";
import { prepareTarget, rows, type Target } from "../childDatabase";
import { live, testClock } from "../testEngine";
import { CRASH_BATCH_SIZE, CRASH_CLOCK, CRASH_CUSTOMERS, CRASH_FEATURE, crashBatch } from "./crashIngester";
import { seedMeteredPlan } from "./meteringFixture";

/**
 * "A crash (process killed) in the middle of ingesting a batch loses no acknowledged event and
 * counts none twice when the batch is retried" — for real: a child process ingests batches
 * into the same database (a PGlite directory, or a PostgreSQL database of this file) and is
 * SIGKILLed while a batch is being written; the database is then reopened and checked, and
 * every batch is retried.
 */

const root = resolve(import.meta.dirname, "../../../..");
const ingester = join(import.meta.dirname, "crashIngester.ts");
/**
 * Child processes started and killed, each resuming from the first batch not acknowledged.
 * PostgreSQL writes a batch in a few tens of milliseconds, close to the timers' jitter, so it
 * gets more (and cheaper) rounds than PGlite, whose writes take hundreds (and whose reopening
 * takes seconds).
 */
const ROUNDS = process.env.DATABASE_URL ? 6 : 3;
const CHILD_APP = "tollgate_crash_ingester";

interface Ack {
  batch: number;
  accepted: number;
  duplicates: number;
}

interface Round {
  from: number;
  acks: Ack[];
  /** The highest batch the child started. */
  begun: number;
  /** The last line the child wrote before it was killed. */
  lastLine: string;
  /** The kill came this long after the first `tx` line of the batch in flight. */
  killDelayMs: number;
  /** Milliseconds from `go` to `ready` (opening the database). */
  startMs: number;
  /** The write time (first `tx` line → ack) of the last batch acknowledged before the kill was armed. */
  writeMs: number;
  /** After the kill: the batch in flight was `absent`, `acked`, or `recorded` without an ack. */
  inFlight: string;
}

interface Ingester {
  child: ChildProcess;
  /** Receives each stdout line once the round starts (the child writes none before `go`). */
  onLine: (line: string) => void;
  stderr: string;
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts a child ahead of its round: it loads its modules, then waits for `go`. */
function spawnIngester(target: Target): Ingester {
  const child = spawn(process.execPath, ["--import", "tsx", ingester], {
    cwd: root,
    env: { ...process.env, ...target.childEnv },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const handle: Ingester = {
    child,
    onLine: () => {},
    stderr: "",
    // "close", not "exit": by then every line the child wrote before it died has been read.
    closed: new Promise((done) => child.on("close", (code, signal) => done({ code, signal }))),
  };
  let pending = "";
  child.stdout.on("data", (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) handle.onLine(line);
  });
  child.stderr.on("data", (chunk: Buffer) => {
    handle.stderr += chunk.toString();
  });
  return handle;
}

/**
 * Lets the ingester start at batch `from`; once it has acknowledged 2 or 3 batches, kills it with
 * SIGKILL `killAt` × (the last batch's write time, from its first `tx` line to its ack) after
 * the next batch's first `tx` line: inside its transaction(s), around the commit, or just after.
 */
async function crashRound(ingester: Ingester, from: number, killAt: number): Promise<Round> {
  const { child } = ingester;
  const round: Round = {
    from,
    acks: [],
    begun: from - 1,
    lastLine: "",
    killDelayMs: -1,
    startMs: 0,
    writeMs: 0,
    inFlight: "",
  };
  const armAfterAcks = 2 + Math.floor(Math.random() * 2);
  let txAt = 0;
  let txBatch = -1;
  let lastWriteMs = 0;
  let armed = false;
  const startedAt = performance.now();
  ingester.onLine = (line) => {
    round.lastLine = line;
    const [word, batch = "", accepted = "", duplicates = ""] = line.split(" ");
    if (word === "ready") round.startMs = Math.round(performance.now() - startedAt);
    if (word === "begin") round.begun = Number(batch);
    if (word === "tx" && Number(batch) !== txBatch) {
      txBatch = Number(batch);
      txAt = performance.now();
      if (round.acks.length >= armAfterAcks && !armed) {
        armed = true;
        round.writeMs = Math.round(lastWriteMs);
        round.killDelayMs = Math.round(killAt * lastWriteMs);
        setTimeout(() => child.kill("SIGKILL"), round.killDelayMs);
      }
    }
    if (word === "ack") {
      lastWriteMs = performance.now() - txAt;
      round.acks.push({ batch: Number(batch), accepted: Number(accepted), duplicates: Number(duplicates) });
    }
  };
  // Only if it never gets there (the first child may still be loading, with the others, when told to go).
  const guard = setTimeout(() => child.kill("SIGKILL"), 60_000);
  child.stdin?.write(`go ${from}\n`);
  const { code, signal } = await ingester.closed;
  clearTimeout(guard);
  if (signal !== "SIGKILL" || !armed) {
    const how =
      signal === "SIGKILL" ? "before the kill point (60 s)" : `on its own (code ${code}, signal ${signal})`;
    throw new Error(`the ingester ended ${how}:\n${ingester.stderr}`);
  }
  return round;
}

/** Events recorded per batch (from the ids e_<batch>_<j>). */
async function eventsPerBatch(database: Database): Promise<Map<number, number>> {
  const found = await rows(
    database,
    sql`SELECT split_part(event_id, '_', 2)::int AS batch, count(*)::int AS n FROM usage_events
        WHERE env = 'live' AND feature_key = ${CRASH_FEATURE} GROUP BY 1 ORDER BY 1`,
  );
  return new Map(found.map((r) => [Number(r.batch), Number(r.n)]));
}

/** Per customer: distinct events recorded, the counters' total, the hourly rollups' totals, and what check reports. */
async function tallies(database: Database) {
  const engine = createEngine({ database, clock: () => new Date(CRASH_CLOCK) });
  const result: Record<
    string,
    { events: number; counter: number; hourly: number; hourlyEvents: number; used: number }
  > = {};
  for (const customerId of CRASH_CUSTOMERS) {
    const [events] = await rows(
      database,
      sql`SELECT count(DISTINCT event_id)::int AS n FROM usage_events
          WHERE env = 'live' AND customer_id = ${customerId} AND feature_key = ${CRASH_FEATURE}`,
    );
    const [counter] = await rows(
      database,
      sql`SELECT coalesce(sum(used), 0)::float8 AS n FROM usage_counters
          WHERE env = 'live' AND customer_id = ${customerId} AND feature_key = ${CRASH_FEATURE}`,
    );
    const [hourly] = await rows(
      database,
      sql`SELECT coalesce(sum(quantity), 0)::float8 AS q, coalesce(sum(events), 0)::int AS n FROM usage_hourly
          WHERE env = 'live' AND customer_id = ${customerId} AND feature_key = ${CRASH_FEATURE}`,
    );
    const { used } = await engine.entitlements.check(live(customerId), {
      feature: CRASH_FEATURE,
      quantity: 0,
    });
    result[customerId] = {
      events: Number(events?.n),
      counter: Number(counter?.n),
      hourly: Number(hourly?.q),
      hourlyEvents: Number(hourly?.n),
      used,
    };
  }
  return result;
}

/** Every customer's counter, rollups and `check` equal the events recorded (quantity 1 each). */
const consistent = (perCustomer: number) =>
  Object.fromEntries(
    CRASH_CUSTOMERS.map((c) => [
      c,
      {
        events: perCustomer,
        counter: perCustomer,
        hourly: perCustomer,
        hourlyEvents: perCustomer,
        used: perCustomer,
      },
    ]),
  );

let target: Target;
beforeAll(async () => {
  const prepared = await prepareTarget(CHILD_APP);
  target = prepared.target;
  const clock = testClock(CRASH_CLOCK);
  const engine = createEngine({ database: prepared.first, clock });
  await seedMeteredPlan({ engine, database: prepared.first, clock }, CRASH_CUSTOMERS);
  // PGlite: one process at a time on a directory — the child opens it next.
  await prepared.first.close();
});
afterAll(async () => {
  await target?.dispose();
});

describe(`a process killed while ingesting (${process.env.DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("loses no acknowledged event, leaves no batch half-written, and counts none twice on retry", async () => {
    const acked = new Set<number>();
    let begun = -1;
    const log: Round[] = [];
    /** Events recorded per batch, as last read. */
    let present = new Map<number, number>();
    let database: Database | undefined;
    // Every child loads its modules now, in parallel (seconds each); each touches the database
    // only after its `go`.
    const ingesters = Array.from({ length: ROUNDS }, () => spawnIngester(target));
    try {
      for (const [r, current] of ingesters.entries()) {
        // Each child resumes from the first batch not acknowledged, as a client would. Kill
        // moments are spread over the rounds: round r at (r + random) / ROUNDS × 1.1 × the write
        // time, so each part of the write (and the moment just after its commit) is hit in some round.
        const killAt = ((r + Math.random()) / ROUNDS) * 1.1;
        const round = await crashRound(current, acked.size === 0 ? 0 : Math.max(...acked) + 1, killAt);
        log.push(round);
        const context = JSON.stringify(log);
        for (const ack of round.acks) {
          acked.add(ack.batch);
          // A batch found recorded after the last kill (committed, never acknowledged) is all
          // duplicates when the next child retries it; any other batch is all new.
          const recorded = present.get(ack.batch) === CRASH_BATCH_SIZE;
          expect({ batch: ack.batch, accepted: ack.accepted, duplicates: ack.duplicates }, context).toEqual({
            batch: ack.batch,
            accepted: recorded ? 0 : CRASH_BATCH_SIZE,
            duplicates: recorded ? CRASH_BATCH_SIZE : 0,
          });
        }
        begun = Math.max(begun, round.begun);

        database = await target.open();
        await target.childGone(database);
        present = await eventsPerBatch(database);
        round.inFlight = !present.has(round.begun) ? "absent" : acked.has(round.begun) ? "acked" : "recorded";
        for (const batch of acked) {
          expect(present.get(batch), `acknowledged batch ${batch} ${context}`).toBe(CRASH_BATCH_SIZE);
        }
        for (const [batch, n] of present) {
          expect(n, `batch ${batch} is all-or-nothing ${context}`).toBe(CRASH_BATCH_SIZE);
          expect(batch, `batch ${batch} was never started ${context}`).toBeLessThanOrEqual(begun);
        }
        expect(await tallies(database), context).toEqual(
          consistent((present.size * CRASH_BATCH_SIZE) / CRASH_CUSTOMERS.length),
        );
        if (r < ROUNDS - 1) {
          await database.close(); // PGlite: the next child opens the directory.
          database = undefined;
        }
      }
      if (!database) throw new Error("no rounds ran");

      // Retry every batch started, acknowledged or not: recorded ones are all duplicates, the others all new.
      const engine = createEngine({ database, clock: () => new Date(CRASH_CLOCK) });
      for (let batch = 0; batch <= begun; batch += 1) {
        const result = await engine.usage.ingest("live", crashBatch(batch));
        const recorded = present.get(batch) === CRASH_BATCH_SIZE;
        expect(result, `retry of batch ${batch} ${JSON.stringify(log)}`).toEqual({
          accepted: recorded ? 0 : CRASH_BATCH_SIZE,
          duplicates: recorded ? CRASH_BATCH_SIZE : 0,
          rejected: [],
        });
      }
      expect([...(await eventsPerBatch(database)).entries()]).toEqual(
        Array.from({ length: begun + 1 }, (_, batch) => [batch, CRASH_BATCH_SIZE]),
      );
      expect(await tallies(database)).toEqual(
        consistent(((begun + 1) * CRASH_BATCH_SIZE) / CRASH_CUSTOMERS.length),
      );
    } finally {
      for (const { child } of ingesters)
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await database?.close();
    }
    if (process.env.CRASH_TEST_VERBOSE) console.info(JSON.stringify({ driver: target.driver, log }));
  }, 120_000);
});
