import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestApp, type TestApp } from "./testApp";

// initech is on the demo's Free plan: ai_credits is blocked at 50 a period.
let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(() => t.close());

const track = (id: string, quantity = 1, key: string = "liveSecret") =>
  t.call("POST", "/v1/track", {
    key,
    body: { customerId: "initech", feature: "ai_credits", quantity, id },
  });

describe("POST /v1/track", () => {
  it("records within the limit and answers the decision with what is left", async () => {
    const first = await track("trg_1", 20);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      recorded: true,
      duplicate: false,
      decision: { allowed: true, used: 20, remaining: 30, limit: 50, enforcement: "block" },
    });
  });

  it("answers a repeated id as a duplicate and counts nothing", async () => {
    const again = await track("trg_1", 20);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ recorded: false, duplicate: true });
  });

  it("refuses with 402 limit_exceeded a use that would pass a blocking limit, recording no usage", async () => {
    const { enforcement_log: logBefore, ...before } = await t.snapshot();
    const over = await track("trg_2", 40);
    expect(over.status).toBe(402);
    expect(over.body.error).toMatchObject({ code: "limit_exceeded" });
    expect(over.body.decision).toMatchObject({ allowed: false, used: 20, remaining: 30 });
    const { enforcement_log: logAfter, ...after } = await t.snapshot();
    expect(after).toEqual(before);
    expect(logAfter?.rows).toBe((logBefore?.rows ?? 0) + 1);
  });

  it("names the field of bad input and records nothing", async () => {
    const before = await t.snapshot();
    const negative = await track("trg_3", -1);
    expect(negative.status).toBe(400);
    expect(negative.body.error).toMatchObject({ code: "parameter_invalid", param: "quantity" });
    const noId = await t.call("POST", "/v1/track", {
      key: "liveSecret",
      body: { customerId: "initech", feature: "ai_credits" },
    });
    expect(noId.body.error).toMatchObject({ code: "parameter_missing", param: "id" });
    const unknown = await t.call("POST", "/v1/track", {
      key: "liveSecret",
      body: { customerId: "nobody", feature: "ai_credits", id: "x" },
    });
    expect(unknown.status).toBe(404);
    expect(await t.snapshot()).toEqual(before);
  });

  it("is refused to a viewer key and does not reach a live customer with a test key", async () => {
    expect((await track("trg_v", 1, "viewer")).status).toBe(403);
    expect((await track("trg_t", 1, "testSecret")).status).toBe(404);
  });
});

describe("POST /v1/events", () => {
  it("accepts a JSON batch with per-event rejections", async () => {
    const result = await t.call("POST", "/v1/events", {
      key: "liveSecret",
      body: {
        events: [
          { id: "wf_1", customerId: "globex", feature: "workflow_runs" },
          { id: "wf_2", customerId: "globex", feature: "workflow_runs", quantity: -5 },
        ],
      },
    });
    expect(result.status).toBe(202);
    expect(result.body).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: [{ index: 1, code: "parameter_invalid", message: expect.any(String), param: "quantity" }],
    });
  });

  it("accepts a CloudEvents batch", async () => {
    const result = await t.call("POST", "/v1/events", {
      key: "liveSecret",
      headers: { "content-type": "application/cloudevents-batch+json" },
      body: [
        {
          specversion: "1.0",
          id: "ce_1",
          source: "app",
          type: "workflow_runs",
          subject: "globex",
          time: "2026-06-15T12:00:00Z", // when globex's plan starts: earlier, it had none
          data: { quantity: 1 },
        },
      ],
    });
    expect(result.body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
  });

  it("refuses an oversized batch as a whole", async () => {
    const events = Array.from({ length: 1001 }, (_, i) => ({
      id: `big_${i}`,
      customerId: "globex",
      feature: "workflow_runs",
    }));
    const result = await t.call("POST", "/v1/events", { key: "liveSecret", body: { events } });
    expect(result.status).toBe(400);
    expect(result.body.error).toMatchObject({ code: "batch_too_large", param: "events" });
  });
});

describe("GET /v1/customers/:id/usage", () => {
  it("answers the usage per bucket from the rollups", async () => {
    const result = await t.call(
      "GET",
      "/v1/customers/globex/usage?feature=workflow_runs&granularity=hour&from=2026-06-15T10:00:00Z&to=2026-06-15T13:00:00Z",
      { key: "liveSecret" },
    );
    expect(result.status).toBe(200);
    expect(result.body.data).toEqual([
      {
        feature: "workflow_runs",
        start: "2026-06-15T10:00:00.000Z",
        end: "2026-06-15T11:00:00.000Z",
        quantity: 0,
      },
      {
        feature: "workflow_runs",
        start: "2026-06-15T11:00:00.000Z",
        end: "2026-06-15T12:00:00.000Z",
        quantity: 0,
      },
      {
        feature: "workflow_runs",
        start: "2026-06-15T12:00:00.000Z",
        end: "2026-06-15T13:00:00.000Z",
        quantity: 2,
      },
    ]);
  });

  it("answers an admin key of any role too (the admin UI's usage charts read it with a viewer's key)", async () => {
    const path =
      "/v1/customers/globex/usage?feature=workflow_runs&granularity=day&from=2026-06-15T00:00:00Z&to=2026-06-16T00:00:00Z";
    const bySecret = await t.call("GET", path, { key: "liveSecret" });
    const byViewer = await t.call("GET", path, { key: "viewer" });
    expect(byViewer.status).toBe(200);
    expect(byViewer.body).toEqual(bySecret.body);
    expect(byViewer.body.data).toEqual([expect.objectContaining({ quantity: 2 })]);
  });

  it("names a bad granularity", async () => {
    const result = await t.call("GET", "/v1/customers/globex/usage?granularity=week", { key: "liveSecret" });
    expect(result.status).toBe(400);
    expect(result.body.error.param).toBe("granularity");
  });
});

describe("credits", () => {
  const grant = (body: object, key = "admin") =>
    t.call("POST", "/v1/admin/customers/globex/credit-grants", { key, body });

  it("refuses a grant without a reason or with a bad amount, naming the field and changing nothing", async () => {
    const before = await t.snapshot();
    const noReason = await grant({ amount: 10 });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error).toMatchObject({ param: "reason" });
    const negative = await grant({ amount: -10, reason: "x" });
    expect(negative.body.error).toMatchObject({ code: "parameter_invalid", param: "amount" });
    const past = await grant({ amount: 10, expiresAt: "2020-01-01T00:00:00Z", reason: "x" });
    expect(past.body.error).toMatchObject({ param: "expiresAt" });
    expect((await grant({ amount: 10, reason: "x" }, "viewer")).status).toBe(403);
    expect(await t.snapshot()).toEqual(before);
  });

  it("grants credits with an audit entry and shows them in the balance", async () => {
    const before = (await t.call("GET", "/v1/customers/globex/credits", { key: "liveSecret" })).body.balance;
    const granted = await grant({ amount: 250, source: "promotional", reason: "conference promo" });
    expect(granted.status).toBe(201);
    const credits = await t.call("GET", "/v1/customers/globex/credits", { key: "liveSecret" });
    expect(credits.body.balance).toBe(before + 250);
    expect(credits.body.grants[0]).toMatchObject({ amount: 250, remaining: 250, source: "promotional" });
    const misspelt = await t.call("GET", "/v1/admin/audit?action=credits.granted&customerId=globex");
    expect(misspelt.status).toBe(400);
    expect(misspelt.body.error).toMatchObject({ code: "parameter_invalid", param: "customerId" });
    const audit = await t.call("GET", "/v1/admin/audit?action=credits.granted&customer=globex");
    expect(audit.body.data[0]).toMatchObject({
      customerId: "globex",
      reason: "conference promo",
      after: expect.objectContaining({ amount: 250 }),
    });
  });

  it("refuses with 402 insufficient_credits a track the credits cannot pay for, recording nothing", async () => {
    // A contract whose ai_tokens draw 0.01 credit each, with 10 credits included: 800 tokens cost 8.
    await t.call("POST", "/v1/customers", { key: "liveSecret", body: { id: "pixel" } });
    const plan = await t.call("POST", "/v1/admin/plans", {
      body: {
        key: "pixel_custom",
        custom: true,
        customerId: "pixel",
        name: "Pixel Custom",
        kind: "custom",
        credits: { perSeat: 10, price: "1.00" },
        entitlements: { ai_tokens: { limit: null, creditCost: 0.01 } },
        reason: "order form P-1",
      },
    });
    expect(plan.status).toBe(201);
    await t.call("PUT", "/v1/admin/customers/pixel/subscription", {
      body: { planKey: "pixel_custom", reason: "order form P-1" },
    });
    const use = (id: string, quantity: number) =>
      t.call("POST", "/v1/track", {
        key: "liveSecret",
        body: { customerId: "pixel", feature: "ai_tokens", quantity, id },
      });
    expect((await use("px_1", 800)).body.decision.credits).toMatchObject({ cost: 8 });
    const before = await t.snapshot();
    const refused = await use("px_2", 300);
    expect(refused.status).toBe(402);
    expect(refused.body.error).toMatchObject({ code: "insufficient_credits" });
    expect(refused.body.decision).toMatchObject({ allowed: false, credits: { cost: 3, balance: 2 } });
    const { enforcement_log: _logAfter, ...after } = await t.snapshot();
    const { enforcement_log: _logBefore, ...unchanged } = before;
    expect(after).toEqual(unchanged);
  });
});

describe("reservations over HTTP", () => {
  // initech's ai_credits are blocked at 50 a period; 20 are used by the tests above.
  it("hold, commit and release with the documented codes", async () => {
    const held = await t.call("POST", "/v1/reservations", {
      key: "liveSecret",
      body: { id: "res_1", customerId: "initech", feature: "ai_credits", quantity: 5, ttlSeconds: 60 },
    });
    expect(held.status).toBe(201);
    expect(held.body.reservation).toMatchObject({ status: "held", quantity: 5 });
    const tooMuch = await t.call("POST", "/v1/reservations", {
      key: "liveSecret",
      body: { id: "res_2", customerId: "initech", feature: "ai_credits", quantity: 1000 },
    });
    expect(tooMuch.status).toBe(402);
    expect(tooMuch.body.error.code).toBe("limit_exceeded");
    const committed = await t.call("POST", "/v1/reservations/res_1/commit", {
      key: "liveSecret",
      body: { customerId: "initech", quantity: 3 },
    });
    expect(committed.body).toMatchObject({ status: "committed", committedQuantity: 3 });
    const release = await t.call("POST", "/v1/reservations/res_1/release", {
      key: "liveSecret",
      body: { customerId: "initech" },
    });
    expect(release.status).toBe(409);
    expect(release.body.error.code).toBe("reservation_not_held");
  });
});
