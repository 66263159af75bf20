import { tables } from "@tollgate/store";
import { asc, gt, inArray, max } from "drizzle-orm";
import type { EngineDeps, Env } from "../context";

/** Audit targets whose change may alter any customer's entitlements: the catalog. */
const CATALOG_TARGETS: ReadonlySet<string> = new Set(["feature", "plan", "plan_version"]);
/** Audit targets that never alter entitlements (API keys drop the keys cache instead). */
const INERT_TARGETS: ReadonlySet<string> = new Set([
  "webhook_endpoint",
  "provisioning_rule",
  "invoice",
  "portal_link",
]);
/** A missing audit id older than this is a rolled-back transaction's, not a slow commit's. */
const GAP_PATIENCE_MS = 30_000;
const PAGE = 1000;
const MAX_GAP = 1000;

/**
 * Keeps this process's entitlement cache in step with changes made by other processes (another
 * server, `tollgate worker`, a CLI command) on the same database. Every change that can alter
 * entitlements writes an audit entry, so the audit log is the change feed: each poll reads the
 * entries after the last one seen and drops the cached customers they name, or the whole cache
 * for a catalog change. Ids come from a sequence and commit out of order, so an id missing below
 * a newer one is looked for again at each poll (a transaction still committing) for
 * GAP_PATIENCE_MS, then taken for rolled back. Re-dropping an entry this process already dropped
 * costs one reload.
 */
export class ChangeFollower {
  /** The highest audit id handled; undefined before the first poll, which starts from now. */
  #highest: number | undefined;
  /** Ids below `#highest` not seen yet, with when they were first missed (ms). */
  readonly #missing = new Map<number, number>();

  constructor(private readonly deps: EngineDeps) {}

  /** One poll: answers how many audit entries were applied to the cache. */
  async poll(): Promise<number> {
    const a = tables.auditLog;
    const columns = { id: a.id, customerId: a.customerId, env: a.env, targetType: a.targetType };
    if (this.#highest === undefined) {
      const [row] = await this.deps.db.select({ id: max(a.id) }).from(a);
      this.#highest = row?.id ?? 0;
      return 0;
    }
    const nowMs = Date.now();
    const late =
      this.#missing.size === 0
        ? []
        : await this.deps.db
            .select(columns)
            .from(a)
            .where(inArray(a.id, [...this.#missing.keys()].slice(0, PAGE)));
    const fresh = await this.deps.db
      .select(columns)
      .from(a)
      .where(gt(a.id, this.#highest))
      .orderBy(asc(a.id))
      .limit(PAGE);
    for (const row of late) this.#missing.delete(row.id);
    for (const row of fresh) {
      // A jump this large is a sequence skipping values (a crash, a cache), not transactions in flight.
      if (row.id - this.#highest <= MAX_GAP)
        for (let id = this.#highest + 1; id < row.id; id++) this.#missing.set(id, nowMs);
      this.#highest = row.id;
    }
    for (const [id, since] of this.#missing) if (nowMs - since >= GAP_PATIENCE_MS) this.#missing.delete(id);
    for (const row of [...late, ...fresh]) this.#apply(row);
    return late.length + fresh.length;
  }

  #apply(row: { customerId: string | null; env: string | null; targetType: string }): void {
    if (row.targetType === "api_key") {
      this.deps.apiKeys.clear();
      return;
    }
    if (INERT_TARGETS.has(row.targetType)) return;
    if (CATALOG_TARGETS.has(row.targetType) || !row.customerId || !row.env) {
      this.deps.cache.invalidateCatalog();
      return;
    }
    this.deps.cache.invalidateCustomer({ env: row.env as Env, customerId: row.customerId });
  }
}
