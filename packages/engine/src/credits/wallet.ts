import { addQuantities, planDebit, usableBalance } from "@tollgate/core";
import type { Queryable } from "@tollgate/store";
import type { CustomerRef } from "../context";
import { customerKey } from "../customers/loadCustomer";
import type { EntitlementCache } from "../entitlements/entitlementCache";
import type { CustomerEntitlements } from "../entitlements/loadEntitlements";
import type { PlacedEvent } from "../metering/placeEvent";
import type { CreditState } from "./creditBalance";
import { creditHoldsOf } from "./creditHolds";
import { applyMoves, type CreditGrant, type LedgerMove, listOpenGrants } from "./grants";
import { ensureIncludedGrants } from "./includedCredits";

export interface Wallet {
  readonly ref: CustomerRef;
  /** The balance as the decisions of this group see it, debits so far included. */
  state(): CreditState;
  /** Takes `cost` credits in burn order (the decision has already checked the balance). */
  debit(cost: number, feature: string, eventId: string): void;
  /**
   * Takes `cost` credits, or the whole balance when it holds less (ingestion records usage
   * without refusing any); answers what was taken. The balance never goes below zero.
   */
  debitAvailable(cost: number, feature: string, eventId: string): number;
  /** The debits and expiries taken so far, to be written (`saveWallets`). */
  readonly moves: readonly LedgerMove[];
}

/**
 * The wallets of customers for groups of their uses, with the customers locked: a group that
 * draws no credits (or whose credits are unlimited) reads nothing and debits nothing; the
 * others are opened together (`openCreditWallets`). In the order of `groups`.
 */
export async function openWallets(
  tx: Queryable,
  groups: readonly { ref: CustomerRef; current: CustomerEntitlements; uses: readonly PlacedEvent[] }[],
  at: Date,
): Promise<Wallet[]> {
  const drawing = groups.filter(
    ({ current, uses }) =>
      !(current.effective?.credits.unlimited ?? false) && uses.some((p) => p.entitlement?.creditCost),
  );
  const opened = await openCreditWallets(tx, drawing, at);
  const byCustomer = new Map(opened.map((wallet) => [customerKey(wallet.ref), wallet]));
  return groups.map(
    ({ ref, current }) => byCustomer.get(customerKey(ref)) ?? untouched(ref, current.credits),
  );
}

/** `openWallets` for one group. */
export async function openWallet(
  tx: Queryable,
  ref: CustomerRef,
  current: CustomerEntitlements,
  uses: readonly PlacedEvent[],
  at: Date,
): Promise<Wallet> {
  return (await openWallets(tx, [{ ref, current, uses }], at))[0] as Wallet;
}

/** A wallet nothing is drawn from: the balance as the cached entitlements hold it. */
const untouched = (ref: CustomerRef, state: CreditState): Wallet => ({
  ref,
  state: () => state,
  debit: () => {},
  debitAvailable: () => 0,
  moves: [],
});

/**
 * The credits of customers with them locked, read whatever is drawn: grants each period's
 * included credits if due, closes expired grants; what open reservations hold (read now, under
 * the lock) is not spendable. However many customers, a statement each to read the holds, the
 * included grants and the open grants (and two to grant what is due): a batch of a thousand
 * customers drawing credits once read and wrote them customer by customer.
 */
export async function openCreditWallets(
  tx: Queryable,
  customers: readonly { ref: CustomerRef; current: CustomerEntitlements }[],
  at: Date,
): Promise<Wallet[]> {
  if (customers.length === 0) return [];
  const refs = customers.map((c) => c.ref);
  const holds = await creditHoldsOf(tx, refs, at);
  await ensureIncludedGrants(
    tx,
    customers.map(({ ref, current }) => ({ ref, entitlements: current })),
    at,
  );
  const grantsOf = await listOpenGrants(tx, refs);
  return customers.map(({ ref, current }) =>
    creditWallet(
      ref,
      current.effective?.credits.unlimited ?? false,
      grantsOf.get(customerKey(ref)) ?? [],
      holds.get(customerKey(ref))?.held ?? 0,
      at,
    ),
  );
}

/** `openCreditWallets` for one customer. */
export async function openCreditWallet(
  tx: Queryable,
  ref: CustomerRef,
  current: CustomerEntitlements,
  at: Date,
): Promise<Wallet> {
  return (await openCreditWallets(tx, [{ ref, current }], at))[0] as Wallet;
}

/** A wallet over `grants` (open, oldest first), closing those expired at `at`. */
function creditWallet(
  ref: CustomerRef,
  unlimited: boolean,
  grants: CreditGrant[],
  held: number,
  at: Date,
): Wallet {
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
    ref,
    state: () => ({ balance: spendable(), unlimited, held }),
    debit,
    debitAvailable(cost, feature, eventId) {
      const taken = Math.min(cost, spendable());
      if (taken > 0) debit(taken, feature, eventId);
      return taken;
    },
    moves,
  };
}

/** Writes the debits and expiries of `wallets`, in two statements however many (each wallet once). */
export const saveWallets = (tx: Queryable, wallets: readonly Wallet[], at: Date) =>
  applyMoves(tx, [...new Set(wallets)], at);

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
