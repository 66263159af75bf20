import { type Decision, decide, noSubscriptionDecision, windowEnd } from "@tollgate/core";
import type { CustomerRef, EngineDeps } from "../context";
import { currentEntitlements } from "./currentEntitlements";
import type { CustomerEntitlements } from "./loadEntitlements";

export interface CheckInput {
  feature: string;
  quantity: number;
}

/** "May this customer use `quantity` more of this feature now?" Never records usage. */
export async function check(deps: EngineDeps, ref: CustomerRef, input: CheckInput): Promise<Decision> {
  const now = deps.clock();
  const entry = deps.cache.get(ref, now.getTime()) ?? (await currentEntitlements(deps, ref));
  return decideFrom(entry, input, now);
}

/** The decision from resolved entitlements; usage counts are zero until metering records them. */
export function decideFrom(entry: CustomerEntitlements, input: CheckInput, now: Date): Decision {
  const effective = entry.effective;
  if (!effective) return noSubscriptionDecision(input.feature);
  const entitlement = effective.entitlements[input.feature];
  return decide({
    feature: input.feature,
    entitlement,
    used: 0,
    quantity: input.quantity,
    resetsAt: entitlement ? windowEnd(entitlement.window, now, entry.period?.to ?? null) : null,
    currency: effective.currency,
  });
}
