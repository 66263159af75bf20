import { type Decision, decide, noSubscriptionDecision, windowEndMs } from "@tollgate/core";
import type { CustomerRef, EngineDeps } from "../context";
import { loadCounters, rememberCounter, usedInWindow, usedNow, writableCounters } from "../metering/counters";
import { scopeKeyOf } from "../metering/scope";
import {
  THROTTLE_WINDOW_MS,
  throttleScope,
  throttleSecondsLeft,
  throttleWindowStartMs,
} from "../metering/throttleCounter";
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
    checkCached(deps, ref, input) ?? decideFrom(await currentEntitlements(deps, ref), input, deps.nowMs())
  );
}

/** The same answer without touching the database: undefined when the customer is not cached. */
export function checkCached(deps: EngineDeps, ref: CustomerRef, input: CheckInput): Decision | undefined {
  // One clock read per check, and no Date built: reading the clock is most of a cached check.
  const nowMs = deps.nowMs();
  const entry = deps.cache.get(ref, nowMs);
  if (!entry) return undefined;
  if (nowMs - entry.countersReadAt > deps.config.counterRefreshMs) refreshCounters(deps, ref, entry, nowMs);
  return decideFrom(entry, input, nowMs);
}

const refreshing = new WeakSet<CustomerEntitlements>();

/**
 * Re-reads a cached customer's counters in the background (stale-while-revalidate): usage
 * written by other processes reaches this one's checks within `counterRefreshMs` plus one query,
 * without a database read on the hot path. Track is exact regardless: it reads under the lock.
 */
function refreshCounters(
  deps: EngineDeps,
  ref: CustomerRef,
  entry: CustomerEntitlements,
  started: number,
): void {
  if (refreshing.has(entry)) return;
  refreshing.add(entry);
  loadCounters(deps.db, ref, new Date(started))
    .then((counters) => {
      for (const [key, states] of counters) {
        for (const state of states) rememberCounter(writableCounters(entry), key, state);
      }
      entry.countersReadAt = started;
    })
    .catch(() => {
      // Keep the counters held; the next check past the interval tries again.
    })
    .finally(() => refreshing.delete(entry));
}

/** The decision from resolved entitlements and the usage counted in the current window. */
export function decideFrom(entry: CustomerEntitlements, input: CheckInput, nowMs: number): Decision {
  const effective = entry.effective;
  if (!effective) return noSubscriptionDecision(input.feature);
  const entitlement = effective.entitlements[input.feature];
  const metered = entitlement?.type === "metered";
  const scopeKey = metered ? scopeKeyOf(entitlement, input.workspaceId) : "";
  const used = metered ? usedInWindow(entry, input.feature, scopeKey, entitlement.window, nowMs) : 0;
  const minute = throttleWindowStartMs(nowMs);
  const throttle =
    entitlement?.enforcement === "throttle"
      ? {
          used: usedNow(
            entry.counters,
            input.feature,
            throttleScope(scopeKey),
            nowMs,
            minute,
            minute + THROTTLE_WINDOW_MS,
          ),
          secondsLeft: throttleSecondsLeft(nowMs),
        }
      : undefined;
  return decide({
    feature: input.feature,
    entitlement,
    used,
    quantity: input.quantity,
    resetsAt: entitlement ? isoOf(windowEndMs(entitlement.window, nowMs, entry.periodEndMs)) : null,
    currency: effective.currency,
    credits: entry.credits,
    throttle,
  });
}

const recentIso = new Map<number, string>();

/** Formats an instant, remembering recent ones: window ends repeat across millions of checks. */
function isoOf(ms: number | null): string | null {
  if (ms === null) return null;
  let iso = recentIso.get(ms);
  if (iso === undefined) {
    if (recentIso.size > 1024) recentIso.clear();
    iso = new Date(ms).toISOString();
    recentIso.set(ms, iso);
  }
  return iso;
}
