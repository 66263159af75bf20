import { diffRecords } from "@tollgate/core/diff";
import type { AuditEntry, Engine, Env } from "@tollgate/engine";
import { EXIT, type Io, writeLine } from "./io";

export interface AuditTailOptions {
  env?: Env | undefined;
  customer?: string | undefined;
  action?: string | undefined;
  limit: number;
  follow: boolean;
  json: boolean;
  /** How often `--follow` looks for new entries. */
  pollMs?: number;
  /** Ends `--follow` (SIGINT). */
  signal?: AbortSignal | undefined;
}

const POLL_MS = 1_000;
/** Entries read a page at a time while catching up. */
const PAGE = 200;

/**
 * `tollgate audit tail`: the newest `limit` audit entries, oldest first so the newest is last;
 * with `--follow`, then every entry written after them as it appears, until SIGINT. `--json`
 * prints one entry a line, as `GET /v1/admin/audit` answers each.
 */
export async function auditTail(engine: Engine, options: AuditTailOptions, io: Io): Promise<number> {
  const filter = { env: options.env, customerId: options.customer, action: options.action };
  const print = (entries: AuditEntry[]) => {
    for (const entry of entries.reverse())
      writeLine(io.stdout, options.json ? JSON.stringify(entry) : formatEntry(entry));
  };
  const { data } = await engine.audit.list({ ...filter, limit: options.limit });
  let newest = data[0]?.id ?? (await newestId(engine));
  print(data);
  const signal = options.signal;
  while (options.follow && !signal?.aborted) {
    await sleep(options.pollMs ?? POLL_MS, signal);
    if (signal?.aborted) break;
    const fresh = await entriesAfter(engine, filter, newest);
    newest = fresh[0]?.id ?? newest;
    print(fresh);
  }
  return EXIT.ok;
}

/** Every entry matching `filter` with an id above `after`, newest first, read a page at a time. */
async function entriesAfter(
  engine: Engine,
  filter: { env?: string | undefined; customerId?: string | undefined; action?: string | undefined },
  after: number,
): Promise<AuditEntry[]> {
  const found: AuditEntry[] = [];
  let startingAfter: number | undefined;
  for (;;) {
    const page = await engine.audit.list({ ...filter, startingAfter, limit: PAGE });
    const fresh = page.data.filter((entry) => entry.id > after);
    found.push(...fresh);
    if (!page.hasMore || fresh.length < page.data.length) return found;
    startingAfter = page.data.at(-1)?.id;
  }
}

/** The id of the newest entry of all: what `--follow` waits past when the filter matched none yet. */
async function newestId(engine: Engine): Promise<number> {
  const { data } = await engine.audit.list({ limit: 1 });
  return data[0]?.id ?? 0;
}

/** One line: when, who, what, on which target and customer, which fields changed, and why. */
function formatEntry(entry: AuditEntry): string {
  const customer = entry.customerId ? ` ${entry.env ?? "?"}/${entry.customerId}` : "";
  return [
    `${entry.at.toISOString()} #${entry.id}`,
    `${entry.actorId} (${entry.actorRole})`,
    entry.action,
    `${entry.targetType} ${entry.targetId}${customer}`,
    changedFields(entry.before, entry.after),
    entry.reason ? `"${entry.reason}"` : "",
  ]
    .filter(Boolean)
    .join("  ");
}

/** What an update changed, leaf by leaf as the admin UI's before/after table shows it. */
function changedFields(before: unknown, after: unknown): string {
  if (before === null || typeof before !== "object") return after === null ? "" : "created";
  if (after === null || typeof after !== "object") return "removed";
  const changes = diffRecords(before, after).filter((row) => row.change !== "same");
  if (changes.length === 0) return "no change";
  const shown = (value: string | undefined) =>
    value === undefined ? "(none)" : value.length > MAX_VALUE ? `${value.slice(0, MAX_VALUE - 1)}…` : value;
  return `changed ${changes.map((row) => `${row.path}: ${shown(row.before)} → ${shown(row.after)}`).join(", ")}`;
}

/** Past this many characters a changed value is cut on the line (`--json` keeps it whole). */
const MAX_VALUE = 40;

const sleep = (ms: number, signal: AbortSignal | undefined) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
