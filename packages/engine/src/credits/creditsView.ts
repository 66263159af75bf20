import type { CustomerRef, EngineDeps } from "../context";
import { currentEntitlements } from "../entitlements/currentEntitlements";
import { listGrants } from "./grants";
import { includedGrant, includedPending } from "./includedCredits";

export interface CreditsView {
  /** Spendable now: the grants' remaining credits (and included ones due) less what is held. */
  balance: number;
  /** Credits open reservations hold until they are committed, released or expire. */
  held: number;
  unlimited: boolean;
  grants: {
    id: string;
    amount: number;
    remaining: number;
    source: string;
    priority: number;
    expiresAt: string | null;
    expired: boolean;
    createdAt: string;
    reason: string | null;
  }[];
  /** The period's included credits when they are due but not granted yet (granted on first use). */
  pendingIncluded: { amount: number; expiresAt: string | null } | null;
}

/** `GET /v1/customers/:id/credits`: the balance and every grant, newest first. */
export async function creditsView(deps: EngineDeps, ref: CustomerRef): Promise<CreditsView> {
  const now = deps.clock();
  const current = await currentEntitlements(deps, ref);
  const grants = await listGrants(deps.db, ref);
  const included = includedGrant(current, current.seats);
  const owed = included && current.period ? includedPending(included.amount, grants, current.period.from) : 0;
  const pending = included && owed > 0 ? { ...included, amount: owed } : null;
  return {
    balance: current.credits.balance,
    held: current.credits.held,
    unlimited: current.credits.unlimited,
    grants: grants.reverse().map((g) => ({
      id: g.id,
      amount: g.amount,
      remaining: g.expiresAt !== null && g.expiresAt <= now ? 0 : g.remaining,
      source: g.source,
      priority: g.priority,
      expiresAt: g.expiresAt?.toISOString() ?? null,
      expired: g.expiresAt !== null && g.expiresAt <= now,
      createdAt: g.createdAt.toISOString(),
      reason: g.reason,
    })),
    pendingIncluded: pending && {
      amount: pending.amount,
      expiresAt: pending.expiresAt?.toISOString() ?? null,
    },
  };
}
