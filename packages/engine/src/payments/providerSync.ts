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
 * The `provider_usage` job: what a finalized invoice bills beyond the subscription's price — its
 * usage, overage and seat lines — added to the contract's provider subscription as invoice
 * items (billed with its next provider invoice), each at the amount our invoice rated and keyed
 * by invoice and line, so the provider collects exactly our ledger's amounts once, however
 * often the job runs.
 */
export async function sendInvoiceCharges(deps: EngineDeps, job: Job): Promise<void> {
  const provider = deps.payments;
  if (!provider) return;
  const ref = jobCustomer(job);
  const i = tables.invoices;
  const [invoice] = await deps.db
    .select()
    .from(i)
    .where(eq(i.id, String(job.payload.invoiceId)));
  if (!invoice) return;
  const charges = providerCharges(invoice.lines as InvoiceLine[]);
  if (charges.length === 0) return;
  const s = tables.subscriptions;
  const [contract] = await deps.db
    .select({ providerSubscriptionId: s.providerSubscriptionId })
    .from(s)
    .where(and(eq(s.customerId, ref.customerId), eq(s.env, ref.env), eq(s.id, invoice.subscriptionId)));
  const providerSubscriptionId = contract?.providerSubscriptionId;
  if (!providerSubscriptionId) {
    throw new Error(`the contract of invoice ${invoice.id} is billed by no provider subscription`);
  }
  const c = tables.customers;
  const [customer] = await deps.db
    .select({ providerCustomerId: c.providerCustomerId })
    .from(c)
    .where(and(eq(c.customerId, ref.customerId), eq(c.env, ref.env)));
  if (!customer?.providerCustomerId)
    throw new Error(`${ref.customerId} has no provider customer to send charges to`);
  for (const { line, index } of charges) {
    await provider.addInvoiceItem({
      providerCustomerId: customer.providerCustomerId,
      providerSubscriptionId,
      amount: line.amount,
      currency: invoice.currency,
      description: line.description,
      period: { from: new Date(line.periodStart), to: new Date(line.periodEnd) },
      idempotencyKey: `${invoice.id}:${index}`,
    });
  }
}

/**
 * An invoice's lines the provider's subscription price does not carry: all but the base fee, and
 * negative ones too (a split period's later contract may rate its part of a volume price below
 * zero: the invoice's total is the sum, so the provider must take the credit as well).
 */
export function providerCharges(lines: readonly InvoiceLine[]): { line: InvoiceLine; index: number }[] {
  return lines.flatMap((line, index) => (line.kind !== "base" && line.amount !== 0 ? [{ line, index }] : []));
}
