import { tables } from "@tollgate/store";
import { StripePaymentProvider } from "@tollgate/stripe";
import { type FakeStripe, startFakeStripe } from "@tollgate/stripe/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { deliverStripeEvents } from "./stripeWebhooks";
import { openTestApp, type TestApp } from "./testApp";

let t: TestApp;
let fake: FakeStripe;
let now = () => new Date();
let teamProPrice: string;

beforeAll(async () => {
  fake = await startFakeStripe({ now: () => now() });
  const stripe = (clock?: () => Date) =>
    new StripePaymentProvider({
      secretKey: fake.secretKey,
      webhookSecret: fake.webhookSecret,
      apiBase: fake.apiBase,
      maxNetworkRetries: 0,
      ...(clock ? { clock } : {}),
    });
  t = await openTestApp(undefined, { payments: stripe });
  now = () => t.clock();
  // Team Pro's catalog price at Stripe, and the row that maps it to the plan version.
  const plan = await t.call("GET", "/v1/admin/plans/team_pro");
  teamProPrice = await stripe().ensureContractPrice({
    contractId: "catalog_team_pro",
    amount: 4900,
    currency: "usd",
    interval: "month",
  });
  await t.database.db
    .insert(tables.providerPrices)
    .values({ provider: "stripe", priceId: teamProPrice, planVersionId: plan.body.versions[0].id });
});
afterAll(async () => {
  await t.close();
  await fake.close();
});

it("the upgrade button of a Standard customer's page opens Stripe Checkout; the paid checkout moves the page to the new plan, which sells no second subscription", async () => {
  const minted = await t.call("POST", "/v1/customers/globex/portal-links", {
    key: "liveSecret",
    body: { returnUrl: "https://app.example/billing" },
  });
  const { token, url: pageUrl } = minted.body;
  const checkout = await t.call("POST", `/v1/portal/${token}/checkout`, {
    key: null,
    body: { planKey: "team_pro" },
  });
  expect(checkout.status).toBe(200);
  expect(Object.keys(checkout.body)).toEqual(["url"]);
  const sessionId = checkout.body.url.split("/").pop();
  const session = fake.state.checkoutSessions.get(sessionId);
  expect(session).toMatchObject({
    success_url: "https://app.example/billing",
    cancel_url: pageUrl,
    metadata: { tollgate_customer_id: "globex", tollgate_env: "live" },
  });
  expect(fake.state.checkoutDetails.get(sessionId)?.lineItems).toEqual([
    { price: teamProPrice, quantity: 1 },
  ]);

  const before = fake.state.events.length;
  fake.completeCheckout(sessionId);
  expect(await deliverStripeEvents(t, fake, before)).toContain("customer.subscription.created:applied");
  const page = await t.call("GET", `/v1/portal/${token}`, { key: null });
  expect(page.body.plan).toMatchObject({ key: "team_pro", label: "Team Pro" });
  expect(page.body.upgrade).toEqual({ available: false, plans: [] });

  const sessions = fake.state.checkoutSessions.size;
  const again = await t.call("POST", `/v1/portal/${token}/checkout`, {
    key: null,
    body: { planKey: "enterprise" },
  });
  expect(again.status).toBe(409);
  expect(again.body.error.code).toBe("provider_subscription_exists");
  expect(fake.state.checkoutSessions.size).toBe(sessions);
});

it("a link without a return URL brings the customer back to the page after checkout", async () => {
  const minted = await t.call("POST", "/v1/customers/initech/portal-links", { key: "liveSecret" });
  const checkout = await t.call("POST", `/v1/portal/${minted.body.token}/checkout`, {
    key: null,
    body: { planKey: "team_pro" },
  });
  expect(checkout.status).toBe(200);
  const session = fake.state.checkoutSessions.get(checkout.body.url.split("/").pop());
  expect(session).toMatchObject({ success_url: minted.body.url, cancel_url: minted.body.url });
});
