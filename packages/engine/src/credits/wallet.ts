import { addQuantities, planDebit, usableBalance } from "@tollgate/core";
import type { Queryable } from "@tollgate/store";
import type { CustomerRef } from "../context";
import type { EntitlementCache } from "../entitlements/entitlementCache";
import type { CustomerEntitlements } from "../entitlements/loadEntitlements";
import type { PlacedEvent } from "../metering/placeEvent";
import type { CreditState } from "./creditBalance";
import { creditHolds } from "./creditHolds";
import { applyMoves, type CreditGrant, type LedgerMove, listGrants } from "./grants";
import { ensureIncludedGrant } from "./includedCredits";

export interface Wallet {
  /** The balance as the decisions of this group see it, debits so far included. */
  state(): CreditState;
  /** Takes `cost` credits in burn order (the decision has already checked the balance). */
  debit(cost: number, feature: string, eventId: string): void;
  /**
   * Takes `cost` credits, or the whole balance when it holds less (ingestion records usage
   * without refusing any); answers what was taken. The balance never goes below zero.
   */
  debitAvailable(cost: number, feature: string, eventId: string): number;
  /** Writes the debits and expiries of the group. */
  save(): Promise<void>;
}

/**
 * The customer's credits for one group of tracks, with the customer locked: grants the period's
 * included credits if due, closes expired grants, then debits in memory as decisions are made
 * and writes them all at the end. A group that draws no credits reads nothing.
 */
export async function openWallet(
  tx: Queryable,
  ref: CustomerRef,
  current: CustomerEntitlements,
  group: readonly PlacedEvent[],
  at: Date,
): Promise<Wallet> {
  const unlimited = current.effective?.credits.unlimited ?? false;
  const drawsCredits = group.some((p) => p.entitlement?.creditCost);
  if (!drawsCredits || unlimited) {
    const state = current.credits;
    return { state: () => state, debit: () => {}, debitAvailable: () => 0, save: async () => {} };
  }
  return openCreditWallet(tx, ref, current, at);
}

/**
 * The customer's credits with the customer locked, read whatever is drawn: grants the period's
 * included credits if due, closes expired grants; what open reservations hold (read now, under
 * the lock) is not spendable.
 */
export async function openCreditWallet(
  tx: Queryable,
  ref: CustomerRef,
  current: CustomerEntitlements,
  at: Date,
): Promise<Wallet> {
  const unlimited = current.effective?.credits.unlimited ?? false;
  const { held } = await creditHolds(tx, ref, at);
  let grants: CreditGrant[] = await listGrants(tx, ref, true);
  if (await ensureIncludedGrant(tx, ref, current, at)) {
    grants = await listGrants(tx, ref, true);
  }
  const moves: LedgerMove[] = grants
    .filter((g) => g.expiresAt !== null && g.expiresAt <= at)
    .map((g) => ({ grantId: g.id, kind: "expiry" as const, amount: g.remaining }));
  for (const g of grants) if (g.expiresAt !== null && g.expiresAt <= at) g.remaining = 0;
  const debit = (cost: number, feature: string, eventId: string) => {
    const taken = planDebit(grants, cost, at);
    if (!taken) throw new Error(`debit of ${cost} credits passed the balance check but not the ledger`);
    for (const { grantId, amount } of taken) {
      const grant = grants.find((g) => g.id === grantId);
      if (grant) grant.remaining = Number((grant.remaining - amount).toFixed(9));
      moves.push({ grantId, kind: "debit", amount, feature, eventId });
    }
  };
  const spendable = () => Math.max(0, addQuantities(usableBalance(grants, at), -held));
  return {
    state: () => ({ balance: spendable(), unlimited, held }),
    debit,
    debitAvailable(cost, feature, eventId) {
      const taken = Math.min(cost, spendable());
      if (taken > 0) debit(taken, feature, eventId);
      return taken;
    },
    save: () => applyMoves(tx, ref, moves, at),
  };
}

/** The balances a transaction left, into the cached entitlements of their customers. */
export function cacheCreditStates(
  cache: EntitlementCache,
  states: readonly { ref: CustomerRef; state: CreditState | undefined }[],
): void {
  for (const { ref, state } of states) {
    const cached = cache.peek(ref);
    if (cached && state) cached.credits = state;
  }
}
