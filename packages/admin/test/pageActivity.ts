import type { TestApp } from "../../server/test/testApp";

/** Ten days into Acme's first period (the demo starts it on 2026-06-15 12:00 UTC). */
export const NOW = "2026-06-25T12:00:00.000Z";
const DAY = 86_400_000;

async function ok(call: Promise<{ status: number; body: unknown }>, expected: number) {
  const answer = await call;
  if (answer.status !== expected)
    throw new Error(`setup call answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body as Record<string, unknown>;
}

/**
 * What the demo lacks for the admin pages to show, made through the API as a product would:
 * ten days of Acme's usage, a second version of team_pro, a plan nobody uses (to archive), and a
 * failed payment on Acme's provider subscription (as the payment webhook would apply it).
 */
export async function seedPageActivity(t: TestApp): Promise<void> {
  t.clock.set(NOW);
  const start = Date.parse("2026-06-15T13:00:00.000Z");
  const events = Array.from({ length: 10 }, (_, day) => [
    {
      id: `tok_${day}`,
      customerId: "acme",
      feature: "ai_tokens",
      quantity: 30_000 + day * 9_000,
      timestamp: new Date(start + day * DAY).toISOString(),
    },
    ...Array.from({ length: 5 + day * 3 }, (_, n) => ({
      id: `run_${day}_${n}`,
      customerId: "acme",
      feature: "workflow_runs",
      timestamp: new Date(start + day * DAY + n * 60_000).toISOString(),
    })),
  ]).flat();
  const ingested = await ok(t.call("POST", "/v1/events", { key: "liveSecret", body: { events } }), 202);
  if ((ingested.rejected as unknown[]).length > 0) throw new Error(JSON.stringify(ingested.rejected));

  const teamPro = await ok(t.call("GET", "/v1/admin/plans/team_pro"), 200);
  const [v1] = teamPro.versions as Array<Record<string, unknown>>;
  const { id, planKey, version, publishedAt, ...terms } = v1 ?? {};
  const entitlements = terms.entitlements as Record<string, Record<string, unknown>>;
  await ok(
    t.call("POST", "/v1/admin/plans/team_pro/versions", {
      body: {
        ...terms,
        basePrice: 5900,
        seats: { limit: 30, enforcement: "block" },
        entitlements: {
          ...entitlements,
          ai_tokens: { ...entitlements.ai_tokens, limit: 2_000_000 },
          sso: { enabled: false },
        },
        reason: "2026 price list",
      },
    }),
    201,
  );
  await ok(
    t.call("POST", "/v1/admin/plans", {
      body: {
        key: "legacy_starter",
        name: "Legacy Starter",
        basePrice: 1900,
        reason: "the 2024 starter plan",
      },
    }),
    201,
  );

  const subscription = {
    id: "sub_stripe_acme",
    providerCustomerId: "cus_acme",
    customer: { env: "live" as const, customerId: "acme" },
    status: "active" as const,
    items: [{ id: "si_acme", priceId: "price_acme_enterprise", quantity: 1, currentPeriod: null }],
    currentPeriod: null,
    cancelAtPeriodEnd: false,
    cancelAt: null,
    canceledAt: null,
    trialEnd: null,
    billingCycleAnchor: null,
  };
  const base = { providerType: "fixture", livemode: false };
  const created = await t.engine.payments.apply("stripe", {
    ...base,
    id: "evt_acme_created",
    createdAt: new Date("2026-06-16T00:00:00.000Z"),
    type: "subscription.created",
    subscription,
  });
  const failed = await t.engine.payments.apply("stripe", {
    ...base,
    id: "evt_acme_failed",
    createdAt: new Date("2026-06-23T09:00:00.000Z"),
    type: "invoice.payment_failed",
    invoice: {
      id: "in_acme_1",
      providerCustomerId: "cus_acme",
      providerSubscriptionId: subscription.id,
      status: "open",
      currency: "usd",
      amountDue: 45_000,
      amountPaid: 0,
      attemptCount: 1,
      nextPaymentAttempt: null,
    },
  });
  for (const applied of [created, failed]) {
    if (applied.outcome !== "applied") throw new Error(`payment fixture: ${JSON.stringify(applied)}`);
  }
}
