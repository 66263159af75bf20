/** Where a command writes: its answer on `stdout`, progress and diagnostics on `stderr`. */
export interface Io {
  stdout: Output;
  stderr: Output;
}

export interface Output {
  write(text: string): unknown;
  /** True when a person watches it (a terminal): progress redraws in place there. */
  isTTY?: boolean | undefined;
}

export const processIo: Io = { stdout: process.stdout, stderr: process.stderr };

/**
 * The exit codes every `tollgate` command keeps: 0 done, 1 done with failures (rejected
 * lines, an unknown customer, drift left), 2 the command line was wrong (a bad option, a
 * missing file), 130 interrupted (SIGINT).
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/** A mistake in the command line itself: reported without a stack, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

export const writeLine = (output: Output, text = "") => output.write(`${text}\n`);
