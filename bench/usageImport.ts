import { once } from "node:events";
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { finished } from "node:stream/promises";
import { type ImportSummary, type Io, usageImport } from "@tollgate/cli";
import { createEngine } from "@tollgate/engine";
import type { Database } from "@tollgate/store";
import { sql } from "drizzle-orm";
import { openBenchDatabase } from "./benchDatabase";
import { METERED, meteringEngine, scalar, since } from "./meteringSetup";

/** What the generated file should come to, counted while writing it. */
interface Expected {
  lines: number;
  accepted: number;
  duplicates: number;
  rejectedByCode: Record<string, number>;
  /** The sum of the accepted events' quantities. */
  quantity: number;
}

/**
 * `tollgate usage import` of a generated NDJSON file of `lines` lines over `customers`
 * customers (every 1000th line repeats the one before it; every 10,000th is bad: not JSON, or
 * an unknown customer), with its progress on stderr, beside reading and parsing the same file
 * without recording it (the floor any import pays). Then the counts it reported are checked
 * against the database (stored events, counters, hourly rollups), and the import is run again:
 * every line a duplicate or the same reject, nothing changed.
 */
export async function benchUsageImport(options: { lines: number; customers: number }) {
  const bench = await openBenchDatabase();
  const dir = mkdtempSync(join(tmpdir(), "tollgate-bench-import-"));
  try {
    const { ids } = await meteringEngine(bench.database, options.customers);
    const file = join(dir, "usage.ndjson");
    const expected = await writeUsageFile(file, options.lines, ids);
    console.log(
      `\nusage import of ${expected.lines.toLocaleString("en")} NDJSON lines over ${ids.length} customers ` +
        `on ${bench.url ? "PostgreSQL" : "PGlite (in memory)"} (progress on stderr)`,
    );

    const parseStarted = process.hrtime.bigint();
    const parsed = await readAndParse(file);
    const parseMs = since(parseStarted);

    // A fresh engine, as a `tollgate` process has: nothing of the set-up cached.
    const first = await runImport(bench.database, file);
    const afterFirst = await stored(bench.database);
    const second = await runImport(bench.database, file);
    const afterSecond = await stored(bench.database);

    const rejected = Object.values(expected.rejectedByCode).reduce((a, b) => a + b, 0);
    const checks = {
      "first import's counts are the file's": sameCounts(first.summary, expected),
      "stored events = accepted": afterFirst.events === first.summary.accepted,
      "counters sum = accepted quantities": afterFirst.counted === expected.quantity,
      "hourly rollups count = accepted": afterFirst.hourly === first.summary.accepted,
      "re-run: all duplicates or the same rejects": sameCounts(second.summary, {
        ...expected,
        accepted: 0,
        duplicates: expected.lines - rejected,
      }),
      "re-run changed nothing": JSON.stringify(afterSecond) === JSON.stringify(afterFirst),
    };
    const rate = (lines: number, ms: number) => Math.round(lines / (ms / 1000));
    console.table({
      "read + JSON.parse every line (baseline)": {
        "lines/s": rate(parsed, parseMs),
        s: fixed(parseMs / 1000),
      },
      "usage import": { "lines/s": rate(first.summary.lines, first.ms), s: fixed(first.ms / 1000) },
      "usage import again (all duplicates)": {
        "lines/s": rate(second.summary.lines, second.ms),
        s: fixed(second.ms / 1000),
      },
    });
    console.log(
      `usage import runs at ${fixed((100 * parseMs) / first.ms)} % of the bare read-and-parse rate; ` +
        `${first.summary.accepted} accepted, ${first.summary.duplicates} duplicates, ${first.summary.rejected} rejected ` +
        `(${Object.entries(first.summary.rejectedByCode)
          .map(([code, n]) => `${code} ${n}`)
          .join(", ")})`,
    );
    const failed = Object.entries(checks).filter(([, ok]) => !ok);
    console.log(
      failed.length === 0
        ? `verified against the database: ${Object.keys(checks).join("; ")}`
        : `MISMATCH: ${failed.map(([name]) => name).join("; ")} (database: ${JSON.stringify(afterFirst)})`,
    );
    if (failed.length > 0) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await bench.close();
  }
}

async function writeUsageFile(file: string, lines: number, ids: readonly string[]): Promise<Expected> {
  const out = createWriteStream(file);
  const expected: Expected = { lines, accepted: 0, duplicates: 0, rejectedByCode: {}, quantity: 0 };
  let previous = "";
  for (let n = 0; n < lines; n++) {
    let line: string;
    if (n % 10_000 === 5_000) {
      const code = n % 20_000 === 5_000 ? "invalid_json" : "customer_not_found";
      line = code === "invalid_json" ? `{"id": "imp_${n}", ` : event(n, "no_such_customer", 1);
      expected.rejectedByCode[code] = (expected.rejectedByCode[code] ?? 0) + 1;
    } else if (n % 1_000 === 999 && previous !== "") {
      line = previous;
      expected.duplicates += 1;
    } else {
      const quantity = (n % 10) + 1;
      line = event(n, ids[n % ids.length] as string, quantity);
      previous = line;
      expected.accepted += 1;
      expected.quantity += quantity;
    }
    if (!out.write(`${line}\n`)) await once(out, "drain");
  }
  out.end();
  await finished(out);
  return expected;
}

const event = (n: number, customerId: string, quantity: number) =>
  JSON.stringify({ id: `imp_${n}`, customerId, feature: METERED, quantity });

async function readAndParse(file: string): Promise<number> {
  let parsed = 0;
  for await (const line of createInterface({
    input: createReadStream(file),
    crlfDelay: Number.POSITIVE_INFINITY,
  })) {
    try {
      JSON.parse(line);
    } catch {
      // a bad line costs the same to find
    }
    parsed += 1;
  }
  return parsed;
}

async function runImport(database: Database, file: string): Promise<{ summary: ImportSummary; ms: number }> {
  let answer = "";
  const io: Io = { stdout: { write: (text: string) => (answer += text) }, stderr: process.stderr };
  const started = process.hrtime.bigint();
  await usageImport(createEngine({ database }), file, { env: "live", json: true, progress: true }, io);
  return { summary: JSON.parse(answer) as ImportSummary, ms: since(started) };
}

const sameCounts = (summary: ImportSummary, expected: Expected) =>
  summary.lines === expected.lines &&
  summary.accepted === expected.accepted &&
  summary.duplicates === expected.duplicates &&
  JSON.stringify(sortKeys(summary.rejectedByCode)) === JSON.stringify(sortKeys(expected.rejectedByCode));

const sortKeys = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort());

async function stored(database: Database) {
  return {
    events: await scalar(database, sql`SELECT count(*) AS n FROM usage_events WHERE event_id LIKE 'imp\\_%'`),
    counted: await scalar(
      database,
      sql`SELECT coalesce(sum(used), 0) AS n FROM usage_counters WHERE feature_key = ${METERED}`,
    ),
    hourly: await scalar(
      database,
      sql`SELECT coalesce(sum(events), 0) AS n FROM usage_hourly WHERE feature_key = ${METERED}`,
    ),
  };
}

const fixed = (value: number) => value.toFixed(1);
