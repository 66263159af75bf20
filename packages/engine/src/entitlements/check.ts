import { type Decision, decide, noSubscriptionDecision, windowEnd } from "@tollgate/core";
import type { CustomerRef, EngineDeps } from "../context";
import { loadCounters, rememberCounter, usedNow } from "../metering/counters";
import { scopeKeyOf } from "../metering/scope";
import { throttleScope } from "../metering/throttleCounter";
import { currentEntitlements } from "./currentEntitlements";
import type { CustomerEntitlements } from "./loadEntitlements";

export interface CheckInput {
  feature: string;
  quantity: number;
  /** The workspace whose quota a workspace-scoped entitlement counts against. */
  workspaceId?: string | undefined;
}

/** "May this customer use `quantity` more of this feature now?" Never records usage. */
export async function check(deps: EngineDeps, ref: CustomerRef, input: CheckInput): Promise<Decision> {
  return (
    checkCached(deps, ref, input) ?? decideFrom(await currentEntitlements(deps, ref), input, deps.clock())
  );
}

/** The same answer without touching the database: undefined when the customer is not cached. */
export function checkCached(deps: EngineDeps, ref: CustomerRef, input: CheckInput): Decision | undefined {
  const now = deps.clock();
  const entry = deps.cache.get(ref, now.getTime());
  if (!entry) return undefined;
  if (Date.now() - entry.countersReadAt > deps.config.counterRefreshMs) refreshCounters(deps, ref, entry);
  return decideFrom(entry, input, now);
}

const refreshing = new WeakSet<CustomerEntitlements>();

/**
 * Re-reads a cached customer's counters in the background (stale-while-revalidate): usage
 * written by other processes reaches this one's checks within `counterRefreshMs` plus one query,
 * without a database read on the hot path. Track is exact regardless: it reads under the lock.
 */
function refreshCounters(deps: EngineDeps, ref: CustomerRef, entry: CustomerEntitlements): void {
  if (refreshing.has(entry)) return;
  refreshing.add(entry);
  const started = Date.now();
  loadCounters(deps.db, ref, deps.clock())
    .then((counters) => {
      for (const [key, state] of counters) rememberCounter(entry.counters, key, state);
      entry.countersReadAt = started;
    })
    .catch(() => {
      // Keep the counters held; the next check past the interval tries again.
    })
    .finally(() => refreshing.delete(entry));
}

/** The decision from resolved entitlements and the usage counted in the current window. */
export function decideFrom(entry: CustomerEntitlements, input: CheckInput, now: Date): Decision {
  const effective = entry.effective;
  if (!effective) return noSubscriptionDecision(input.feature);
  const entitlement = effective.entitlements[input.feature];
  const metered = entitlement?.type === "metered";
  const scopeKey = metered ? scopeKeyOf(entitlement, input.workspaceId) : "";
  const nowMs = now.getTime();
  const used = metered ? usedNow(entry.counters, input.feature, scopeKey, nowMs) : 0;
  const throttle =
    entitlement?.enforcement === "throttle"
      ? {
          used: usedNow(entry.counters, input.feature, throttleScope(scopeKey), nowMs),
          secondsLeft: (60_000 - (nowMs % 60_000)) / 1000,
        }
      : undefined;
  return decide({
    feature: input.feature,
    entitlement,
    used,
    quantity: input.quantity,
    resetsAt: entitlement ? isoOf(windowEnd(entitlement.window, now, entry.period?.to ?? null)) : null,
    currency: effective.currency,
    credits: entry.credits,
    throttle,
  });
}

const recentIso = new Map<number, string>();

/** Formats an instant, remembering recent ones: window ends repeat across millions of checks. */
function isoOf(instant: Date | null): string | null {
  if (!instant) return null;
  const ms = instant.getTime();
  let iso = recentIso.get(ms);
  if (iso === undefined) {
    if (recentIso.size > 1024) recentIso.clear();
    iso = instant.toISOString();
    recentIso.set(ms, iso);
  }
  return iso;
}
