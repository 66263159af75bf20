import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestApp, START, type TestApp } from "./testApp";

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(() => t.close());

const reason = "public test";
const DAY = 86_400_000;

const ENTITLEMENT_FIELDS = [
  "feature",
  "type",
  "enabled",
  "limit",
  "used",
  "remaining",
  "unlimited",
  "window",
  "resetsAt",
  "enforcement",
  "scope",
  "value",
  "overage",
  "source",
];

const DECISION_FIELDS = [
  "allowed",
  "feature",
  "enforcement",
  "limit",
  "used",
  "remaining",
  "unlimited",
  "resetsAt",
  "reason",
  "message",
];

// biome-ignore lint/suspicious/noExplicitAny: entitlements are arbitrary JSON
const byFeature = (body: any, feature: string) =>
  body.entitlements.find((e: { feature: string }) => e.feature === feature);

describe("POST /v1/customers", () => {
  it("creates with 201, then upserts by id with 200, keeping what the update does not name", async () => {
    const created = await t.call("POST", "/v1/customers", {
      key: "liveSecret",
      body: { id: "cust_1", name: "First Co", email: "ops@first.example", metadata: { tier: "a" } },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: "cust_1",
      env: "live",
      name: "First Co",
      email: "ops@first.example",
      emailDomain: "first.example",
      emailVerified: false,
      workspaceIds: [],
      metadata: { tier: "a" },
      provisionedBy: null,
      createdAt: START,
    });

    t.clock.advance(1000);
    const updated = await t.call("POST", "/v1/customers", {
      key: "liveSecret",
      body: { id: "cust_1", workspaceIds: ["ws_1"] },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      id: "cust_1",
      name: "First Co",
      email: "ops@first.example",
      workspaceIds: ["ws_1"],
      metadata: { tier: "a" },
      createdAt: START,
    });
    expect(updated.body.updatedAt).not.toBe(START);

    const audit = await t.call("GET", "/v1/admin/audit?customer=cust_1");
    expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual([
      "customer.updated",
      "customer.created",
    ]);
  });

  it("a verified email at a provisioning rule's domain lands on the rule's plan and overrides", async () => {
    const r = await t.call("POST", "/v1/customers", {
      key: "liveSecret",
      body: { id: "emp_bob", name: "Bob", email: "bob@tollgate.dev", emailVerified: true },
    });
    expect(r.status).toBe(201);
    expect(r.body.provisionedBy).toEqual(expect.any(String));
    const view = await t.call("GET", "/v1/customers/emp_bob/entitlements", { key: "liveSecret" });
    expect(view.body.plan).toMatchObject({ key: "team_pro", label: "Employee Plan" });
    expect(byFeature(view.body, "infra_dedicated")).toMatchObject({
      enabled: true,
      source: { kind: "override" },
    });
  });

  it("an unverified email at that domain provisions nothing", async () => {
    const r = await t.call("POST", "/v1/customers", {
      key: "liveSecret",
      body: { id: "emp_eve", email: "eve@tollgate.dev" },
    });
    expect(r.status).toBe(201);
    expect(r.body.provisionedBy).toBeNull();
    const view = await t.call("GET", "/v1/customers/emp_eve", { key: "liveSecret" });
    expect(view.body.subscription).toBeNull();
  });

  it.each([
    [{ name: "no id" }, "id"],
    [{ id: "" }, "id"],
    [{ id: "bad_email", email: "not-an-email" }, "email"],
    [{ id: "bad_ws", workspaceIds: "ws_1" }, "workspaceIds"],
  ])("refuses %j: 400 param %s, nothing changes", async (body, param) => {
    const before = await t.snapshot();
    const r = await t.call("POST", "/v1/customers", { key: "liveSecret", body });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ type: "invalid_request", param });
    expect(await t.snapshot()).toEqual(before);
  });
});

describe("GET /v1/customers/:id", () => {
  it("answers the customer with a summary of the plan in force", async () => {
    const r = await t.call("GET", "/v1/customers/acme", { key: "liveSecret" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      id: "acme",
      env: "live",
      name: "Acme Corp",
      email: "billing@acme.example",
    });
    expect(r.body.subscription).toEqual({
      id: expect.stringMatching(/^sub_/),
      status: "active",
      planKey: "team_pro",
      planVersion: 1,
      label: "Acme Corp Enterprise",
      currentPeriodStart: START,
      currentPeriodEnd: "2026-07-15T12:00:00.000Z",
    });
  });

  it("a customer without a plan has subscription null", async () => {
    const r = await t.call("GET", "/v1/customers/cust_1", { key: "liveSecret" });
    expect(r.status).toBe(200);
    expect(r.body.subscription).toBeNull();
  });
});

describe("GET /v1/customers/:id/entitlements", () => {
  it("answers acme's plan, entitlements, seats and credits with the documented fields", async () => {
    const r = await t.call("GET", "/v1/customers/acme/entitlements", { key: "liveSecret" });
    expect(r.status).toBe(200);
    expect(r.body.customerId).toBe("acme");
    expect(r.body.plan).toEqual({
      key: "team_pro",
      version: 1,
      name: "Team Pro",
      label: "Acme Corp Enterprise",
      kind: "standard",
      custom: false,
      currency: "usd",
      interval: "month",
    });
    expect(r.body.seats).toEqual({ limit: 50, used: 0, unlimited: false, price: 0, included: 0 });
    expect(r.body.credits).toMatchObject({
      perSeat: 500,
      unlimited: false,
      price: "0.70",
      neverExpire: false,
    });
    expect(r.body.credits).toHaveProperty("balance");
    expect(r.body).not.toHaveProperty("explain");

    expect(r.body.entitlements.length).toBeGreaterThan(0);
    for (const e of r.body.entitlements) {
      expect(Object.keys(e).sort(), e.feature).toEqual([...ENTITLEMENT_FIELDS].sort());
      expect(e.source).toMatchObject({ kind: expect.any(String), id: expect.any(String) });
    }
    expect(byFeature(r.body, "ai_tokens")).toMatchObject({
      type: "metered",
      enabled: true,
      limit: 1_000_000,
      remaining: 1_000_000 - byFeature(r.body, "ai_tokens").used,
      unlimited: false,
      window: "period",
      resetsAt: "2026-07-15T12:00:00.000Z",
      enforcement: "billable_overage",
      overage: { unitAmount: "0.0004" },
      source: { kind: "plan_version", id: "pv_team_pro_1" },
    });
    expect(byFeature(r.body, "sso")).toMatchObject({ type: "boolean", enabled: true, resetsAt: null });
    expect(byFeature(r.body, "support.tier")).toMatchObject({ type: "config", value: "priority" });
    // additionalFeatures: enabled, with the override as source.
    for (const feature of ["infra_dedicated", "sla_custom"]) {
      expect(byFeature(r.body, feature)).toMatchObject({ enabled: true, source: { kind: "override" } });
    }
  });

  it("a custom plan says custom: true", async () => {
    const r = await t.call("GET", "/v1/customers/cronicorn/entitlements", { key: "liveSecret" });
    expect(r.body.plan).toEqual({
      key: "cronicorn_custom",
      version: 1,
      name: "Cronicorn Custom",
      label: "Cronicorn Custom",
      kind: "custom",
      custom: true,
      currency: "usd",
      interval: "month",
    });
  });

  it("explain=true lists, for each value, the rows it came from", async () => {
    const r = await t.call("GET", "/v1/customers/acme/entitlements?explain=true", { key: "liveSecret" });
    expect(r.status).toBe(200);
    for (const e of r.body.entitlements) {
      expect(e.explain, e.feature).toEqual(expect.any(Object));
      const sources = Object.values(e.explain).flat();
      expect(sources.length, e.feature).toBeGreaterThan(0);
      for (const s of sources) expect(s).toMatchObject({ kind: expect.any(String), id: expect.any(String) });
    }
    expect(byFeature(r.body, "ai_tokens").explain.limit).toEqual([
      expect.objectContaining({ kind: "plan_version", id: "pv_team_pro_1" }),
    ]);
    expect(byFeature(r.body, "infra_dedicated").explain.enabled).toEqual([
      expect.objectContaining({ kind: "override" }),
    ]);
    // Plan-level values: the label and the seat limit come from the override set.
    expect(r.body.explain.plan.label).toEqual([expect.objectContaining({ kind: "override" })]);
    expect(r.body.explain.plan["seats.limit"]).toContainEqual(expect.objectContaining({ kind: "override" }));
  });

  it("a customer without a plan has plan null and no entitlements", async () => {
    const r = await t.call("GET", "/v1/customers/cust_1/entitlements", { key: "liveSecret" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ customerId: "cust_1", plan: null, entitlements: [] });
  });

  it("?at that is not an instant → 400 param at", async () => {
    const r = await t.call("GET", "/v1/customers/acme/entitlements?at=yesterday", { key: "liveSecret" });
    expect(r.status).toBe(400);
    expect(r.body.error.param).toBe("at");
  });
});

describe("POST /v1/check", () => {
  const check = (body: Record<string, unknown>) => t.call("POST", "/v1/check", { key: "liveSecret", body });

  it("a boolean feature in the plan is allowed; one not in it is not", async () => {
    const sso = await check({ customerId: "acme", feature: "sso" });
    expect(sso.status).toBe(200);
    for (const field of DECISION_FIELDS) expect(sso.body).toHaveProperty(field);
    expect(sso.body).toMatchObject({ allowed: true, feature: "sso", reason: "enabled" });

    const initechSso = await check({ customerId: "initech", feature: "sso" });
    expect(initechSso.status).toBe(200);
    expect(initechSso.body).toMatchObject({ allowed: false, reason: "feature_not_in_plan" });
  });

  it("a metered feature answers its limit, usage and reset; past a block limit it refuses", async () => {
    const within = await check({ customerId: "cronicorn", feature: "ai_tokens", quantity: 1000 });
    expect(within.status).toBe(200);
    expect(within.body).toMatchObject({
      allowed: true,
      feature: "ai_tokens",
      enforcement: "block",
      limit: 5_000_000,
      unlimited: false,
      reason: "within_limit",
      resetsAt: expect.any(String),
    });
    expect(within.body.remaining).toBe(5_000_000 - within.body.used);
    expect(within.body.message).toEqual(expect.any(String));

    const over = await check({ customerId: "cronicorn", feature: "ai_tokens", quantity: 6_000_000 });
    expect(over.body).toMatchObject({ allowed: false, reason: "limit_exceeded", enforcement: "block" });
  });

  it("billable overage answers what passing the limit will cost", async () => {
    const r = await check({ customerId: "acme", feature: "ai_tokens", quantity: 1_000_100 });
    expect(r.body).toMatchObject({
      allowed: true,
      reason: "overage",
      overage: { quantity: 100, amount: 4 },
    });
  });

  it("a config feature answers its value", async () => {
    const r = await check({ customerId: "acme", feature: "support.tier" });
    expect(r.body).toMatchObject({ allowed: true, value: "priority" });
  });

  it("an unknown feature is not allowed (200 feature_not_in_plan); a malformed key is a 400", async () => {
    const r = await check({ customerId: "acme", feature: "teleport" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ allowed: false, feature: "teleport", reason: "feature_not_in_plan" });
    const bad = await check({ customerId: "acme", feature: "Tele Port" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe("feature");
    const negative = await check({ customerId: "acme", feature: "ai_tokens", quantity: -1 });
    expect(negative.status).toBe(400);
    expect(negative.body.error.param).toBe("quantity");
  });

  it("a customer without a plan is refused with no_subscription", async () => {
    const r = await check({ customerId: "cust_1", feature: "ai_chat" });
    expect(r.body).toMatchObject({ allowed: false, reason: "no_subscription" });
  });

  it("never records anything", async () => {
    const before = await t.snapshot();
    for (let i = 0; i < 3; i++) await check({ customerId: "acme", feature: "ai_tokens", quantity: 500 });
    const after = await check({ customerId: "acme", feature: "ai_tokens", quantity: 500 });
    expect(after.body.used).toBe(0);
    expect(await t.snapshot()).toEqual(before);
  });
});

describe("unknown customers", () => {
  it.each([
    ["GET", "/v1/customers/nobody", undefined],
    ["GET", "/v1/customers/nobody/entitlements", undefined],
    ["GET", "/v1/customers/nobody/entitlements?explain=true", undefined],
    ["POST", "/v1/check", { customerId: "nobody", feature: "ai_chat" }],
  ])("%s %s → 404 customer_not_found", async (method, path, body) => {
    const r = await t.call(method, path, { key: "liveSecret", body });
    expect(r.status).toBe(404);
    expect(r.body.error).toMatchObject({ type: "not_found", code: "customer_not_found" });
  });

  it("admin reads of an unknown customer → 404 customer_not_found too", async () => {
    for (const path of ["/v1/admin/customers/nobody/history", "/v1/admin/customers/nobody/overrides"]) {
      const r = await t.call("GET", path, { key: "viewer" });
      expect(r.status, path).toBe(404);
      expect(r.body.error.code).toBe("customer_not_found");
    }
  });
});

describe("admin customer lists and history", () => {
  it("?custom=true lists the customers on custom plans or with overrides", async () => {
    const r = await t.call("GET", "/v1/admin/customers?custom=true", { key: "viewer" });
    expect(r.status).toBe(200);
    expect(r.body.has_more).toBe(false);
    expect(r.body.data.map((c: { id: string }) => c.id)).toEqual([
      "acme",
      "advisor_grace",
      "cronicorn",
      "emp_ada",
      "emp_bob",
    ]);
    const all = await t.call("GET", "/v1/admin/customers", { key: "viewer" });
    const ids = all.body.data.map((c: { id: string }) => c.id);
    expect(ids).toEqual(expect.arrayContaining(["acme", "globex", "initech", "umbrella", "cust_1"]));
  });

  it("the list pages with limit and starting_after", async () => {
    const first = await t.call("GET", "/v1/admin/customers?custom=true&limit=2", { key: "viewer" });
    expect(first.body.data.map((c: { id: string }) => c.id)).toEqual(["acme", "advisor_grace"]);
    expect(first.body.has_more).toBe(true);
    const next = await t.call("GET", "/v1/admin/customers?custom=true&limit=2&starting_after=advisor_grace", {
      key: "viewer",
    });
    expect(next.body.data.map((c: { id: string }) => c.id)).toEqual(["cronicorn", "emp_ada"]);
  });

  it("history shows contracts, override sets and audited changes with before, after and reason", async () => {
    const r = await t.call("GET", "/v1/admin/customers/acme/history", { key: "viewer" });
    expect(r.status).toBe(200);
    expect(r.body.customerId).toBe("acme");
    expect(r.body.subscriptions).toEqual([
      expect.objectContaining({ planKey: "team_pro", effectiveTo: null }),
    ]);
    expect(r.body.overrideSets).toEqual([
      expect.objectContaining({ reason: "Acme MSA signed 2026-03-01", effectiveTo: null }),
    ]);
    const actions = r.body.entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(["customer.created", "subscription.assigned", "overrides.set"]),
    );
    const assigned = r.body.entries.find((e: { action: string }) => e.action === "subscription.assigned");
    expect(assigned).toMatchObject({
      actorId: "seed",
      reason: "Acme MSA signed 2026-03-01",
      before: null,
      after: { planKey: "team_pro", change: "new" },
    });
  });
});

describe("changes over time", () => {
  it("?at= a past instant answers what was in force then; history records the change", async () => {
    const seeded = new Date(START).getTime();
    t.clock.set(new Date(seeded + 2 * DAY).toISOString());

    const set = await t.call("PUT", "/v1/admin/customers/acme/overrides", {
      key: "operator",
      body: {
        overrides: { basePlanId: "team_pro", seatLimit: 75, planLabel: "Acme Renewed", includedCredits: 800 },
        reason: "Acme renewal",
      },
    });
    expect(set.status).toBe(200);
    const upgrade = await t.call("PUT", "/v1/admin/customers/globex/subscription", {
      key: "operator",
      body: { planKey: "enterprise", reason: "globex upgrade" },
    });
    expect(upgrade.status).toBe(200);

    const now = await t.call("GET", "/v1/customers/acme/entitlements", { key: "liveSecret" });
    expect(now.body.plan.label).toBe("Acme Renewed");
    expect(now.body.seats.limit).toBe(75);
    expect(now.body.credits.perSeat).toBe(800);

    const oneHourAfterSeed = new Date(seeded + 3_600_000).toISOString();
    const then = await t.call("GET", `/v1/customers/acme/entitlements?at=${oneHourAfterSeed}`, {
      key: "liveSecret",
    });
    expect(then.status).toBe(200);
    expect(then.body.plan.label).toBe("Acme Corp Enterprise");
    expect(then.body.seats.limit).toBe(50);
    expect(then.body.credits.perSeat).toBe(500);

    const globexThen = await t.call("GET", `/v1/customers/globex/entitlements?at=${oneHourAfterSeed}`, {
      key: "liveSecret",
    });
    expect(globexThen.body.plan).toMatchObject({ key: "standard", kind: "standard" });
    const globexNow = await t.call("GET", "/v1/customers/globex/entitlements", { key: "liveSecret" });
    expect(globexNow.body.plan).toMatchObject({ key: "enterprise", kind: "enterprise" });

    const beforeAnyPlan = await t.call("GET", "/v1/customers/acme/entitlements?at=2026-01-01T00:00:00Z", {
      key: "liveSecret",
    });
    expect(beforeAnyPlan.status).toBe(200);
    expect(beforeAnyPlan.body.plan).toBeNull();
    expect(beforeAnyPlan.body.entitlements).toEqual([]);

    const summary = await t.call("GET", "/v1/customers/globex", { key: "liveSecret" });
    expect(summary.body.subscription).toMatchObject({ planKey: "enterprise", status: "active" });

    const history = await t.call("GET", "/v1/admin/customers/acme/history", { key: "viewer" });
    expect(history.body.overrideSets).toHaveLength(2);
    expect(history.body.overrideSets[0].effectiveTo).toBe(new Date(seeded + 2 * DAY).toISOString());
    const renewal = history.body.entries.find(
      (e: { action: string; reason: string }) => e.action === "overrides.set" && e.reason === "Acme renewal",
    );
    expect(renewal).toMatchObject({
      actorRole: "operator",
      before: { overrides: { planLabel: "Acme Corp Enterprise" } },
      after: { overrides: { planLabel: "Acme Renewed", seatLimit: 75 } },
    });
    const globexHistory = await t.call("GET", "/v1/admin/customers/globex/history", { key: "viewer" });
    expect(globexHistory.body.subscriptions.map((s: { planKey: string }) => s.planKey)).toEqual([
      "standard",
      "enterprise",
    ]);
    expect(globexHistory.body.entries[0]).toMatchObject({
      action: "subscription.assigned",
      reason: "globex upgrade",
      before: { planKey: "standard" },
      after: { planKey: "enterprise", change: "upgrade" },
    });
  });

  it("a check answers from the plan in force now", async () => {
    const r = await t.call("POST", "/v1/check", {
      key: "liveSecret",
      body: { customerId: "globex", feature: "infra_dedicated" },
    });
    expect(r.body).toMatchObject({ allowed: true, reason: "enabled" });
  });
});

it("a downgrade waits for the period end; ?at= after it answers the lower plan", async () => {
  const r = await t.call("PUT", "/v1/admin/customers/umbrella/subscription", {
    body: { planKey: "free", reason },
  });
  expect(r.status).toBe(200);
  expect(r.body).toMatchObject({ change: "downgrade", scheduled: true });
  const periodEnd = r.body.subscription.effectiveFrom;
  expect(new Date(periodEnd).getTime()).toBeGreaterThan(t.clock().getTime());
  const now = await t.call("GET", "/v1/customers/umbrella/entitlements", { key: "liveSecret" });
  expect(now.body.plan.key).toBe("enterprise");
  const later = await t.call("GET", `/v1/customers/umbrella/entitlements?at=${periodEnd}`, {
    key: "liveSecret",
  });
  expect(later.body.plan.key).toBe("free");
});
