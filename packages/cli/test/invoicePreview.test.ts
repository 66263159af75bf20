import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestApp, type TestApp } from "../../server/test/testApp";
import { invoicePreview } from "../src/invoicePreview";
import { captureIo } from "./captureIo";

let t: TestApp;
const acme = { env: "live" as const, customerId: "acme" };

beforeAll(async () => {
  t = await openTestApp();
  // acme's ai_tokens: 1,000,000 included, then 0.0004 a token (billable overage).
  await t.engine.usage.ingest("live", [
    { id: "tokens_1", customerId: "acme", feature: "ai_tokens", quantity: 1_250_000 },
  ]);
});
afterAll(() => t.close());

describe("tollgate invoice preview", () => {
  it("prints the upcoming invoice's lines with amounts in the currency", async () => {
    const { io, stdout } = captureIo();

    expect(await invoicePreview(t.engine, acme, { json: false }, io)).toBe(0);

    const text = stdout();
    expect(text).toContain("upcoming invoice of live/acme: Acme Corp Enterprise (team_pro v1), USD");
    expect(text).toMatch(/base\s+Acme Corp Enterprise, per month\s+1\s+\$49\.00\s+team_pro v1/);
    // 250,000 tokens past the limit × $0.0004 = $100.00
    expect(text).toMatch(/overage\s+ai_tokens past 1000000: 250000 × 0\.0004\s+250000\s+\$100\.00/);
    expect(text).toMatch(/subtotal\s+\$149\.00\n\s+amount due\s+\$149\.00/);
  });

  it("--json prints what GET /v1/customers/:id/invoices/upcoming answers", async () => {
    const { io, stdout } = captureIo();

    await invoicePreview(t.engine, acme, { json: true }, io);

    const http = await t.call("GET", "/v1/customers/acme/invoices/upcoming", { key: "liveSecret" });
    expect(http.status).toBe(200);
    expect(JSON.parse(stdout())).toEqual(http.body);
  });

  it("refuses an unknown customer with the engine's code", async () => {
    const { io, stdout } = captureIo();
    await expect(
      invoicePreview(t.engine, { env: "live", customerId: "nobody" }, { json: false }, io),
    ).rejects.toMatchObject({ code: "customer_not_found" });
    expect(stdout()).toBe("");
  });
});
