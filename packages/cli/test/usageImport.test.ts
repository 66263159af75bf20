import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestApp, type TestApp } from "../../server/test/testApp";
import { UsageError } from "../src/io";
import { type ImportSummary, usageImport } from "../src/usageImport";
import { captureIo } from "./captureIo";

const CUSTOMERS = ["acme", "globex", "initech", "umbrella", "cronicorn"];
const GOOD = 6_000;

interface Line {
  text: string;
  /** What the import should make of it. */
  expect: "accepted" | "duplicate" | { code: string };
  quantity?: number;
}

/**
 * 6,000 events over the demo customers (quantities 1–7), with a repeat of the previous event
 * every 500 lines and, spread through the file, each kind of bad line.
 */
function importFile(): Line[] {
  const lines: Line[] = [];
  const bad: Line[] = [
    { text: "", expect: { code: "blank_line" } },
    { text: "{not json", expect: { code: "invalid_json" } },
    { text: "42", expect: { code: "parameter_invalid" } },
    { text: event("bad_1", "nobody", 1), expect: { code: "customer_not_found" } },
    {
      text: JSON.stringify({ id: "bad_2", customerId: "acme", feature: "nope" }),
      expect: { code: "unknown_feature" },
    },
    { text: event("bad_3", "acme", -5), expect: { code: "parameter_invalid" } },
  ];
  for (let i = 0; i < GOOD; i++) {
    const quantity = (i % 7) + 1;
    const text = event(`evt_${i}`, CUSTOMERS[i % CUSTOMERS.length] as string, quantity);
    lines.push({ text, expect: "accepted", quantity });
    if (i % 500 === 499) lines.push({ text, expect: "duplicate" });
    if (i % 997 === 500) lines.push(bad[lines.length % bad.length] as Line);
  }
  for (const line of bad) lines.push(line);
  return lines;
}

function event(id: string, customerId: string, quantity: number) {
  return JSON.stringify({ id, customerId, feature: "ai_tokens", quantity });
}

let t: TestApp;
let dir: string;
let file: string;
let lines: Line[];

beforeAll(async () => {
  t = await openTestApp();
  dir = mkdtempSync(join(tmpdir(), "tollgate-import-"));
  file = join(dir, "usage.ndjson");
  lines = importFile();
  writeFileSync(file, `${lines.map((l) => l.text).join("\n")}\n`);
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

async function stored() {
  const result = (await t.database.db.execute(sql`
    SELECT count(*)::int AS events, coalesce(sum(quantity), 0)::float8 AS quantity,
           (SELECT coalesce(sum(events), 0)::int FROM usage_hourly WHERE feature_key = 'ai_tokens') AS hourly
    FROM usage_events WHERE feature_key = 'ai_tokens'`)) as unknown as {
    rows: { events: number; quantity: number; hourly: number }[];
  };
  return result.rows[0] as { events: number; quantity: number; hourly: number };
}

const options = { env: "live" as const, json: true, progress: true };

describe("tollgate usage import", () => {
  it("reports accepted, duplicate and rejected lines as the database counts them, with progress on stderr", async () => {
    const before = await stored();
    const rejects = join(dir, "rejects.ndjson");
    const { io, stdout, stderr } = captureIo();

    const code = await usageImport(t.engine, file, { ...options, rejects }, io);

    const accepted = lines.filter((l) => l.expect === "accepted");
    const rejected = lines.flatMap((l, i) =>
      typeof l.expect === "object" ? [{ line: i + 1, ...l.expect }] : [],
    );
    const summary = JSON.parse(stdout()) as ImportSummary;
    expect(code).toBe(1);
    expect(summary).toMatchObject({
      lines: lines.length,
      accepted: accepted.length,
      duplicates: lines.filter((l) => l.expect === "duplicate").length,
      rejected: rejected.length,
      interrupted: false,
    });
    const byCode: Record<string, number> = {};
    for (const r of rejected) byCode[r.code] = (byCode[r.code] ?? 0) + 1;
    expect(summary.rejectedByCode).toEqual(byCode);

    const after = await stored();
    expect(after.events - before.events).toBe(summary.accepted);
    expect(after.hourly - before.hourly).toBe(summary.accepted);
    expect(after.quantity - before.quantity).toBe(accepted.reduce((sum, l) => sum + (l.quantity ?? 0), 0));

    const written = readFileSync(rejects, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(written.map((r) => ({ line: r.line, code: r.code }))).toEqual(rejected);
    expect(written.map((r) => r.text)).toEqual(rejected.map((r) => lines[r.line - 1]?.text));

    // Not a terminal: plain progress lines, the last at 100 % with the final counts.
    const progress = stderr().trim().split("\n");
    expect(progress[0]).toMatch(/^importing \[-+\] 0%/);
    expect(progress.at(-1)).toContain(
      `100% | ${lines.length} lines: ${summary.accepted} accepted, ${summary.duplicates} duplicates, ${summary.rejected} rejected`,
    );
  });

  it("counts every line as a duplicate on a re-run and changes nothing", async () => {
    const before = await t.snapshot();
    const { io, stdout, stderr } = captureIo();

    const code = await usageImport(t.engine, file, { ...options, progress: false }, io);

    const summary = JSON.parse(stdout()) as ImportSummary;
    const rejected = lines.filter((l) => typeof l.expect === "object").length;
    expect(code).toBe(1);
    expect(summary).toMatchObject({ accepted: 0, duplicates: lines.length - rejected, rejected });
    expect(await t.snapshot()).toEqual(before);
    // Without --rejects the first rejected lines are on stderr with their line numbers.
    const firstBad = lines.findIndex((l) => typeof l.expect === "object");
    const firstCode = (lines[firstBad] as Line).expect as { code: string };
    expect(stderr()).toContain(`line ${firstBad + 1}: ${firstCode.code}`);
    expect(stderr()).toContain(`and ${rejected - 10} more; --rejects <file> keeps them all`);
  });

  it("exits 0 and prints a summary table when every line is accepted", async () => {
    const clean = join(dir, "clean.ndjson");
    writeFileSync(clean, [event("clean_1", "acme", 3), event("clean_2", "globex", 4)].join("\r\n"));
    const { io, stdout } = captureIo();

    const code = await usageImport(t.engine, clean, { ...options, json: false, progress: false }, io);

    expect(code).toBe(0);
    expect(stdout()).toMatch(/read 2 lines of .*clean\.ndjson into live/);
    expect(stdout()).toMatch(/accepted\s+2\nduplicates\s+0\nrejected\s+0/);
  });

  it("refuses a missing file as a usage error, before anything is recorded", async () => {
    const before = await t.snapshot();
    const { io } = captureIo();
    await expect(usageImport(t.engine, join(dir, "missing.ndjson"), options, io)).rejects.toThrow(UsageError);
    expect(await t.snapshot()).toEqual(before);
  });

  it("reports a batch the database failed and still counts the batches recorded around it", async () => {
    const flaky = join(dir, "flaky.ndjson");
    writeFileSync(flaky, Array.from({ length: 2500 }, (_, i) => event(`flaky_${i}`, "acme", 1)).join("\n"));
    let batches = 0;
    const engine = {
      ...t.engine,
      usage: {
        ...t.engine.usage,
        ingest: (env: "live" | "test", events: readonly unknown[]) =>
          batches++ === 1 ? Promise.reject(new Error("connection lost")) : t.engine.usage.ingest(env, events),
      },
    };
    const before = await stored();
    const { io, stdout, stderr } = captureIo();

    const code = await usageImport(engine, flaky, options, io);

    expect(code).toBe(1);
    expect(stderr()).toContain("error: the import stopped: connection lost");
    // Lines 1–1000 and 2001–2500 went through; 1001–2000 did not.
    expect(JSON.parse(stdout())).toMatchObject({ lines: 1500, accepted: 1500, rejected: 0 });
    expect((await stored()).events - before.events).toBe(1500);
  });

  it("stops reading when interrupted and says so (exit 130)", async () => {
    const other = join(dir, "other.ndjson");
    writeFileSync(other, event("late_1", "acme", 1));
    const { io, stdout } = captureIo();
    const interrupt = new AbortController();
    interrupt.abort();

    const code = await usageImport(t.engine, other, { ...options, signal: interrupt.signal }, io);

    expect(code).toBe(130);
    expect(JSON.parse(stdout())).toMatchObject({ interrupted: true, lines: 0, accepted: 0 });
  });
});
