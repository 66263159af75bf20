import { tables } from "@tollgate/store";
import { StripePaymentProvider } from "@tollgate/stripe";
import { type FakeStripe, startFakeStripe } from "@tollgate/stripe/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverStripeEvents, postStripeWebhook } from "./stripeWebhooks";
import { openTestApp, type TestApp } from "./testApp";

let t: TestApp;
let fake: FakeStripe;
let now = () => new Date();

beforeAll(async () => {
  fake = await startFakeStripe({ now: () => now() });
  t = await openTestApp(undefined, {
    payments: (clock) =>
      new StripePaymentProvider({
        secretKey: fake.secretKey,
        webhookSecret: fake.webhookSecret,
        apiBase: fake.apiBase,
        maxNetworkRetries: 0,
        clock,
      }),
  });
  now = () => t.clock();
});
afterAll(async () => {
  await t.close();
  await fake.close();
});

const urls = { successUrl: "https://app.example/ok", cancelUrl: "https://app.example/cancel" };
const webhook = (payload: string, header: string) => postStripeWebhook(t, payload, header);
const deliverEvents = (from: number) => deliverStripeEvents(t, fake, from);

describe("Acme: checkout at the contract's own price, then webhooks", () => {
  it("checks out with the override's Stripe price and links the subscription when Stripe reports it", async () => {
    const contractPrice = await new StripePaymentProvider({
      secretKey: fake.secretKey,
      webhookSecret: fake.webhookSecret,
      apiBase: fake.apiBase,
    }).ensureContractPrice({ contractId: "acme_msa", amount: 45_000, currency: "usd", interval: "month" });
    const overrides = await t.call("GET", "/v1/admin/customers/acme/overrides");
    const put = await t.call("PUT", "/v1/admin/customers/acme/overrides", {
      body: {
        overrides: { ...overrides.body.current.overrides, stripePriceIds: [contractPrice] },
        reason: "Acme's custom Stripe price",
      },
    });
    expect(put.status).toBe(200);

    const checkout = await t.call("POST", "/v1/customers/acme/checkout", {
      key: "liveSecret",
      body: { planKey: "team_pro", ...urls },
    });
    expect(checkout.status).toBe(200);
    expect(checkout.body).toMatchObject({
      priceId: contractPrice,
      quantity: 1,
      url: expect.stringContaining("http"),
    });

    const before = fake.state.events.length;
    const completed = fake.completeCheckout(checkout.body.sessionId);
    const outcomes = await deliverEvents(before);
    expect(outcomes).toContain("customer.subscription.created:applied");
    expect(outcomes).toContain("checkout.session.completed:applied");

    const [customer] = await t.database.db
      .select()
      .from(tables.customers)
      .where(eq(tables.customers.customerId, "acme"));
    expect(customer?.providerCustomerId).toBe(completed.subscription.customer);
    const entitlements = await t.call("GET", "/v1/customers/acme/entitlements", { key: "liveSecret" });
    expect(entitlements.body.plan).toMatchObject({ key: "team_pro", label: "Acme Corp Enterprise" });
    const credits = await t.call("GET", "/v1/customers/acme/credits", { key: "liveSecret" });
    expect(credits.body.balance).toBe(500);

    // A second checkout would bill Acme twice: refused, and Stripe is not called.
    const requests = fake.state.requests.length;
    const second = await t.call("POST", "/v1/customers/acme/checkout", {
      key: "liveSecret",
      body: { planKey: "team_pro", ...urls },
    });
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: "provider_subscription_exists" });
    expect(fake.state.requests.length).toBe(requests);

    // The same delivery again applies nothing.
    const [first] = fake.state.events.slice(before);
    if (!first) throw new Error("the fake recorded events");
    const again = fake.signEvent(first);
    expect(await (await webhook(again.payload, again.header)).json()).toMatchObject({ outcome: "duplicate" });
  });

  it("keeps the newest state when subscription updates arrive in reverse order", async () => {
    const [subscription] = [...fake.state.subscriptions.values()];
    if (!subscription) throw new Error("a subscription exists");
    t.clock.advance(60_000);
    const older = fake.signedEvent("customer.subscription.updated", {
      ...subscription,
      cancel_at_period_end: false,
    });
    t.clock.advance(60_000);
    const newer = fake.signedEvent("customer.subscription.updated", {
      ...subscription,
      cancel_at_period_end: true,
    });
    expect(await (await webhook(newer.payload, newer.header)).json()).toMatchObject({ outcome: "applied" });
    expect(await (await webhook(older.payload, older.header)).json()).toMatchObject({ outcome: "stale" });
    const [mirror] = await t.database.db
      .select()
      .from(tables.providerSubscriptions)
      .where(eq(tables.providerSubscriptions.providerSubscriptionId, subscription.id));
    expect(mirror?.cancelAtPeriodEnd).toBe(true);
  });

  it("refuses a tampered payload or a stale signature with 400 and applies nothing", async () => {
    const [subscription] = [...fake.state.subscriptions.values()];
    const before = await t.database.db.select().from(tables.providerEvents);
    const signed = fake.signedEvent("customer.subscription.deleted", subscription ?? {});
    const tampered = await webhook(signed.payload.replace('"active"', '"canceled"'), signed.header);
    expect(tampered.status).toBe(400);
    expect(((await tampered.json()) as { error: { code: string } }).error.code).toBe(
      "webhook_signature_invalid",
    );
    const stale = fake.signedEvent("customer.subscription.deleted", subscription ?? {}, {
      timestamp: new Date(t.clock().getTime() - 600_000),
    });
    expect((await webhook(stale.payload, stale.header)).status).toBe(400);
    expect(await t.database.db.select().from(tables.providerEvents)).toHaveLength(before.length);
  });

  it("moves the payment state to past_due with the plan's grace on a failed payment, and back when paid", async () => {
    const [subscription] = [...fake.state.subscriptions.values()];
    const [invoice] = [...fake.state.invoices.values()];
    if (!subscription || !invoice) throw new Error("the checkout made a subscription and an invoice");
    t.clock.advance(60_000);
    const failed = fake.signedEvent("invoice.payment_failed", { ...invoice, status: "open" });
    expect(await (await webhook(failed.payload, failed.header)).json()).toMatchObject({ outcome: "applied" });
    const mirror = async () =>
      (
        await t.database.db
          .select()
          .from(tables.providerSubscriptions)
          .where(eq(tables.providerSubscriptions.providerSubscriptionId, subscription.id))
      )[0];
    expect(await mirror()).toMatchObject({ paymentState: "past_due" });
    t.clock.advance(60_000);
    const paid = fake.signedEvent("invoice.paid", { ...invoice, status: "paid" });
    expect(await (await webhook(paid.payload, paid.header)).json()).toMatchObject({ outcome: "applied" });
    expect(await mirror()).toMatchObject({ paymentState: "ok", pastDueSince: null });
    const events = await t.database.db
      .select()
      .from(tables.outbox)
      .where(eq(tables.outbox.type, "payment_state_changed"));
    expect(events.map((e) => (e.payload as { to: string }).to)).toEqual(["past_due", "ok"]);
  });
});

describe("price ids → plans", () => {
  const withPrice = (subscription: object, priceId: string) => {
    const s = subscription as { items: { data: { price: object }[] } };
    return {
      ...s,
      items: {
        ...s.items,
        data: s.items.data.map((item) => ({ ...item, price: { ...item.price, id: priceId } })),
      },
    };
  };

  it("leaves the plan alone for a price that maps to no plan and is not the contract's: never a default plan", async () => {
    const [subscription] = [...fake.state.subscriptions.values()];
    t.clock.advance(60_000);
    const unknown = fake.signedEvent(
      "customer.subscription.updated",
      withPrice(subscription ?? {}, "price_nobody_knows"),
    );
    expect(await (await webhook(unknown.payload, unknown.header)).json()).toMatchObject({
      outcome: "unresolved",
    });
    const entitlements = await t.call("GET", "/v1/customers/acme/entitlements", { key: "liveSecret" });
    expect(entitlements.body.plan).toMatchObject({ key: "team_pro", label: "Acme Corp Enterprise" });
  });

  it("moves the customer to the plan a catalog price sells (provider_prices), with an audit entry", async () => {
    const [subscription] = [...fake.state.subscriptions.values()];
    const plan = await t.call("GET", "/v1/admin/plans/enterprise");
    await t.database.db.insert(tables.providerPrices).values({
      provider: "stripe",
      priceId: "price_enterprise_monthly",
      planVersionId: plan.body.versions[0].id,
    });
    t.clock.advance(60_000);
    const moved = fake.signedEvent(
      "customer.subscription.updated",
      withPrice(subscription ?? {}, "price_enterprise_monthly"),
    );
    expect(await (await webhook(moved.payload, moved.header)).json()).toMatchObject({ outcome: "applied" });
    const entitlements = await t.call("GET", "/v1/customers/acme/entitlements", { key: "liveSecret" });
    expect(entitlements.body.plan.key).toBe("enterprise");
    const audit = await t.call("GET", "/v1/admin/audit?customer=acme&actor=stripe");
    expect(audit.body.data[0]).toMatchObject({
      action: "subscription.assigned",
      reason: expect.stringContaining("customer.subscription.updated"),
    });
  });
});

describe("plan changes made here reach Stripe", () => {
  it("moves the Stripe subscription to the new plan's price, with proration, when the change takes effect", async () => {
    const [subscription] = [...fake.state.subscriptions.values()];
    if (!subscription) throw new Error("a subscription exists");
    const overrides = await t.call("GET", "/v1/admin/customers/acme/overrides");
    const contractPrice = overrides.body.current.overrides.stripePriceIds[0];
    const changed = await t.call("PUT", "/v1/admin/customers/acme/subscription", {
      body: { planKey: "team_pro", effectiveAt: t.clock().toISOString(), reason: "back to the MSA plan" },
    });
    expect(changed.status).toBe(200);
    const requests = fake.state.requests.length;
    expect(await t.engine.scheduler.runDue()).toMatchObject({ ran: 1, failed: 0, retried: 0 });
    const update = fake.state.requests
      .slice(requests)
      .find((r) => r.method === "POST" && r.path === `/v1/subscriptions/${subscription.id}`);
    expect(update?.body).toMatchObject({ proration_behavior: "create_prorations" });
    expect(fake.state.subscriptions.get(subscription.id)?.items.data[0]?.price.id).toBe(contractPrice);
    expect(await t.engine.scheduler.runDue()).toMatchObject({ ran: 0 });
  });
});

describe("reconcile", () => {
  it("reports a price and quantity changed at Stripe, fixes them only with apply, and finds nothing after", async () => {
    const [subscription] = [...fake.state.subscriptions.values()];
    const item = subscription?.items.data[0];
    if (!subscription || !item) throw new Error("a subscription with an item exists");
    const rightPrice = item.price;
    item.price = { ...rightPrice, id: "price_changed_by_hand" };
    item.quantity = 3;

    const report = await t.engine.payments.reconcile({ apply: false });
    expect(report.drift.map((d) => [d.kind, d.expected, d.actual, d.action])).toEqual([
      ["price", rightPrice.id, "price_changed_by_hand", "left"],
      ["quantity", 1, 3, "left"],
    ]);
    expect(fake.state.subscriptions.get(subscription.id)?.items.data[0]?.quantity).toBe(3);

    const fixed = await t.engine.payments.reconcile({ apply: true });
    expect(fixed.drift.every((d) => d.action === "fixed")).toBe(true);
    expect(fake.state.subscriptions.get(subscription.id)?.items.data[0]).toMatchObject({
      quantity: 1,
      price: { id: rightPrice.id },
    });
    expect((await t.engine.payments.reconcile({ apply: false })).drift).toEqual([]);
  });
});

describe("dunning, per subscription", () => {
  const entitlements = async () =>
    (await t.call("GET", "/v1/customers/acme/entitlements", { key: "liveSecret" })).body;
  const check = async (feature: string) =>
    (await t.call("POST", "/v1/check", { key: "liveSecret", body: { customerId: "acme", feature } })).body;
  let n = 0;
  const track = async () =>
    t.call("POST", "/v1/track", {
      key: "liveSecret",
      body: { customerId: "acme", feature: "ai_tokens", quantity: 1, id: `dun_${n++}` },
    });

  it("never restricts a contract for another subscription's failed payment", async () => {
    const [subscription] = [...fake.state.subscriptions.values()];
    const [invoice] = [...fake.state.invoices.values()];
    if (!subscription || !invoice) throw new Error("the checkout made a subscription and an invoice");
    t.clock.advance(60_000);
    const addOn = fake.signedEvent("customer.subscription.created", { ...subscription, id: "sub_addon" });
    // Another subscription of Acme's (an add-on): mirrored; only the contract's own moves it.
    expect(await (await webhook(addOn.payload, addOn.header)).json()).toMatchObject({
      outcome: "recorded",
    });
    const other = { ...invoice, id: "in_addon", status: "open", subscription: "sub_addon", parent: null };
    const failed = fake.signedEvent("invoice.payment_failed", other);
    expect(await (await webhook(failed.payload, failed.header)).json()).toMatchObject({ outcome: "applied" });
    expect((await entitlements()).payment).toMatchObject({ stage: "ok" });
    expect(await check("sso")).toMatchObject({ allowed: true });
  });

  it("walks grace → throttle → suspend on the plan's grace days, and a paid invoice restores at once", async () => {
    const [invoice] = [...fake.state.invoices.values()];
    if (!invoice) throw new Error("the checkout made an invoice");
    t.clock.advance(60_000);
    const failed = fake.signedEvent("invoice.payment_failed", { ...invoice, status: "open" });
    await webhook(failed.payload, failed.header);

    const grace = (await entitlements()).payment;
    expect(grace).toMatchObject({ stage: "grace" });
    expect(Date.parse(grace.nextStageAt) - Date.parse(grace.pastDueSince)).toBe(7 * 86_400_000); // Team Pro: 7 days
    expect(await check("sso")).toMatchObject({ allowed: true });
    expect((await track()).status).toBe(200);

    const stageEvents = async () =>
      (await t.engine.events.after("live", 0, { customerIds: ["acme"], limit: 1000 }))
        .filter((e) => e.type === "payment_state_changed")
        .filter((e) => (e.data as { providerSubscriptionId: string }).providerSubscriptionId !== "sub_addon")
        .map((e) => (e.data as { stage?: string }).stage ?? (e.data as { to: string }).to);
    const announced = await stageEvents();
    t.clock.set(grace.nextStageAt);
    // The scheduler announces the stage when it starts: SDK caches and endpoints hear of it then.
    await t.engine.scheduler.runDue();
    expect(await stageEvents()).toEqual([...announced, "throttle"]);
    const throttle = (await entitlements()).payment;
    expect(throttle.stage).toBe("throttle");
    expect(await check("sso")).toMatchObject({ allowed: true });
    expect((await track()).body.decision).toMatchObject({ reason: "throttle_admitted" });
    const slowed = await track();
    expect([slowed.status, slowed.body.error.code]).toEqual([429, "throttled"]);

    t.clock.set(throttle.nextStageAt);
    await t.engine.scheduler.runDue();
    expect(await stageEvents()).toEqual([...announced, "throttle", "suspend"]);
    expect((await entitlements()).payment.stage).toBe("suspend");
    expect(await check("sso")).toMatchObject({ allowed: false, reason: "payment_overdue" });
    const refused = await track();
    expect([refused.status, refused.body.error.code]).toEqual([402, "payment_overdue"]);

    const [subscription] = [...fake.state.subscriptions.values()].filter((x) => x.id !== "sub_addon");
    t.clock.advance(60_000);
    const unpaid = fake.signedEvent("customer.subscription.updated", { ...subscription, status: "unpaid" });
    await webhook(unpaid.payload, unpaid.header);
    expect((await entitlements()).payment.stage).toBe("blocked");
    expect(await check("sso")).toMatchObject({ allowed: false, reason: "payment_overdue" });

    t.clock.advance(60_000);
    const paid = fake.signedEvent("invoice.paid", { ...invoice, status: "paid" });
    expect(await (await webhook(paid.payload, paid.header)).json()).toMatchObject({ outcome: "applied" });
    expect((await entitlements()).payment.stage).toBe("ok");
    const afterPaid = await stageEvents();
    t.clock.advance(30 * 86_400_000);
    await t.engine.scheduler.runDue(); // a stage job left from the paid run announces nothing
    expect(await stageEvents()).toEqual(afterPaid);
    expect(await check("sso")).toMatchObject({ allowed: true });
    expect((await track()).status).toBe(200);
  });
});

describe("overage at the period close", () => {
  it("adds a finalized invoice's overage to the Stripe subscription's next invoice once, at our amount", async () => {
    const view = (await t.call("GET", "/v1/customers/acme/entitlements", { key: "liveSecret" })).body;
    const periodEnd = Date.parse(view.subscription.periodEnd);
    t.clock.set(new Date(periodEnd + 3_600_000).toISOString());
    const next = (await t.call("GET", "/v1/customers/acme/entitlements", { key: "liveSecret" })).body
      .subscription;
    const ingested = await t.engine.usage.ingest("live", [
      { id: "big_run", customerId: "acme", feature: "ai_tokens", quantity: 1_000_500 },
    ]);
    expect(ingested.accepted).toBe(1);
    t.clock.set(new Date(Date.parse(next.periodEnd) + 60_000).toISOString());
    await t.engine.invoices.finalizeDue();
    const [invoice] = (await t.call("GET", "/v1/customers/acme/invoices", { key: "liveSecret" })).body.data;
    expect(invoice.lines.find((l: { kind: string }) => l.kind === "overage")).toMatchObject({
      feature: "ai_tokens",
      quantity: 500,
      amount: 20,
    });
    await t.engine.scheduler.runDue();
    await t.engine.scheduler.runDue();
    const overage = invoice.lines.findIndex((l: { kind: string }) => l.kind === "overage");
    const sent = [...fake.state.invoiceItems.values()];
    expect(sent).toEqual([
      expect.objectContaining({
        amount: 20,
        currency: "usd",
        description: invoice.lines[overage].description,
        metadata: { tollgate_line: `${invoice.id}:${overage}` },
      }),
    ]);
  });
});

describe("seats at the period close", () => {
  it("adds each seat line of a finalized invoice to the Stripe subscription's next invoice, once", async () => {
    fake.state.invoiceItems.clear();
    const overrides = await t.call("GET", "/v1/admin/customers/acme/overrides");
    const put = await t.call("PUT", "/v1/admin/customers/acme/overrides", {
      body: {
        overrides: { ...overrides.body.current.overrides, monthlySeatPrice: 1000, includedSeats: 1 },
        reason: "Acme amendment: $10 a seat past the first",
      },
    });
    expect(put.status).toBe(200);
    const period = (await t.call("GET", "/v1/customers/acme/entitlements", { key: "liveSecret" })).body
      .subscription;
    const held = (await t.call("GET", "/v1/customers/acme/seats", { key: "liveSecret" })).body.data.length;
    for (const id of ["seat_a", "seat_b", "seat_c"]) {
      const added = await t.call("POST", "/v1/customers/acme/seats", { key: "liveSecret", body: { id } });
      expect(added.status).toBe(201);
    }
    t.clock.set(new Date(Date.parse(period.periodStart) + 10 * 86_400_000 + 3_600_000).toISOString());
    expect((await t.call("DELETE", "/v1/customers/acme/seats/seat_b", { key: "liveSecret" })).status).toBe(
      200,
    );

    t.clock.set(new Date(Date.parse(period.periodEnd) + 60_000).toISOString());
    await t.engine.invoices.finalizeDue();
    const [invoice] = (await t.call("GET", "/v1/customers/acme/invoices", { key: "liveSecret" })).body.data;
    const seatLines = invoice.lines.filter((l: { kind: string }) => l.kind === "seats");
    // Days 1–10 with three seats added, from day 11 two: each past the one included.
    expect(seatLines.map((l: { quantity: number }) => l.quantity)).toEqual([held + 2, held + 1]);
    await t.engine.scheduler.runDue();
    await t.engine.scheduler.runDue();
    const items = [...fake.state.invoiceItems.values()];
    expect(items.map((item) => [item.amount, item.description, item.period.start, item.period.end])).toEqual(
      seatLines.map((l: { amount: number; description: string; periodStart: string; periodEnd: string }) => [
        l.amount,
        l.description,
        Date.parse(l.periodStart) / 1000,
        Date.parse(l.periodEnd) / 1000,
      ]),
    );
    const contracts = await t.database.db
      .select({ providerSubscriptionId: tables.subscriptions.providerSubscriptionId })
      .from(tables.subscriptions)
      .where(eq(tables.subscriptions.id, invoice.subscriptionId));
    const stripeSubscription = contracts[0]?.providerSubscriptionId;
    expect(stripeSubscription).toMatch(/^sub_/);
    for (const item of items) {
      expect(item.parent?.subscription_details?.subscription).toBe(stripeSubscription);
    }
  });
});

describe("who never reaches Stripe", () => {
  it("refuses checkout for a skip-billing customer without calling Stripe", async () => {
    const requests = fake.state.requests.length;
    const refused = await t.call("POST", "/v1/customers/emp_ada/checkout", {
      key: "liveSecret",
      body: { planKey: "team_pro", ...urls },
    });
    expect([refused.status, refused.body.error.code]).toEqual([422, "skip_billing"]);
    expect(fake.state.requests.length).toBe(requests);
  });

  it("checks out Cronicorn's custom plan at a per-contract price under one Custom Enterprise product", async () => {
    for (const id of ["ops_1", "ops_2", "ops_3"])
      await t.engine.seats.add(
        { env: "live", customerId: "cronicorn" },
        { id },
        { id: "test", role: "admin" },
      );
    const history = await t.call("GET", "/v1/customers/cronicorn/entitlements", { key: "liveSecret" });
    const checkout = await t.call("POST", "/v1/customers/cronicorn/checkout", {
      key: "liveSecret",
      body: { planKey: history.body.plan.key, ...urls },
    });
    expect(checkout.status).toBe(200);
    // The price is the contract's base fee for the period, as our invoice bills it: once, not once a seat.
    expect(checkout.body.quantity).toBe(1);
    const preview = await t.call("GET", "/v1/customers/cronicorn/invoices/upcoming", { key: "liveSecret" });
    expect(preview.body.lines.find((l: { kind: string }) => l.kind === "base")?.amount).toBe(19_900);
    const price = fake.state.prices.get(checkout.body.priceId);
    expect(price).toMatchObject({
      unit_amount: 19_900,
      currency: "usd",
      product: "tollgate_custom_enterprise",
    });
  });
});

describe("calendar months from checkout", () => {
  it("anchors the Stripe subscription at the next month's start, and the contract follows it", async () => {
    const plan = await t.call("GET", "/v1/admin/plans/standard");
    const version = plan.body.versions[0];
    const priceId = await new StripePaymentProvider({
      secretKey: fake.secretKey,
      webhookSecret: fake.webhookSecret,
      apiBase: fake.apiBase,
    }).ensureContractPrice({
      contractId: "standard_v1",
      amount: version.basePrice,
      currency: "usd",
      interval: "month",
    });
    await t.database.db
      .insert(tables.providerPrices)
      .values({ provider: "stripe", priceId, planVersionId: version.id });
    t.clock.set("2027-03-10T15:00:00Z");
    const created = await t.call("POST", "/v1/customers", { key: "liveSecret", body: { id: "initech" } });
    expect(created.status).toBe(200);

    const checkout = await t.call("POST", "/v1/customers/initech/checkout", {
      key: "liveSecret",
      body: { planKey: "standard", billingAlignment: "calendar", ...urls },
    });
    expect(checkout.status).toBe(200);
    const before = fake.state.events.length;
    const { subscription } = fake.completeCheckout(checkout.body.sessionId);
    expect(subscription.billing_cycle_anchor).toBe(Date.parse("2027-04-01T00:00:00Z") / 1000);
    expect(await deliverEvents(before)).toContain("customer.subscription.created:applied");

    const view = (await t.call("GET", "/v1/customers/initech/entitlements", { key: "liveSecret" })).body;
    expect(view.plan.key).toBe("standard");
    expect(view.subscription).toMatchObject({
      periodStart: "2027-03-01T00:00:00.000Z",
      periodEnd: "2027-04-01T00:00:00.000Z",
    });
    const preview = (await t.call("GET", "/v1/customers/initech/invoices/upcoming", { key: "liveSecret" }))
      .body;
    // Standard from March 10 15:00 to April 1: pro rata, as Stripe's first invoice prorates it.
    const standard = preview.lines.find((l: { kind: string; description: string }) =>
      l.description.startsWith("Standard"),
    );
    expect(standard).toMatchObject({
      kind: "base",
      periodStart: "2027-03-10T15:00:00.000Z",
      periodEnd: "2027-04-01T00:00:00.000Z",
    });
    expect(standard.amount).toBeLessThan(version.basePrice);
  });
});

describe("Stripe refusing a call", () => {
  it("answers 502 payment_provider_error with Stripe's code, not a 500, for a price Stripe does not have", async () => {
    // The enterprise plan's provider_prices row (added above) names a price Stripe never had.
    const checkout = await t.call("POST", "/v1/customers/globex/checkout", {
      key: "liveSecret",
      body: { planKey: "enterprise", ...urls },
    });
    expect(checkout.status).toBe(502);
    expect(checkout.body.error).toMatchObject({
      type: "internal",
      code: "payment_provider_error",
      message: expect.stringContaining("price_enterprise_monthly"),
      details: { provider: "stripe", providerCode: "resource_missing", retryable: false },
    });
  });
});
