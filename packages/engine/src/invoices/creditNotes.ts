import { notFound, unprocessable } from "@tollgate/core";
import { type Queryable, tables } from "@tollgate/store";
import { and, asc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { writeAudit } from "../audit/writeAudit";
import type { AdminCommand, CustomerRef, EngineDeps } from "../context";
import { lockCustomer } from "../customers/loadCustomer";
import { newId } from "../ids";
import { one } from "../rows";

export const CreditNoteInput = z.object({
  amount: z.number().int("must be integer minor units").positive().max(100_000_000_00),
});
export type CreditNoteInput = z.infer<typeof CreditNoteInput>;

export type CreditNote = typeof tables.creditNotes.$inferSelect;

/**
 * Credits part or all of a finalized invoice (reason required, audited): the notes of one
 * invoice never add up to more than its subtotal, and each lowers what is still due on it.
 */
export async function issueCreditNote(
  deps: EngineDeps,
  ref: CustomerRef,
  invoiceId: string,
  input: CreditNoteInput,
  command: AdminCommand,
): Promise<CreditNote> {
  return deps.db.transaction(async (tx) => {
    await lockCustomer(tx, ref);
    const i = tables.invoices;
    const [invoice] = await tx
      .select()
      .from(i)
      .where(and(eq(i.customerId, ref.customerId), eq(i.env, ref.env), eq(i.id, invoiceId)));
    if (!invoice)
      throw notFound("invoice_not_found", `no invoice "${invoiceId}" for ${ref.customerId}`, "invoiceId");
    const credited = (await notesOf(tx, [invoiceId])).reduce((sum, note) => sum + note.amount, 0);
    const creditable = invoice.subtotal - credited;
    if (input.amount > creditable) {
      throw unprocessable(
        "credit_exceeds_invoice",
        `at most ${creditable} of invoice ${invoiceId} is left to credit (subtotal ${invoice.subtotal}, credited ${credited})`,
        "amount",
      );
    }
    const now = deps.clock();
    const note = one(
      await tx
        .insert(tables.creditNotes)
        .values({
          customerId: ref.customerId,
          env: ref.env,
          id: newId("cn"),
          invoiceId,
          amount: input.amount,
          currency: invoice.currency,
          reason: command.reason,
          actorId: command.actor.id,
          createdAt: now,
        })
        .returning(),
      "credit note",
    );
    const amountDue = Math.max(0, invoice.amountDue - input.amount);
    await tx
      .update(i)
      .set({ amountDue, status: amountDue === 0 && invoice.status === "open" ? "paid" : invoice.status })
      .where(
        and(eq(i.customerId, ref.customerId), eq(i.env, ref.env), eq(i.periodStart, invoice.periodStart)),
      );
    await writeAudit(tx, {
      ...command,
      action: "credit_note.issued",
      targetType: "invoice",
      targetId: invoiceId,
      customerId: ref.customerId,
      env: ref.env,
      before: { amountDue: invoice.amountDue, credited },
      after: { amountDue, credited: credited + input.amount, creditNote: note },
    });
    return note;
  });
}

/** The credit notes of the given invoices, oldest first. */
export async function notesOf(db: Queryable, invoiceIds: readonly string[]): Promise<CreditNote[]> {
  if (invoiceIds.length === 0) return [];
  const c = tables.creditNotes;
  return db
    .select()
    .from(c)
    .where(inArray(c.invoiceId, [...invoiceIds]))
    .orderBy(asc(c.createdAt));
}
