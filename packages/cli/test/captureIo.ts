import type { Io } from "../src/io";

/** An Io that keeps what a command writes; stderr is not a terminal unless `isTTY`. */
export function captureIo(isTTY = false) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: (text: string) => err.push(text), isTTY },
  };
  return { io, stdout: () => out.join(""), stderr: () => err.join("") };
}
