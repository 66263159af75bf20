import { tables } from "@tollgate/store";
import { and, eq } from "drizzle-orm";
import { findPlanVersionById, requirePlan } from "../catalog/loadCatalog";
import type { EngineDeps } from "../context";
import { loadEntitlements } from "../entitlements/loadEntitlements";
import type { InvoiceLine } from "../invoices/upcomingInvoice";
import { type Job, jobCustomer } from "../scheduler/jobs";
import { CONTRACT_PRICE_QUANTITY, priceForPlan } from "./priceForPlan";

/**
 * The `provider_sync` job: a contract that continues a provider subscription (a plan change
 * made here) takes effect there too, at the contract's start, with proration. Idempotent: the
 * provider call is keyed by the job. Without a configured provider there is nothing to send.
 */
export async function syncProviderSubscription(deps: EngineDeps, job: Job): Promise<void> {
  const provider = deps.payments;
  if (!provider) return;
  const ref = jobCustomer(job);
  const s = tables.subscriptions;
  const [contract] = await deps.db
    .select()
    .from(s)
    .where(
      and(eq(s.customerId, ref.customerId), eq(s.env, ref.env), eq(s.id, String(job.payload.subscriptionId))),
    );
  if (!contract?.providerSubscriptionId || contract.status === "canceled") return;
  const at = new Date(Math.max(deps.clock().getTime(), contract.effectiveFrom.getTime()));
  const entry = await loadEntitlements(deps.db, ref, at);
  const plan = await requirePlan(deps.db, contract.planKey);
  const version = await findPlanVersionById(deps.db, contract.planVersionId);
  if (!version) throw new Error(`plan version ${contract.planVersionId} is gone`);
  const priceId = await priceForPlan(deps, provider, plan, version, entry);
  if (!priceId) throw new Error(`${plan.key} v${version.version} has no ${provider.name} price to move to`);
  await provider.updateSubscription({
    providerSubscriptionId: contract.providerSubscriptionId,
    priceId,
    quantity: CONTRACT_PRICE_QUANTITY,
    prorationBehavior: "prorate",
    operationId: job.key,
  });
  await deps.db
    .update(s)
    .set({ providerPriceId: priceId })
    .where(and(eq(s.customerId, ref.customerId), eq(s.env, ref.env), eq(s.id, contract.id)));
}

/** The `provider_cancel` job: a cancellation made here reaches the provider's subscription. */
export async function cancelProviderSubscription(deps: EngineDeps, job: Job): Promise<void> {
  const provider = deps.payments;
  if (!provider) return;
  jobCustomer(job);
  await provider.cancelSubscription({
    providerSubscriptionId: String(job.payload.providerSubscriptionId),
    atPeriodEnd: job.payload.atPeriodEnd === true,
    operationId: job.key,
  });
}

/**
 * The `provider_usage` job: what a finalized invoice charges beyond the subscription's price,
 * sent to the provider once however often the job runs. Overage goes to the provider's meters
 * (one meter per feature, named by the feature key), keyed by invoice and feature; each seat
 * line becomes an invoice item on the subscription's next provider invoice, as our ledger rated
 * it (by the day), keyed by invoice and line.
 */
export async function reportInvoiceUsage(deps: EngineDeps, job: Job): Promise<void> {
  const provider = deps.payments;
  if (!provider) return;
  const ref = jobCustomer(job);
  const i = tables.invoices;
  const [invoice] = await deps.db
    .select()
    .from(i)
    .where(eq(i.id, String(job.payload.invoiceId)));
  if (!invoice) return;
  const c = tables.customers;
  const [customer] = await deps.db
    .select({ providerCustomerId: c.providerCustomerId })
    .from(c)
    .where(and(eq(c.customerId, ref.customerId), eq(c.env, ref.env)));
  if (!customer?.providerCustomerId)
    throw new Error(`${ref.customerId} has no provider customer to report usage for`);
  const lines = invoice.lines as InvoiceLine[];
  // A period split between contracts has an overage line per contract: one report per feature.
  const overage = new Map<string, number>();
  for (const line of lines) {
    if (line.kind !== "overage" || !line.feature || line.quantity <= 0) continue;
    overage.set(line.feature, (overage.get(line.feature) ?? 0) + line.quantity);
  }
  for (const [feature, quantity] of overage) {
    await provider.reportUsage({
      providerCustomerId: customer.providerCustomerId,
      meter: feature,
      quantity,
      at: new Date(invoice.periodEnd.getTime() - 1000),
      idempotencyKey: `overage:${invoice.id}:${feature}`,
    });
  }
  const providerSubscriptionId = job.payload.providerSubscriptionId;
  for (const [index, line] of lines.entries()) {
    if (line.kind !== "seats" || line.amount === 0) continue;
    if (typeof providerSubscriptionId !== "string") {
      throw new Error(`invoice ${invoice.id} has seat lines but its job names no provider subscription`);
    }
    await provider.addInvoiceItem({
      providerCustomerId: customer.providerCustomerId,
      providerSubscriptionId,
      amount: line.amount,
      currency: invoice.currency,
      description: line.description,
      period: { from: new Date(line.periodStart), to: new Date(line.periodEnd) },
      idempotencyKey: `seats:${invoice.id}:${index}`,
    });
  }
}
