import { describe, expect, it } from "vitest";
import type { InvoiceLine } from "../../src/invoices/upcomingInvoice";
import { providerCharges } from "../../src/payments/providerSync";

const line = (kind: InvoiceLine["kind"], amount: number): InvoiceLine => ({
  kind,
  description: kind,
  feature: null,
  quantity: 1,
  amount,
  exactAmount: String(amount),
  periodStart: "2027-03-01T00:00:00.000Z",
  periodEnd: "2027-04-01T00:00:00.000Z",
  source: null,
});

describe("providerCharges", () => {
  it("sends every line but the base fee and the zero ones, a negative part of a split period included", () => {
    // A volume price split between contracts: the later one's part is below zero (−49.50).
    const lines = [
      line("base", 4900),
      line("usage", 10_000),
      line("usage", -4950),
      line("overage", 0),
      line("seats", 435),
    ];
    expect(providerCharges(lines).map(({ index, line }) => [index, line.amount])).toEqual([
      [1, 10_000],
      [2, -4950],
      [4, 435],
    ]);
  });
});
