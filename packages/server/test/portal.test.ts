import { createEngine } from "@tollgate/engine";
import { openTestDatabase } from "@tollgate/store";
import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { openTestApp, START, type TestApp } from "./testApp";

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(() => t.close());
afterEach(() => t.clock.set(START));

const mint = (customerId: string, body?: unknown, key = "liveSecret") =>
  t.call("POST", `/v1/customers/${customerId}/portal-links`, {
    key,
    ...(body === undefined ? {} : { body }),
  });
const read = (token: string) => t.call("GET", `/v1/portal/${token}`, { key: null });
const tokenFor = async (customerId: string, body?: unknown) => {
  const minted = await mint(customerId, body);
  expect(minted.status).toBe(201);
  return minted.body.token as string;
};
/** The token with one character of its payload (or signature) changed. */
const flip = (token: string, index: number) =>
  `${token.slice(0, index)}${token[index] === "A" ? "B" : "A"}${token.slice(index + 1)}`;

describe("POST /v1/customers/:id/portal-links", () => {
  it("mints a link valid for an hour by default, and records who minted it for whom in the audit log", async () => {
    const minted = await mint("globex");
    expect(minted.status).toBe(201);
    expect(minted.body.expiresAt).toBe("2026-06-15T13:00:00.000Z");
    expect(minted.body.url).toBe(`http://localhost/portal/${minted.body.token}`);

    const audit = await t.call("GET", "/v1/admin/audit?customer=globex&action=portal_link.created");
    expect(audit.body.data).toHaveLength(1);
    expect(audit.body.data[0]).toMatchObject({
      actorRole: "secret",
      targetType: "portal_link",
      env: "live",
      reason: null,
      after: { expiresAt: "2026-06-15T13:00:00.000Z", returnUrl: null },
    });
    expect(JSON.stringify(audit.body.data[0])).not.toContain(minted.body.token);
  });

  it("takes expiresIn up to seven days and a return URL", async () => {
    const minted = await mint("globex", { expiresIn: 7 * 86_400, returnUrl: "https://app.example/billing" });
    expect(minted.status).toBe(201);
    expect(minted.body.expiresAt).toBe("2026-06-22T12:00:00.000Z");
    const page = await read(minted.body.token);
    expect(page.body.link).toEqual({
      expiresAt: "2026-06-22T12:00:00.000Z",
      returnUrl: "https://app.example/billing",
    });
  });

  it("refuses bad input by field, an unknown customer, another environment's customer and a viewer, changing nothing", async () => {
    const before = await t.snapshot();
    const cases: Array<[unknown, string]> = [
      [{ expiresIn: 59 }, "expiresIn"],
      [{ expiresIn: 7 * 86_400 + 1 }, "expiresIn"],
      [{ expiresIn: 3600.5 }, "expiresIn"],
      [{ returnUrl: "ftp://files.example/x" }, "returnUrl"],
      [{ returnUrl: "not a url" }, "returnUrl"],
    ];
    for (const [body, param] of cases) {
      const refused = await mint("globex", body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error.param, JSON.stringify(body)).toBe(param);
    }
    const unknown = await mint("nobody");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: "customer_not_found", param: "id" });
    expect((await mint("globex", undefined, "testSecret")).status).toBe(404);
    expect((await mint("globex", undefined, "viewer")).body.error.code).toBe("insufficient_permissions");
    expect((await t.call("POST", "/v1/customers/globex/portal-links", { key: null })).status).toBe(401);
    expect(await t.snapshot()).toEqual(before);
  });
});

describe("GET /v1/portal/:token", () => {
  it("shows a Standard customer's plan, limits from the entitlements view, features, and upgrades", async () => {
    for (const id of ["portal_run_1", "portal_run_2", "portal_run_3"]) {
      const tracked = await t.call("POST", "/v1/track", {
        key: "liveSecret",
        body: { customerId: "globex", feature: "workflow_runs", id },
      });
      expect(tracked.status).toBe(200);
    }
    const page = await read(await tokenFor("globex"));
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    expect(page.body.customer).toEqual({ id: "globex", name: "Globex", env: "live" });
    expect(page.body.plan).toEqual({
      key: "standard",
      name: "Standard",
      label: "Standard",
      custom: false,
      currency: "usd",
      interval: "month",
    });

    const runs = page.body.limits.find((l: { feature: string }) => l.feature === "workflow_runs");
    expect(runs).toMatchObject({
      name: "Workflow runs",
      unit: "run",
      limit: 10_000,
      used: 3,
      remaining: 9_997,
      unlimited: false,
      resetsAt: page.body.period.end,
      enforcement: "billable_overage",
      overage: { unitAmount: "0.002", currency: "usd" },
    });
    const view = await t.call("GET", "/v1/customers/globex/entitlements", { key: "liveSecret" });
    const metered = view.body.entitlements.filter((e: { type: string }) => e.type === "metered");
    expect(page.body.limits.map((l: { feature: string }) => l.feature)).toEqual(
      metered.map((e: { feature: string }) => e.feature),
    );
    for (const limit of page.body.limits) {
      const e = metered.find((m: { feature: string }) => m.feature === limit.feature);
      expect(limit, limit.feature).toMatchObject({
        used: e.used,
        remaining: e.remaining,
        resetsAt: e.resetsAt,
        limit: e.limit,
      });
      if (limit.enforcement !== "billable_overage") expect(limit.overage, limit.feature).toBeNull();
    }
    expect(page.body.features.map((f: { name: string }) => f.name)).toEqual(["AI chat", "API access"]);
    expect(page.body.upgrade).toEqual({
      available: true,
      plans: [
        { key: "team_pro", name: "Team Pro", basePrice: 4900, currency: "usd", interval: "month" },
        { key: "enterprise", name: "Enterprise", basePrice: 99_900, currency: "usd", interval: "month" },
      ],
    });
  });

  it("offers no upgrade to a custom contract, a custom plan or a skip-billing customer", async () => {
    const acme = await read(await tokenFor("acme"));
    expect(acme.body.plan).toMatchObject({ key: "team_pro", label: "Acme Corp Enterprise" });
    expect(acme.body.upgrade).toEqual({ available: false, plans: [] });
    for (const customerId of ["cronicorn", "emp_ada", "advisor_grace"]) {
      const page = await read(await tokenFor(customerId));
      expect(page.status, customerId).toBe(200);
      expect(page.body.upgrade, customerId).toEqual({ available: false, plans: [] });
    }
    const initech = await read(await tokenFor("initech"));
    expect(initech.body.upgrade.available).toBe(true);
  });

  it("refuses an altered or forged token with portal_link_invalid", async () => {
    const token = await tokenFor("globex");
    const dot = token.indexOf(".");
    for (const altered of [
      flip(token, 5),
      flip(token, dot + 3),
      flip(token, token.length - 1),
      `${token}A`,
      "abc",
      "a.b",
    ]) {
      const refused = await read(altered);
      expect(refused.status, altered).toBe(401);
      expect(refused.body.error, altered).toMatchObject({ code: "portal_link_invalid", param: "token" });
    }
    const forged = `${Buffer.from(JSON.stringify({ l: "pl_x", e: "live", c: "acme", x: Date.parse(START) + 3_600_000 })).toString("base64url")}.${token.slice(dot + 1)}`;
    expect((await read(forged)).body.error.code).toBe("portal_link_invalid");
  });

  it("answers portal_link_expired from the instant the link expires", async () => {
    const token = await tokenFor("globex", { expiresIn: 60 });
    t.clock.advance(59_999);
    expect((await read(token)).status).toBe(200);
    t.clock.advance(1);
    const expired = await read(token);
    expect(expired.status).toBe(401);
    expect(expired.body.error).toMatchObject({ code: "portal_link_expired", param: "token" });
    expect(expired.body.error.message).toContain("2026-06-15T12:01:00.000Z");
    expect(expired.headers.get("cache-control")).toBe("no-store");
  });
});

describe("the signing secret", () => {
  it("is kept in the database: another engine over it (a restart, a second process) accepts the link", async () => {
    const token = await tokenFor("globex");
    const restarted = createEngine({ database: t.database, clock: t.clock });
    expect((await restarted.portal.view(token)).customer.id).toBe("globex");
  });

  it("is made once when two processes first need it at the same moment: each accepts the other's links", async () => {
    const database = await openTestDatabase();
    try {
      const [a, b] = [createEngine({ database }), createEngine({ database })];
      const ref = { env: "live" as const, customerId: "c1" };
      await a.customers.upsert("live", { id: "c1", name: "C1" }, { id: "test", role: "test" });
      const actor = { id: "test", role: "test" };
      const [fromA, fromB] = await Promise.all([
        a.portal.mintLink(ref, { expiresIn: 600 }, actor),
        b.portal.mintLink(ref, { expiresIn: 600 }, actor),
      ]);
      expect((await b.portal.view(fromA.token)).customer.name).toBe("C1");
      expect((await a.portal.view(fromB.token)).customer.name).toBe("C1");
    } finally {
      await database.close();
    }
  });

  it("comes from TOLLGATE_PORTAL_SECRET when set: links of the stored secret are refused, its own accepted", async () => {
    const stored = await tokenFor("globex");
    const configured = (secret: string) =>
      createEngine({ database: t.database, clock: t.clock, config: { portalSecret: secret } });
    const a = configured("a".repeat(40));
    await expect(a.portal.view(stored)).rejects.toMatchObject({ code: "portal_link_invalid" });
    const minted = await a.portal.mintLink(
      { env: "live", customerId: "globex" },
      { expiresIn: 600 },
      { id: "test", role: "test" },
    );
    expect((await configured("a".repeat(40)).portal.view(minted.token)).plan?.label).toBe("Standard");
    await expect(configured("b".repeat(40)).portal.view(minted.token)).rejects.toMatchObject({
      code: "portal_link_invalid",
    });
  });
});

describe("POST /v1/portal/:token/checkout without a payment provider", () => {
  it("answers payments_disabled for an offered plan, and refuses what the page does not offer", async () => {
    const globex = await tokenFor("globex");
    const checkout = (token: string, planKey: string) =>
      t.call("POST", `/v1/portal/${token}/checkout`, { key: null, body: { planKey } });
    expect((await checkout(globex, "team_pro")).body.error).toMatchObject({ code: "payments_disabled" });
    const notOffered = await checkout(globex, "free");
    expect(notOffered.status).toBe(422);
    expect(notOffered.body.error).toMatchObject({ code: "plan_not_offered", param: "planKey" });
    const acme = await checkout(await tokenFor("acme"), "enterprise");
    expect(acme.status).toBe(422);
    expect(acme.body.error.code).toBe("upgrade_not_available");
    expect((await checkout(flip(globex, 4), "team_pro")).status).toBe(401);
  });
});

it("builds links on TOLLGATE_PUBLIC_URL when it is set", async () => {
  const app = createApp({
    engine: t.engine,
    logger: pino({ level: "silent" }),
    publicUrl: "https://billing.example.com",
  });
  const response = await app.request("/v1/customers/globex/portal-links", {
    method: "POST",
    headers: { authorization: "Bearer tg_demo_live_sk" },
  });
  const body = (await response.json()) as { url: string; token: string };
  expect(body.url).toBe(`https://billing.example.com/portal/${body.token}`);
});

it("the OpenAPI document lists the portal routes, the page's schema, and no key for the token routes", async () => {
  const doc = (await t.call("GET", "/v1/openapi.json", { key: null })).body;
  expect(doc.paths["/v1/customers/{id}/portal-links"].post.responses["201"]).toBeDefined();
  expect(doc.paths["/v1/portal/{token}"].get.security).toEqual([]);
  expect(doc.paths["/v1/portal/{token}/checkout"].post.security).toEqual([]);
  expect(Object.keys(doc.components.schemas.PortalView.properties)).toEqual(
    expect.arrayContaining(["plan", "limits", "features", "credits", "upgrade"]),
  );
});
