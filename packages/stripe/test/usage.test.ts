import { describe, expect, it } from "vitest";
import { customerWithPrice, requestsTo, startStripe } from "./stripeHarness";

describe("reportUsage", () => {
  it("a report sent twice with one idempotency key is counted once", async () => {
    const harness = await startStripe();
    const { providerCustomerId } = await customerWithPrice(harness);
    const report = {
      providerCustomerId,
      meter: "ai_tokens_overage",
      quantity: 1200,
      at: new Date("2026-03-01T00:00:00Z"),
      idempotencyKey: "usage:acme:ai_tokens:2026-02",
    };

    await harness.provider.reportUsage(report);
    await harness.provider.reportUsage(report);

    expect(harness.fake.state.meterEvents).toEqual([
      expect.objectContaining({
        event_name: "ai_tokens_overage",
        identifier: "usage:acme:ai_tokens:2026-02",
        timestamp: Date.parse("2026-03-01T00:00:00Z") / 1000,
        payload: { stripe_customer_id: providerCustomerId, value: "1200" },
      }),
    ]);
    const keys = requestsTo(harness.fake, "POST", /^\/v1\/billing\/meter_events$/).map(
      (r) => r.idempotencyKey,
    );
    expect(keys).toEqual([
      "tollgate:usage:usage:acme:ai_tokens:2026-02",
      "tollgate:usage:usage:acme:ai_tokens:2026-02",
    ]);
  });

  it("reports with different keys are each counted", async () => {
    const harness = await startStripe();
    const { providerCustomerId } = await customerWithPrice(harness);
    const report = { providerCustomerId, meter: "ai_tokens_overage", quantity: 5, at: new Date() };

    await harness.provider.reportUsage({ ...report, idempotencyKey: "a" });
    await harness.provider.reportUsage({ ...report, idempotencyKey: "b" });

    expect(harness.fake.state.meterEvents.map((event) => event.identifier)).toEqual(["a", "b"]);
  });
});
