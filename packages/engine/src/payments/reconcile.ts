import { tables } from "@tollgate/store";
import { and, eq, isNotNull } from "drizzle-orm";
import { findPlanVersionById, requirePlan } from "../catalog/loadCatalog";
import type { CustomerRef, EngineDeps, Env } from "../context";
import { loadEntitlements } from "../entitlements/loadEntitlements";
import { subscriptionAt } from "../subscriptions/loadSubscriptions";
import { CONTRACT_PRICE_QUANTITY, priceForPlan } from "./priceForPlan";

export type DriftKind = "missing_at_provider" | "canceled_at_provider" | "price" | "quantity";

export interface Drift {
  customer: CustomerRef;
  subscriptionId: string;
  providerSubscriptionId: string;
  kind: DriftKind;
  expected: string | number | null;
  actual: string | number | null;
  /** What `--apply` did about it: fixed at the provider, or left for a person (with why). */
  action: "fixed" | "left";
  note: string;
}

export interface ReconcileReport {
  checked: number;
  drift: Drift[];
  applied: boolean;
}

/**
 * Compares every contract in force that a provider subscription bills with the provider's copy.
 * The database is the source of truth: with `apply`, a wrong price or quantity is corrected at
 * the provider (no proration: the contract was already right). A subscription the provider
 * lacks or has canceled is reported, never resurrected: that needs a person.
 */
export async function reconcile(deps: EngineDeps, options: { apply: boolean }): Promise<ReconcileReport> {
  const provider = deps.payments;
  if (!provider) return { checked: 0, drift: [], applied: options.apply };
  const now = deps.clock();
  const s = tables.subscriptions;
  const contracts = (await deps.db.select().from(s).where(isNotNull(s.providerSubscriptionId))).filter(
    (c) => subscriptionAt([{ ...c, env: c.env as Env }], now) !== undefined,
  );
  const drift: Drift[] = [];
  for (const contract of contracts) {
    const providerSubscriptionId = contract.providerSubscriptionId as string;
    const customer: CustomerRef = { customerId: contract.customerId, env: contract.env as Env };
    const base = { customer, subscriptionId: contract.id, providerSubscriptionId };
    const remote = await provider.getSubscription(providerSubscriptionId);
    if (!remote) {
      drift.push({
        ...base,
        kind: "missing_at_provider",
        expected: providerSubscriptionId,
        actual: null,
        action: "left",
        note: "the provider has no such subscription",
      });
      continue;
    }
    if (remote.status === "canceled") {
      drift.push({
        ...base,
        kind: "canceled_at_provider",
        expected: "active",
        actual: remote.status,
        action: "left",
        note: "canceled at the provider while in force here: decide by hand",
      });
      continue;
    }
    const entry = await loadEntitlements(deps.db, customer, now);
    const version = await findPlanVersionById(deps.db, contract.planVersionId);
    if (!version) continue;
    const expectedPrice = await priceForPlan(
      deps,
      provider,
      await requirePlan(deps.db, contract.planKey),
      version,
      entry,
    );
    const expectedQuantity = CONTRACT_PRICE_QUANTITY;
    const item = remote.items[0];
    const wrongPrice = expectedPrice !== undefined && item?.priceId !== expectedPrice;
    const wrongQuantity =
      item?.quantity !== null && item?.quantity !== undefined && item.quantity !== expectedQuantity;
    if (!wrongPrice && !wrongQuantity) continue;
    let action: Drift["action"] = "left";
    if (options.apply && expectedPrice) {
      await provider.updateSubscription({
        providerSubscriptionId,
        priceId: expectedPrice,
        quantity: expectedQuantity,
        prorationBehavior: "none",
        operationId: `reconcile:${contract.id}:${now.getTime()}`,
      });
      await deps.db
        .update(s)
        .set({ providerPriceId: expectedPrice })
        .where(and(eq(s.customerId, contract.customerId), eq(s.env, contract.env), eq(s.id, contract.id)));
      action = "fixed";
    }
    if (wrongPrice) {
      drift.push({
        ...base,
        kind: "price",
        expected: expectedPrice ?? null,
        actual: item?.priceId ?? null,
        action,
        note: `contract ${contract.planKey}`,
      });
    }
    if (wrongQuantity) {
      drift.push({
        ...base,
        kind: "quantity",
        expected: expectedQuantity,
        actual: item?.quantity ?? null,
        action,
        note: "seats",
      });
    }
  }
  return { checked: contracts.length, drift, applied: options.apply };
}
