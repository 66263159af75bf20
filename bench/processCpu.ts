import { readdirSync, readFileSync } from "node:fs";

/**
 * CPU seconds (user + system) used so far by the processes `which` picks, by PID and command
 * name, read from Linux's /proc (undefined elsewhere). A process that exits between two readings
 * drops out of the second, so compare readings of long-lived processes.
 */
export function processCpuSeconds(which: (pid: number, name: string) => boolean): number | undefined {
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((entry) => /^\d+$/.test(entry));
  } catch {
    return undefined;
  }
  const ticksPerSecond = 100;
  let seconds = 0;
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // exited since the listing
    }
    // pid (name) state … utime stime: fields 14 and 15, counted after the name's closing paren.
    const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    if (!which(Number(pid), name)) continue;
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    seconds += (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  }
  return seconds;
}

/**
 * Starts counting CPU from now: of this process (the bench: the load generator, or the ingest
 * itself), of PostgreSQL's processes, and of the process `serverPid` if given. The function
 * answers the seconds each has spent since; undefined where /proc cannot tell.
 */
export function cpuSince(serverPid?: number): () => {
  self: number;
  postgres: number | undefined;
  server: number | undefined;
} {
  const postgres = () => processCpuSeconds((_, name) => name === "postgres");
  const server = () => (serverPid === undefined ? undefined : processCpuSeconds((pid) => pid === serverPid));
  const before = { self: process.cpuUsage(), postgres: postgres(), server: server() };
  const spent = (now: number | undefined, from: number | undefined) =>
    now === undefined || from === undefined ? undefined : now - from;
  return () => {
    const self = process.cpuUsage(before.self);
    return {
      self: (self.user + self.system) / 1e6,
      postgres: spent(postgres(), before.postgres),
      server: spent(server(), before.server),
    };
  };
}
