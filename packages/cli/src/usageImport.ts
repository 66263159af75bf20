import { createReadStream } from "node:fs";
import { type FileHandle, open, stat } from "node:fs/promises";
import { createInterface } from "node:readline";
import { MAX_BATCH_EVENTS } from "@tollgate/core";
import { formatCount } from "@tollgate/core/display";
import type { Engine, Env, IngestResult } from "@tollgate/engine";
import { formatTable } from "./format";
import { type ImportCounts, type ImportProgress, noProgress, startProgress } from "./importProgress";
import { EXIT, type Io, UsageError, writeLine } from "./io";

export interface UsageImportOptions {
  env: Env;
  json: boolean;
  /** Write every rejected line here, as NDJSON `{line, code, param?, message, text}`. */
  rejects?: string | undefined;
  progress: boolean;
  /** Stops reading: the batches already sent finish, and the summary says where it stopped. */
  signal?: AbortSignal | undefined;
}

export interface RejectedLine {
  line: number;
  code: string;
  param?: string;
  message: string;
  /** The line as it was in the file. */
  text: string;
}

export interface ImportSummary extends ImportCounts {
  file: string;
  env: Env;
  rejectedByCode: Record<string, number>;
  /** True when SIGINT stopped the import before the end of the file. */
  interrupted: boolean;
  seconds: number;
}

/** Batches sent to the engine at once: its ingest writer merges them into fewer transactions. */
const IN_FLIGHT = 4;
/** Rejected lines shown on stderr when no `--rejects` file keeps them all. */
const SHOWN_REJECTS = 10;

interface Batch {
  events: unknown[];
  /** The line number of each event. */
  lineOf: number[];
  texts: string[];
  /** Lines refused before the engine saw them (blank, not JSON). */
  unparsed: RejectedLine[];
  lines: number;
  /** Bytes of the file read up to the batch's last line. */
  bytesThrough: number;
}

/**
 * `tollgate usage import <file.ndjson>`: each line one usage event, as in `POST /v1/events`,
 * streamed in batches of 1000 through the engine's ingest (the same validation and
 * deduplication), never loaded whole. A bad line is rejected with its line number and code and
 * the import goes on; ids already recorded are duplicates, so a re-run changes nothing.
 * Answers the exit code: 0 all accepted or duplicates, 1 some rejected (or the database failed),
 * 130 interrupted.
 */
export async function usageImport(
  engine: Engine,
  file: string,
  options: UsageImportOptions,
  io: Io,
): Promise<number> {
  const size = await fileSize(file);
  const rejectsFile = options.rejects ? await openRejects(options.rejects) : undefined;
  const started = Date.now();
  const counts: ImportCounts = { lines: 0, accepted: 0, duplicates: 0, rejected: 0 };
  const byCode: Record<string, number> = {};
  const shown: RejectedLine[] = [];
  const progress: ImportProgress = options.progress ? startProgress(io.stderr, size, started) : noProgress;
  let failure: unknown;
  try {
    const inFlight: { batch: Batch; result: Promise<IngestResult> }[] = [];
    const record = async () => {
      const sent = inFlight.shift();
      if (!sent) return;
      const rejected = tally(sent.batch, await sent.result);
      for (const reject of rejected) {
        byCode[reject.code] = (byCode[reject.code] ?? 0) + 1;
        if (shown.length < SHOWN_REJECTS) shown.push(reject);
        rejectsFile?.write(`${JSON.stringify(reject)}\n`);
      }
      progress.update(sent.batch.bytesThrough, counts);
    };
    const send = async (batch: Batch) => {
      const result = batch.events.length > 0 ? engine.usage.ingest(options.env, batch.events) : none;
      // Awaited in order by `record`; a failure meanwhile must not go unhandled.
      result.catch(() => {});
      inFlight.push({ batch, result });
      if (inFlight.length >= IN_FLIGHT) await record();
    };
    try {
      for await (const batch of readBatches(file, options.signal)) await send(batch);
    } catch (error) {
      failure = error;
    }
    // The batches already sent are recorded or not whatever happened since: count them.
    while (inFlight.length > 0) await record().catch((error: unknown) => (failure ??= error));
  } finally {
    progress.stop();
    await rejectsFile?.close();
  }

  const summary: ImportSummary = {
    file,
    env: options.env,
    ...counts,
    rejectedByCode: byCode,
    interrupted: options.signal?.aborted === true,
    seconds: (Date.now() - started) / 1000,
  };
  if (failure !== undefined) {
    const message = failure instanceof Error ? failure.message : String(failure);
    writeLine(
      io.stderr,
      `error: the import stopped: ${message}\n` +
        "the lines counted below are recorded; run the same import again to finish (they count as duplicates)",
    );
  }
  report(summary, shown, options, io);
  if (failure !== undefined) return EXIT.failed;
  if (summary.interrupted) return EXIT.interrupted;
  return counts.rejected > 0 ? EXIT.failed : EXIT.ok;

  /** Counts a batch's answer; answers its rejected lines in line order. */
  function tally(batch: Batch, result: IngestResult): RejectedLine[] {
    counts.lines += batch.lines;
    counts.accepted += result.accepted;
    counts.duplicates += result.duplicates;
    const rejected = [
      ...batch.unparsed,
      ...result.rejected.map((r) => ({
        line: batch.lineOf[r.index] as number,
        code: r.code,
        ...(r.param === undefined ? {} : { param: r.param }),
        message: r.message,
        text: batch.texts[r.index] as string,
      })),
    ].sort((a, b) => a.line - b.line);
    counts.rejected += rejected.length;
    return rejected;
  }
}

const none = Promise.resolve<IngestResult>({ accepted: 0, duplicates: 0, rejected: [] });

/** The file's lines in batches of at most 1000, each line parsed as JSON or refused as it is. */
async function* readBatches(file: string, signal: AbortSignal | undefined): AsyncGenerator<Batch> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  let bytes = 0;
  let batch = emptyBatch();
  try {
    for await (const text of lines) {
      if (signal?.aborted) break;
      line += 1;
      bytes += Buffer.byteLength(text) + 1;
      batch.lines += 1;
      batch.bytesThrough = bytes;
      const parsed = parseLine(line, text);
      if ("code" in parsed) batch.unparsed.push(parsed);
      else {
        batch.events.push(parsed.event);
        batch.lineOf.push(line);
        batch.texts.push(text);
      }
      if (batch.lines === MAX_BATCH_EVENTS) {
        yield batch;
        batch = emptyBatch();
      }
    }
  } finally {
    lines.close();
  }
  if (batch.lines > 0) yield batch;
}

const emptyBatch = (): Batch => ({
  events: [],
  lineOf: [],
  texts: [],
  unparsed: [],
  lines: 0,
  bytesThrough: 0,
});

function parseLine(line: number, text: string): { event: unknown } | RejectedLine {
  if (text.trim() === "") return { line, code: "blank_line", message: "the line is empty", text };
  try {
    return { event: JSON.parse(text) };
  } catch (error) {
    return { line, code: "invalid_json", message: (error as Error).message, text };
  }
}

async function fileSize(file: string): Promise<number> {
  const found = await stat(file).catch(() => undefined);
  if (!found?.isFile()) throw new UsageError(`no file ${file}`);
  return found.size;
}

async function openRejects(path: string): Promise<{ write(text: string): void; close(): Promise<void> }> {
  let handle: FileHandle;
  try {
    handle = await open(path, "w");
  } catch (error) {
    throw new UsageError(`cannot write --rejects ${path}: ${(error as Error).message}`);
  }
  const stream = handle.createWriteStream();
  return {
    write: (text) => stream.write(text),
    close: () =>
      new Promise((resolve, reject) =>
        stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
      ),
  };
}

function report(summary: ImportSummary, shown: RejectedLine[], options: UsageImportOptions, io: Io) {
  if (summary.rejected > 0 && !options.rejects) {
    for (const r of shown)
      writeLine(io.stderr, `line ${r.line}: ${r.code}${r.param ? ` (${r.param})` : ""}: ${r.message}`);
    if (summary.rejected > shown.length)
      writeLine(
        io.stderr,
        `… and ${formatCount(summary.rejected - shown.length)} more; --rejects <file> keeps them all`,
      );
  }
  if (options.json) {
    writeLine(io.stdout, JSON.stringify(summary));
    return;
  }
  const rate = Math.round(summary.lines / Math.max(summary.seconds, 0.001));
  writeLine(
    io.stdout,
    `${summary.interrupted ? "interrupted: " : ""}read ${formatCount(summary.lines)} lines of ${summary.file} ` +
      `into ${summary.env} in ${summary.seconds.toFixed(1)} s (${formatCount(rate)} lines/s)`,
  );
  const rows = [
    ["accepted", formatCount(summary.accepted)],
    ["duplicates", formatCount(summary.duplicates)],
    ["rejected", formatCount(summary.rejected)],
    ...Object.entries(summary.rejectedByCode)
      .sort(([, a], [, b]) => b - a)
      .map(([code, n]) => [`  ${code}`, formatCount(n)]),
  ];
  writeLine(io.stdout, formatTable(rows, ["left", "right"]));
  if (options.rejects && summary.rejected > 0)
    writeLine(io.stdout, `rejected lines written to ${options.rejects}`);
}
