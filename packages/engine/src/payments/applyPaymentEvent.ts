import { dunningStage, isCalendarAnchor } from "@tollgate/core";
import { type Queryable, tables } from "@tollgate/store";
import { and, eq } from "drizzle-orm";
import { writeAudit } from "../audit/writeAudit";
import { findPlanVersionById } from "../catalog/loadCatalog";
import type { Actor, AdminCommand, CustomerRef, EngineDeps, Env } from "../context";
import { lockCustomer } from "../customers/loadCustomer";
import { loadEntitlements } from "../entitlements/loadEntitlements";
import { emitEvent } from "../events/emitEvent";
import { assignPlanInTx } from "../subscriptions/assignPlan";
import { cancelSubscriptionInTx } from "../subscriptions/cancelSubscription";
import { listSubscriptions, subscriptionAt } from "../subscriptions/loadSubscriptions";
import { scheduleDunning } from "./advanceDunning";
import type { PaymentEvent, ProviderInvoice, ProviderSubscription } from "./paymentProvider";

export type PaymentEventOutcome = "applied" | "duplicate" | "stale" | "unresolved" | "recorded" | "ignored";

export interface AppliedPaymentEvent {
  outcome: PaymentEventOutcome;
  customer: CustomerRef | null;
  detail: string | null;
}

const PROVIDER_ACTOR = (provider: string): Actor => ({ id: provider, role: "system" });

/**
 * Applies one verified payment-provider event, in one transaction with its record: the same
 * event id twice applies once (`duplicate`); an event older than the subscription state it
 * would change is kept but changes nothing (`stale`), so webhooks may arrive in any order. A
 * subscription's price resolves to a plan through `provider_prices`, else through the customer's
 * own contract (its override's price ids); a price that resolves to neither is `unresolved` and
 * moves nobody: never a silent default plan.
 */
export async function applyPaymentEvent(
  deps: EngineDeps,
  provider: string,
  event: PaymentEvent,
): Promise<AppliedPaymentEvent> {
  const result = await deps.db.transaction(async (tx): Promise<AppliedPaymentEvent> => {
    const e = tables.providerEvents;
    const claimed = await tx
      .insert(e)
      .values({
        provider,
        eventId: event.id,
        type: event.providerType,
        occurredAt: event.createdAt,
        receivedAt: deps.clock(),
        outcome: "received",
      })
      .onConflictDoNothing()
      .returning({ eventId: e.eventId });
    if (claimed.length === 0) return { outcome: "duplicate", customer: null, detail: null };
    const applied = await applyInTx(tx, deps, provider, event);
    await tx
      .update(e)
      .set({
        outcome: applied.outcome,
        detail: applied.detail,
        customerId: applied.customer?.customerId ?? null,
        env: applied.customer?.env ?? null,
      })
      .where(and(eq(e.provider, provider), eq(e.eventId, event.id)));
    return applied;
  });
  // Even an unresolved subscription event may have moved its payment state (the mirror row).
  if (result.customer && result.outcome !== "duplicate" && result.outcome !== "stale") {
    deps.cache.invalidateCustomer(result.customer);
  }
  return result;
}

async function applyInTx(
  tx: Queryable,
  deps: EngineDeps,
  provider: string,
  event: PaymentEvent,
): Promise<AppliedPaymentEvent> {
  switch (event.type) {
    case "checkout.completed": {
      const { customer, providerCustomerId } = event.checkout;
      if (!customer || !providerCustomerId)
        return unresolved(customer, "the session names no customer of ours");
      const c = tables.customers;
      const linked = await tx
        .update(c)
        .set({ providerCustomerId, updatedAt: deps.clock() })
        .where(and(eq(c.customerId, customer.customerId), eq(c.env, customer.env)))
        .returning({ id: c.customerId });
      return linked.length
        ? { outcome: "applied", customer, detail: null }
        : unresolved(customer, "unknown customer");
    }
    case "subscription.created":
    case "subscription.updated":
    case "subscription.deleted":
      return applySubscription(
        tx,
        deps,
        provider,
        event.subscription,
        event.type === "subscription.deleted",
        event,
      );
    case "invoice.paid":
    case "invoice.payment_failed":
      return applyPayment(tx, deps, provider, event.invoice, event.type === "invoice.paid", event.createdAt);
    case "invoice.finalized":
    case "invoice.upcoming":
      return { outcome: "recorded", customer: null, detail: event.invoice.id };
    case "ignored":
      return { outcome: "ignored", customer: null, detail: event.providerType };
  }
}

const unresolved = (customer: CustomerRef | null, detail: string): AppliedPaymentEvent => ({
  outcome: "unresolved",
  customer,
  detail,
});

async function customerOf(
  tx: Queryable,
  subscription: { customer: CustomerRef | null; providerCustomerId: string | null },
): Promise<CustomerRef | null> {
  if (subscription.customer) return subscription.customer;
  if (!subscription.providerCustomerId) return null;
  const c = tables.customers;
  const [row] = await tx
    .select({ customerId: c.customerId, env: c.env })
    .from(c)
    .where(eq(c.providerCustomerId, subscription.providerCustomerId));
  return row ? { customerId: row.customerId, env: row.env as Env } : null;
}

async function applySubscription(
  tx: Queryable,
  deps: EngineDeps,
  provider: string,
  subscription: ProviderSubscription,
  deleted: boolean,
  event: PaymentEvent,
): Promise<AppliedPaymentEvent> {
  const ref = await customerOf(tx, subscription);
  if (!ref) return unresolved(null, `no customer for provider customer ${subscription.providerCustomerId}`);
  await lockCustomer(tx, ref);
  const now = deps.clock();
  const p = tables.providerSubscriptions;
  const [held] = await tx
    .select()
    .from(p)
    .where(and(eq(p.provider, provider), eq(p.providerSubscriptionId, subscription.id)));
  if (held && held.lastEventAt.getTime() > event.createdAt.getTime()) {
    return { outcome: "stale", customer: ref, detail: `newer state from ${held.lastEventAt.toISOString()}` };
  }
  const item = subscription.items[0];
  const state = {
    status: deleted ? "canceled" : subscription.status,
    priceId: item?.priceId ?? null,
    quantity: item?.quantity ?? null,
    currentPeriodEnd: subscription.currentPeriod?.to ?? null,
    cancelAtPeriodEnd: subscription.cancelAtPeriodEnd,
    lastEventAt: event.createdAt,
    updatedAt: now,
    // Stripe marks a subscription `unpaid` once its retries are exhausted: uncollectible, blocked.
    ...(subscription.status === "unpaid"
      ? { paymentState: "uncollectible" as const, pastDueSince: held?.pastDueSince ?? event.createdAt }
      : {}),
  };
  await tx
    .insert(p)
    .values({
      customerId: ref.customerId,
      env: ref.env,
      provider,
      providerSubscriptionId: subscription.id,
      ...state,
    })
    .onConflictDoUpdate({ target: [p.provider, p.providerSubscriptionId], set: state });

  const command: AdminCommand = {
    actor: PROVIDER_ACTOR(provider),
    reason: `${provider} ${event.providerType} ${event.id}`,
  };
  const contracts = await listSubscriptions(tx, ref);
  const current = subscriptionAt(contracts, now);
  if (deleted || subscription.status === "canceled") {
    if (current?.providerSubscriptionId === subscription.id) {
      await cancelSubscriptionInTx(tx, deps, ref, {}, command, true);
      return { outcome: "applied", customer: ref, detail: "canceled" };
    }
    return { outcome: "recorded", customer: ref, detail: "not the contract in force" };
  }
  if (current?.providerSubscriptionId && current.providerSubscriptionId !== subscription.id) {
    // Another subscription of the customer (an add-on): mirrored, but only the contract's own
    // subscription moves the contract.
    return {
      outcome: "recorded",
      customer: ref,
      detail: `the contract is billed by ${current.providerSubscriptionId}`,
    };
  }
  const versionId = state.priceId ? await planVersionOfPrice(tx, deps, provider, state.priceId, ref) : null;
  if (!versionId) return unresolved(ref, `price ${state.priceId} maps to no plan and is not this contract's`);
  let contractId = current?.id;
  if (current?.planVersionId !== versionId) {
    const version = await findPlanVersionById(tx, versionId);
    if (!version) return unresolved(ref, `plan version ${versionId} is gone`);
    const assigned = await assignPlanInTx(
      tx,
      deps,
      ref,
      // Our periods follow the provider's: its calendar anchor (a checkout asked for calendar
      // months), else its anniversary.
      {
        planKey: version.planKey,
        version: version.version,
        effectiveAt: now,
        billingAlignment:
          subscription.billingCycleAnchor &&
          isCalendarAnchor(subscription.billingCycleAnchor, version.interval)
            ? "calendar"
            : "anniversary",
      },
      command,
      true,
    );
    contractId = assigned.subscription.id;
  }
  if (contractId) {
    const s = tables.subscriptions;
    await tx
      .update(s)
      .set({ providerSubscriptionId: subscription.id, providerPriceId: state.priceId })
      .where(and(eq(s.customerId, ref.customerId), eq(s.env, ref.env), eq(s.id, contractId)));
  }
  return { outcome: "applied", customer: ref, detail: null };
}

/** The plan version a price sells: the provider_prices row, else this customer's own contract. */
async function planVersionOfPrice(
  tx: Queryable,
  deps: EngineDeps,
  provider: string,
  priceId: string,
  ref: CustomerRef,
): Promise<string | null> {
  const pp = tables.providerPrices;
  const [row] = await tx
    .select({ versionId: pp.planVersionId })
    .from(pp)
    .where(and(eq(pp.provider, provider), eq(pp.priceId, priceId)));
  if (row) return row.versionId;
  const entry = await loadEntitlements(tx, ref, deps.clock());
  const contract = entry.subscription;
  const prices = entry.effective?.providerPriceIds ?? [];
  if (contract && (prices.includes(priceId) || contract.providerPriceId === priceId))
    return contract.planVersionId;
  return null;
}

async function applyPayment(
  tx: Queryable,
  deps: EngineDeps,
  provider: string,
  invoice: ProviderInvoice,
  paid: boolean,
  occurredAt: Date,
): Promise<AppliedPaymentEvent> {
  if (!invoice.providerSubscriptionId)
    return { outcome: "recorded", customer: null, detail: "no subscription" };
  const p = tables.providerSubscriptions;
  const [held] = await tx
    .select()
    .from(p)
    .where(and(eq(p.provider, provider), eq(p.providerSubscriptionId, invoice.providerSubscriptionId)));
  if (!held) return unresolved(null, `unknown subscription ${invoice.providerSubscriptionId}`);
  const ref: CustomerRef = { customerId: held.customerId, env: held.env as Env };
  await lockCustomer(tx, ref);
  const now = deps.clock();
  const before = {
    paymentState: held.paymentState,
    pastDueSince: held.pastDueSince,
    graceEndsAt: held.graceEndsAt,
  };
  let after: typeof before;
  let graceDays: number | undefined;
  if (paid) {
    after = { paymentState: "ok", pastDueSince: null, graceEndsAt: null };
  } else {
    const since = held.pastDueSince ?? occurredAt;
    const contract = subscriptionAt(await listSubscriptions(tx, ref), now);
    const version = contract && (await findPlanVersionById(tx, contract.planVersionId));
    graceDays = version?.paymentGraceDays ?? 0;
    const standing = { state: "past_due" as const, pastDueSince: since, graceDays };
    // The grace ends where core's dunning schedule starts throttling: one rule, in one place.
    after = {
      paymentState: "past_due",
      pastDueSince: since,
      graceEndsAt: dunningStage(standing, since).nextStageAt,
    };
  }
  await tx
    .update(p)
    .set({ ...after, updatedAt: now })
    .where(and(eq(p.provider, provider), eq(p.providerSubscriptionId, held.providerSubscriptionId)));
  if (!paid && after.pastDueSince && before.pastDueSince?.getTime() !== after.pastDueSince.getTime()) {
    await scheduleDunning(tx, ref, {
      provider,
      providerSubscriptionId: held.providerSubscriptionId,
      pastDueSince: after.pastDueSince,
      graceDays: graceDays ?? 0,
    });
  }
  if (after.paymentState !== before.paymentState) {
    await writeAudit(tx, {
      actor: PROVIDER_ACTOR(provider),
      action: "payment.state_changed",
      targetType: "provider_subscription",
      targetId: held.providerSubscriptionId,
      customerId: ref.customerId,
      env: ref.env,
      before,
      after,
      reason: `${provider} invoice ${invoice.id} ${paid ? "paid" : "payment failed"}`,
    });
    await emitEvent(tx, ref, {
      type: "payment_state_changed",
      key: `${held.providerSubscriptionId}:${occurredAt.getTime()}:${after.paymentState}`,
      payload: {
        providerSubscriptionId: held.providerSubscriptionId,
        from: before.paymentState,
        to: after.paymentState,
        graceEndsAt: after.graceEndsAt,
        invoiceId: invoice.id,
      },
      at: now,
    });
  }
  return { outcome: "applied", customer: ref, detail: after.paymentState };
}
