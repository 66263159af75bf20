import { billingPeriod } from "@tollgate/core";
import { tables } from "@tollgate/store";
import { and, asc, eq, inArray, lt } from "drizzle-orm";
import { findPlanVersionById } from "../catalog/loadCatalog";
import type { CustomerRef, EngineDeps, Env } from "../context";
import { entitlementsAt } from "../entitlements/currentEntitlements";
import { newId } from "../ids";
import { providerCharges } from "../payments/providerSync";
import { enqueueJob } from "../scheduler/jobs";
import { billedSpan, resolveSpans } from "./contractSpans";
import { notesOf } from "./creditNotes";
import { rateInvoice } from "./upcomingInvoice";

export interface FinalizeSummary {
  /** Closed periods looked at. */
  due: number;
  created: number;
  /** Already invoiced (a re-run, or another worker got there first). */
  existing: number;
}

/** How far back a close looks for a period not yet invoiced (a worker that was down a while). */
const MAX_PERIODS_BACK = 12;
/** Invoices rated at once. */
const CONCURRENCY = 8;

/** One contract's part of a closed period. */
interface Segment {
  subscriptionId: string;
  from: Date;
  to: Date;
}

interface DuePeriod {
  ref: CustomerRef;
  period: { from: Date; to: Date };
  /** The contracts in force during the period, in order; one covering it all in the usual case. */
  segments: Segment[];
}

/**
 * Closes billing periods: every customer with a contract in force during a period that has ended
 * gets that period's invoice, stored once (the key is customer and period start, so a re-run or
 * a second worker creates none). A period split between contracts (a plan change, a
 * cancellation, a trial's end) bills each contract's base price for its share of the period, to
 * the second (Stripe's proration), and the usage recorded while it was in force at its prices
 * (`rateInvoice`).
 */
export async function finalizeDueInvoices(deps: EngineDeps): Promise<FinalizeSummary> {
  const now = deps.clock();
  const s = tables.subscriptions;
  const contracts = await deps.db
    .select()
    .from(s)
    .where(lt(s.effectiveFrom, now))
    .orderBy(asc(s.customerId), asc(s.effectiveFrom));
  const versions = new Map<string, Awaited<ReturnType<typeof findPlanVersionById>>>();
  const byPeriod = new Map<string, DuePeriod>();
  for (const contract of contracts) {
    let version = versions.get(contract.planVersionId);
    if (!versions.has(contract.planVersionId)) {
      version = await findPlanVersionById(deps.db, contract.planVersionId);
      versions.set(contract.planVersionId, version);
    }
    if (!version) continue;
    const ref: CustomerRef = { customerId: contract.customerId, env: contract.env as Env };
    let period = billingPeriod(contract.billingAnchor, version.interval, now);
    for (let back = 0; back < MAX_PERIODS_BACK; back++) {
      period = billingPeriod(contract.billingAnchor, version.interval, new Date(period.from.getTime() - 1));
      if (period.to <= contract.effectiveFrom) break;
      const span = billedSpan(contract, period, now);
      if (!span) continue;
      const key = invoiceKey(ref, period.from);
      const due = byPeriod.get(key) ?? { ref, period, segments: [] };
      due.segments.push({ subscriptionId: contract.id, ...span });
      byPeriod.set(key, due);
    }
  }
  const due = [...byPeriod.values()];
  for (const d of due) d.segments.sort((a, b) => a.from.getTime() - b.from.getTime());
  const summary: FinalizeSummary = { due: due.length, created: 0, existing: 0 };
  const invoiced = await existingInvoices(deps, due);
  const todo = due.filter((d) => !invoiced.has(invoiceKey(d.ref, d.period.from)));
  summary.existing = due.length - todo.length;
  for (let i = 0; i < todo.length; i += CONCURRENCY) {
    const created = await Promise.all(todo.slice(i, i + CONCURRENCY).map((d) => finalizeOne(deps, d, now)));
    summary.created += created.filter(Boolean).length;
    summary.existing += created.filter((c) => !c).length;
  }
  return summary;
}

const invoiceKey = (ref: CustomerRef, periodStart: Date) =>
  `${ref.env}\u0000${ref.customerId}\u0000${periodStart.getTime()}`;

async function existingInvoices(
  deps: EngineDeps,
  due: readonly { ref: CustomerRef }[],
): Promise<Set<string>> {
  const i = tables.invoices;
  const ids = [...new Set(due.map((d) => d.ref.customerId))];
  const found = new Set<string>();
  for (let start = 0; start < ids.length; start += 1000) {
    const rows = await deps.db
      .select({ customerId: i.customerId, env: i.env, periodStart: i.periodStart })
      .from(i)
      .where(inArray(i.customerId, ids.slice(start, start + 1000)));
    for (const row of rows)
      found.add(invoiceKey({ customerId: row.customerId, env: row.env as Env }, row.periodStart));
  }
  return found;
}

async function finalizeOne(deps: EngineDeps, due: DuePeriod, now: Date): Promise<boolean> {
  const last = due.segments.at(-1);
  if (!last) return false;
  const lastInstant = new Date(last.to.getTime() - 1);
  const entry = await entitlementsAt(deps, due.ref, lastInstant);
  if (!entry.effective || entry.subscription?.id !== last.subscriptionId) return false;
  const spans = await resolveSpans(deps, due.ref, due.segments, entry);
  const rated = await rateInvoice(deps, due.ref, entry, due.period, spans, lastInstant);
  const { lines, subtotal, amountDue } = rated;
  const i = tables.invoices;
  const id = newId("inv");
  const charges = providerCharges(lines);
  return deps.db.transaction(async (tx) => {
    const inserted = await tx
      .insert(i)
      .values({
        customerId: due.ref.customerId,
        env: due.ref.env,
        periodStart: due.period.from,
        id,
        periodEnd: due.period.to,
        subscriptionId: last.subscriptionId,
        planKey: rated.plan.key,
        planVersion: rated.plan.version,
        currency: rated.currency,
        lines,
        subtotal,
        amountDue,
        skipBilling: rated.skipBilling,
        status: amountDue === 0 ? "paid" : "open",
        finalizedAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: i.id });
    if (inserted.length === 0) return false;
    // Usage, overage and seats of a contract billed by the provider are sent there, once, by a job.
    if (entry.subscription?.providerSubscriptionId && !rated.skipBilling && charges.length > 0) {
      await enqueueJob(tx, {
        key: `provider_usage:${id}`,
        kind: "provider_usage",
        runAt: now,
        customerId: due.ref.customerId,
        env: due.ref.env,
        payload: { invoiceId: id, periodEnd: due.period.to.toISOString() },
      });
    }
    return true;
  });
}

/** The customer's finalized invoices, newest period first, each with its credit notes. */
export async function listInvoices(deps: EngineDeps, ref: CustomerRef) {
  const i = tables.invoices;
  const rows = await deps.db
    .select()
    .from(i)
    .where(and(eq(i.customerId, ref.customerId), eq(i.env, ref.env)))
    .orderBy(asc(i.periodStart));
  const notes = await notesOf(
    deps.db,
    rows.map((r) => r.id),
  );
  return rows.reverse().map((invoice) => {
    const creditNotes = notes.filter((n) => n.invoiceId === invoice.id);
    return { ...invoice, credited: creditNotes.reduce((sum, n) => sum + n.amount, 0), creditNotes };
  });
}
