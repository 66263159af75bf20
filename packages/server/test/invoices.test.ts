import { afterAll, beforeAll, expect, it } from "vitest";
import { openTestApp, type TestApp } from "./testApp";

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(() => t.close());

const upcoming = (customerId: string) => `/v1/customers/${customerId}/invoices/upcoming`;

it("previews Cronicorn's custom plan at $199 a month, its lines summing to the subtotal", async () => {
  const { status, body } = await t.call("GET", upcoming("cronicorn"), { key: "liveSecret" });
  expect(status).toBe(200);
  expect(body).toMatchObject({ customerId: "cronicorn", currency: "usd", skipBilling: false });
  expect(body.lines[0]).toMatchObject({ kind: "base", amount: 19_900 });
  expect(body.subtotal).toBe(body.lines.reduce((sum: number, l: { amount: number }) => sum + l.amount, 0));
  expect(body.amountDue).toBe(body.subtotal);
});

it("charges the employee account nothing (skip billing)", async () => {
  const { body } = await t.call("GET", upcoming("emp_ada"), { key: "liveSecret" });
  expect(body).toMatchObject({ skipBilling: true, amountDue: 0 });
});

it("answers 404 for an unknown customer and 401 without a key", async () => {
  const missing = await t.call("GET", upcoming("ghost"), { key: "liveSecret" });
  expect(missing.status).toBe(404);
  expect(missing.body.error.code).toBe("customer_not_found");
  expect((await t.call("GET", upcoming("acme"), { key: null })).status).toBe(401);
});

it("lists the finalized invoices of closed periods", async () => {
  t.clock.advance(32 * 86_400_000);
  await t.engine.invoices.finalizeDue();
  const { status, body } = await t.call("GET", "/v1/customers/cronicorn/invoices", { key: "liveSecret" });
  expect(status).toBe(200);
  expect(body.data[0]).toMatchObject({ planKey: expect.any(String), subtotal: 19_900, status: "open" });
});

it("credits part of a finalized invoice with a reason, never more than its subtotal, and audits it", async () => {
  const [invoice] = (await t.call("GET", "/v1/customers/cronicorn/invoices", { key: "liveSecret" })).body
    .data;
  const path = `/v1/admin/customers/cronicorn/invoices/${invoice.id}/credit-notes`;
  const before = await t.snapshot();
  const noReason = await t.call("POST", path, { body: { amount: 100 } });
  expect([noReason.status, noReason.body.error.param]).toEqual([400, "reason"]);
  const tooMuch = await t.call("POST", path, { body: { amount: 19_901, reason: "refund" } });
  expect([tooMuch.status, tooMuch.body.error.code, tooMuch.body.error.param]).toEqual([
    422,
    "credit_exceeds_invoice",
    "amount",
  ]);
  const viewer = await t.call("POST", path, { key: "viewer", body: { amount: 100, reason: "refund" } });
  expect(viewer.status).toBe(403);
  expect(await t.snapshot()).toEqual(before);

  const note = await t.call("POST", path, { body: { amount: 4_900, reason: "outage credit" } });
  expect(note.status).toBe(201);
  expect(note.body).toMatchObject({ amount: 4_900, currency: "usd", reason: "outage credit" });
  const [after] = (await t.call("GET", "/v1/customers/cronicorn/invoices", { key: "liveSecret" })).body.data;
  expect(after).toMatchObject({ credited: 4_900, amountDue: 15_000, subtotal: 19_900 });
  const rest = await t.call("POST", path, { body: { amount: 15_001, reason: "more" } });
  expect(rest.body.error.code).toBe("credit_exceeds_invoice");
  const audit = await t.call("GET", "/v1/admin/audit?action=credit_note.issued");
  expect(audit.body.data[0]).toMatchObject({ reason: "outage credit", customerId: "cronicorn" });
});
