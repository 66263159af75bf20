import type { CustomerRef, EngineDeps } from "../context";
import { type CustomerEntitlements, loadEntitlements } from "../entitlements/loadEntitlements";
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
  const spans: ContractSpan[] = [];
  for (const contract of await listSubscriptions(deps.db, ref)) {
    const isCurrent = contract.id === current.subscription?.id;
    const span = billedSpan(contract, period, period.to);
    if (!span) continue;
    const entry = isCurrent ? current : await loadEntitlements(deps.db, ref, new Date(span.to.getTime() - 1));
    if (entry.effective) spans.push({ ...span, entry });
  }
  return spans;
}
