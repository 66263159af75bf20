import type { CustomerRef, EngineDeps } from "../context";
import { entitlementsAt } from "../entitlements/currentEntitlements";
import type { CustomerEntitlements } from "../entitlements/loadEntitlements";
import { listSubscriptions } from "../subscriptions/loadSubscriptions";

type Interval = { from: Date; to: Date };

/** One contract's part of a billing period, resolved as the contract stood in it. */
export interface ContractSpan extends Interval {
  entry: CustomerEntitlements;
}

/**
 * The part of `period` a contract bills: from its start, or its trial's end (a trial is free),
 * to its end (`openEnd` while it has none), cut to the period. Null when it bills none of it.
 */
export function billedSpan(
  contract: { effectiveFrom: Date; effectiveTo: Date | null; trialEndsAt: Date | null },
  period: Interval,
  openEnd: Date,
): Interval | null {
  const from = Math.max(
    period.from.getTime(),
    contract.effectiveFrom.getTime(),
    contract.trialEndsAt?.getTime() ?? 0,
  );
  const to = Math.min(period.to.getTime(), (contract.effectiveTo ?? openEnd).getTime());
  return from < to ? { from: new Date(from), to: new Date(to) } : null;
}

/**
 * The contracts that bill the customer's current `period`, in order, for the invoice preview:
 * the ones the contract in force (`current`) replaced earlier in the period, it, and one
 * already scheduled to replace it before the period ends, each resolved at its last instant.
 */
export async function currentPeriodSpans(
  deps: EngineDeps,
  ref: CustomerRef,
  period: Interval,
  current: CustomerEntitlements,
): Promise<ContractSpan[]> {
  const segments = (await listSubscriptions(deps.db, ref)).flatMap((contract) => {
    const span = billedSpan(contract, period, period.to);
    return span ? [{ ...span, subscriptionId: contract.id }] : [];
  });
  return resolveSpans(deps, ref, segments, current);
}

/**
 * Each contract's part of a period resolved as the contract stood at its last instant; `known`
 * (already loaded) serves the part of its own contract. Parts with no plan in force are left out.
 */
export async function resolveSpans(
  deps: EngineDeps,
  ref: CustomerRef,
  segments: readonly (Interval & { subscriptionId: string })[],
  known: CustomerEntitlements,
): Promise<ContractSpan[]> {
  const spans: ContractSpan[] = [];
  for (const segment of segments) {
    const entry =
      segment.subscriptionId === known.subscription?.id
        ? known
        : await entitlementsAt(deps, ref, new Date(segment.to.getTime() - 1));
    if (entry.effective) spans.push({ from: segment.from, to: segment.to, entry });
  }
  return spans;
}
