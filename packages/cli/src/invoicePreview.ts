import { formatMinorUnits } from "@tollgate/core/display";
import type { CustomerRef, Engine, InvoicePreview } from "@tollgate/engine";
import { formatTable } from "./format";
import { EXIT, type Io, writeLine } from "./io";

/**
 * `tollgate invoice preview <customer>`: the current period's invoice as it stands (the
 * engine's preview, as `GET /v1/customers/:id/invoices/upcoming` answers it), as a table of
 * lines with amounts in the currency, or that answer as JSON.
 */
export async function invoicePreview(
  engine: Engine,
  ref: CustomerRef,
  options: { json: boolean },
  io: Io,
): Promise<number> {
  const invoice = await engine.invoices.upcoming(ref);
  writeLine(io.stdout, options.json ? JSON.stringify(invoice, null, 2) : formatInvoice(invoice));
  return EXIT.ok;
}

function formatInvoice(invoice: InvoicePreview): string {
  const money = (amount: number) => formatMinorUnits(amount, invoice.currency);
  const header = [
    `upcoming invoice of ${invoice.env}/${invoice.customerId}: ${invoice.plan.label} (${invoice.plan.key} v${invoice.plan.version}), ${invoice.currency.toUpperCase()}`,
    `period ${invoice.periodStart} → ${invoice.periodEnd}, usage as of ${invoice.asOf}`,
  ];
  const rows = [
    ["kind", "description", "quantity", "amount", "source"],
    ...invoice.lines.map((line) => [
      line.kind,
      line.description,
      String(line.quantity),
      money(line.amount),
      line.source?.label ?? "",
    ]),
    ["", "subtotal", "", money(invoice.subtotal), ""],
    ["", invoice.skipBilling ? "amount due (skip billing)" : "amount due", "", money(invoice.amountDue), ""],
  ];
  return `${header.join("\n")}\n\n${formatTable(rows, ["left", "left", "right", "right", "left"])}`;
}
