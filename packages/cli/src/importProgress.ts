import { SingleBar } from "cli-progress";
import type { Output } from "./io";

export interface ImportCounts {
  lines: number;
  accepted: number;
  duplicates: number;
  rejected: number;
}

export interface ImportProgress {
  /** `bytes`: how much of the file the counted lines take. */
  update(bytes: number, counts: ImportCounts): void;
  stop(): void;
}

/** How often the progress is written as a plain line when stderr is not a terminal (a log, a pipe). */
const PLAIN_EVERY_MS = 2_000;

/**
 * The progress of an import on `output`: a bar redrawn in place on a terminal, else a plain
 * line every two seconds and a last one at the end. Measured in bytes of the file, so the
 * percentage and ETA hold without counting its lines first.
 */
export function startProgress(output: Output, totalBytes: number, started: number): ImportProgress {
  const bar = new SingleBar({
    stream: output as NodeJS.WritableStream,
    format:
      "importing [{bar}] {percentage}% | {lines} lines: {accepted} accepted, {duplicates} duplicates, " +
      "{rejected} rejected | {rate} lines/s | ETA {eta_formatted}",
    noTTYOutput: true,
    notTTYSchedule: PLAIN_EVERY_MS,
    // On a terminal the finished bar stays; in a log the last plain line already says 100 %.
    clearOnComplete: output.isTTY !== true,
    gracefulExit: false,
    hideCursor: output.isTTY === true,
  });
  const payload = (counts: ImportCounts) => ({
    ...counts,
    rate: Math.round(counts.lines / Math.max((Date.now() - started) / 1000, 0.001)),
  });
  bar.start(Math.max(totalBytes, 1), 0, payload({ lines: 0, accepted: 0, duplicates: 0, rejected: 0 }));
  return {
    update: (bytes, counts) => bar.update(bytes, payload(counts)),
    stop: () => bar.stop(),
  };
}

export const noProgress: ImportProgress = { update: () => {}, stop: () => {} };
