import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestApp, type TestApp } from "./testApp";

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(() => t.close());

const reason = "auth test";

/** Every mutating admin route with a body that passes validation, so only the right decides. */
const adminMutations = {
  administer: [
    ["POST", "/v1/admin/features", { key: "auth_feature", name: "Auth feature", type: "boolean", reason }],
    ["POST", "/v1/admin/plans", { key: "auth_plan", name: "Auth plan", basePrice: 100, reason }],
    ["POST", "/v1/admin/plans/team_pro/versions", { name: "Team Pro", basePrice: 5900, reason }],
    ["POST", "/v1/admin/plans/standard/archive", { reason }],
    ["POST", "/v1/admin/provisioning-rules", { domain: "auth.example", planKey: "free", reason }],
    ["POST", "/v1/admin/api-keys", { name: "auth key", type: "secret", env: "live", reason }],
  ],
  operate: [
    ["PUT", "/v1/admin/customers/globex/subscription", { planKey: "enterprise", reason }],
    ["DELETE", "/v1/admin/customers/umbrella/subscription", { reason }],
    ["PUT", "/v1/admin/customers/initech/overrides", { overrides: { seatLimit: 3 }, reason }],
    ["DELETE", "/v1/admin/customers/advisor_grace/overrides", { reason }],
  ],
} as const;

const adminReads = [
  "/v1/admin/features",
  "/v1/admin/plans",
  "/v1/admin/plans/team_pro",
  "/v1/admin/customers",
  "/v1/admin/customers?custom=true",
  "/v1/admin/customers/acme/overrides",
  "/v1/admin/customers/acme/history",
  "/v1/admin/audit",
  "/v1/admin/provisioning-rules",
];

describe("without a valid key", () => {
  it("/healthz answers 200 {ok:true} without a key", async () => {
    const r = await t.call("GET", "/healthz", { key: null });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ ok: true });
  });

  it.each([
    ["GET", "/v1/customers/acme"],
    ["POST", "/v1/check"],
    ["GET", "/v1/admin/features"],
    ["POST", "/v1/admin/features"],
  ])("%s %s with no key → 401 authentication", async (method, path) => {
    const before = await t.snapshot();
    const r = await t.call(method, path, {
      key: null,
      body: method === "POST" ? { key: "x", name: "x", type: "boolean", reason } : undefined,
    });
    expect(r.status).toBe(401);
    expect(r.body.error.type).toBe("authentication");
    expect(r.body.error.code).toBe("missing_api_key");
    expect(await t.snapshot()).toEqual(before);
  });

  it("a non-Bearer Authorization header is a missing key → 401", async () => {
    const r = await t.call("GET", "/v1/customers/acme", {
      key: null,
      headers: { authorization: "Basic dGdfZGVtb19saXZlX3NrOg==" },
    });
    expect(r.status).toBe(401);
    expect(r.body.error.type).toBe("authentication");
  });

  it.each(["tg_live_sk_not_a_real_key", "TG_DEMO_ADMIN", "tg_demo_admin_"])(
    "bad key %j → 401 invalid_api_key, no data",
    async (secret) => {
      for (const path of ["/v1/customers/acme", "/v1/admin/customers"]) {
        const r = await t.call("GET", path, { key: secret });
        expect(r.status).toBe(401);
        expect(r.body.error).toMatchObject({ type: "authentication", code: "invalid_api_key" });
        expect(JSON.stringify(r.body)).not.toContain("Acme");
      }
    },
  );
});

describe("secret keys", () => {
  it.each(["liveSecret", "testSecret"] as const)("%s on /v1/admin/* → 403 permission", async (key) => {
    const before = await t.snapshot();
    for (const path of adminReads) {
      const r = await t.call("GET", path, { key });
      expect(r.status, path).toBe(403);
      expect(r.body.error.type).toBe("permission");
      expect(r.body.error.code).toBe("insufficient_permissions");
    }
    for (const [method, path, body] of [...adminMutations.administer, ...adminMutations.operate]) {
      const r = await t.call(method, path, { key, body });
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body.error.type).toBe("permission");
    }
    expect(await t.snapshot()).toEqual(before);
  });

  it("a live secret key reads a live customer", async () => {
    const r = await t.call("GET", "/v1/customers/acme", { key: "liveSecret" });
    expect(r.status).toBe(200);
    expect(r.body.name).toBe("Acme Corp");
  });

  it("a test secret key cannot read a live customer: 404 in its own environment, 403 when it asks for live", async () => {
    const own = await t.call("GET", "/v1/customers/acme", { key: "testSecret" });
    expect(own.status).toBe(404);
    expect(own.body.error).toMatchObject({ type: "not_found", code: "customer_not_found" });

    const entitlements = await t.call("GET", "/v1/customers/acme/entitlements", { key: "testSecret" });
    expect(entitlements.status).toBe(404);
    expect(entitlements.body.error.code).toBe("customer_not_found");

    const check = await t.call("POST", "/v1/check", {
      key: "testSecret",
      body: { customerId: "acme", feature: "ai_chat" },
    });
    expect(check.status).toBe(404);
    expect(check.body.error.code).toBe("customer_not_found");

    for (const path of ["/v1/customers/acme?env=live", "/v1/customers/acme/entitlements?env=live"]) {
      const r = await t.call("GET", path, { key: "testSecret" });
      expect(r.status, path).toBe(403);
      expect(r.body.error.type).toBe("permission");
    }
    const liveCheck = await t.call("POST", "/v1/check", {
      key: "testSecret",
      body: { customerId: "acme", feature: "ai_chat", env: "live" },
    });
    expect(liveCheck.status).toBe(403);

    for (const r of [own, entitlements, check, liveCheck]) {
      const text = JSON.stringify(r.body);
      expect(text).not.toContain("Acme Corp");
      expect(text).not.toContain("billing@acme.example");
      expect(text).not.toContain("team_pro");
      expect(r.body).not.toHaveProperty("entitlements");
      expect(r.body).not.toHaveProperty("allowed");
    }
  });

  it("a test secret key's customer with a live customer's id is a different customer", async () => {
    const created = await t.call("POST", "/v1/customers", {
      key: "testSecret",
      body: { id: "acme", name: "Acme in test" },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: "acme", env: "test", name: "Acme in test" });
    const asTest = await t.call("GET", "/v1/customers/acme", { key: "testSecret" });
    expect(asTest.body).toMatchObject({ env: "test", name: "Acme in test", subscription: null });
    const asLive = await t.call("GET", "/v1/customers/acme", { key: "liveSecret" });
    expect(asLive.body).toMatchObject({ env: "live", name: "Acme Corp" });
    // And a live key cannot reach the test customer.
    const cross = await t.call("GET", "/v1/customers/acme?env=test", { key: "liveSecret" });
    expect(cross.status).toBe(403);
  });
});

describe("admin roles", () => {
  it("a viewer reads every admin list but not the API keys", async () => {
    for (const path of adminReads) {
      const r = await t.call("GET", path, { key: "viewer" });
      expect(r.status, path).toBe(200);
    }
    const keys = await t.call("GET", "/v1/admin/api-keys", { key: "viewer" });
    expect(keys.status).toBe(403);
    expect(keys.body.error.type).toBe("permission");
  });

  it("a viewer cannot change anything: every admin mutation and the public upsert → 403, nothing written", async () => {
    const before = await t.snapshot();
    for (const [method, path, body] of [...adminMutations.administer, ...adminMutations.operate]) {
      const r = await t.call(method, path, { key: "viewer", body });
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body.error).toMatchObject({ type: "permission", code: "insufficient_permissions" });
    }
    const upsert = await t.call("POST", "/v1/customers", { key: "viewer", body: { id: "viewer_made" } });
    expect(upsert.status).toBe(403);
    // An invalid body still answers 403: the right is checked before the body.
    const invalid = await t.call("POST", "/v1/admin/plans", { key: "viewer", body: { basePrice: -1 } });
    expect(invalid.status).toBe(403);
    expect(await t.snapshot()).toEqual(before);
  });

  it("a viewer may still ask /v1/check, which never records anything", async () => {
    const before = await t.snapshot();
    const r = await t.call("POST", "/v1/check", {
      key: "viewer",
      body: { customerId: "acme", feature: "sso" },
    });
    expect(r.status).toBe(200);
    expect(r.body.allowed).toBe(true);
    expect(await t.snapshot()).toEqual(before);
  });

  it("an operator cannot change the catalog, rules or keys, nor list keys", async () => {
    const before = await t.snapshot();
    for (const [method, path, body] of adminMutations.administer) {
      const r = await t.call(method, path, { key: "operator", body });
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body.error.type).toBe("permission");
    }
    expect((await t.call("GET", "/v1/admin/api-keys", { key: "operator" })).status).toBe(403);
    expect(await t.snapshot()).toEqual(before);
  });

  it("an operator reads, and changes customers' plans and overrides", async () => {
    for (const path of adminReads) {
      expect((await t.call("GET", path, { key: "operator" })).status, path).toBe(200);
    }
    for (const [method, path, body] of adminMutations.operate) {
      const r = await t.call(method, path, { key: "operator", body });
      expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBe(200);
    }
    const upsert = await t.call("POST", "/v1/customers", { key: "operator", body: { id: "operator_made" } });
    expect(upsert.status).toBe(201);
    const audit = await t.call("GET", "/v1/admin/audit?action=overrides.set&customer=initech");
    expect(audit.body.data[0]).toMatchObject({ actorRole: "operator", reason });
  });

  it("an admin does everything; a key it creates shows its secret once and then works", async () => {
    for (const [method, path, body] of adminMutations.administer) {
      const r = await t.call(method, path, { key: "admin", body });
      expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
    }
    const created = await t.call("POST", "/v1/admin/api-keys", {
      body: { name: "created viewer", type: "admin", role: "viewer", env: "live", reason },
    });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^tg_live_admin_/);
    const list = await t.call("GET", "/v1/admin/api-keys");
    expect(list.status).toBe(200);
    const text = JSON.stringify(list.body);
    expect(text).not.toContain(created.body.secret);
    expect(text).not.toContain("secretHash");
    expect(list.body.data.map((k: { id: string }) => k.id)).toContain(created.body.id);
    const asNewViewer = await t.call("GET", "/v1/admin/features", { key: created.body.secret });
    expect(asNewViewer.status).toBe(200);
    const mutateAsNewViewer = await t.call("POST", "/v1/admin/features", {
      key: created.body.secret,
      body: { key: "never_made", name: "x", type: "boolean", reason },
    });
    expect(mutateAsNewViewer.status).toBe(403);
  });
});

describe("revoking a key", () => {
  it("refuses it from the next request on, keeps it listed, audits once, and needs a reason and the administer right", async () => {
    const created = await t.call("POST", "/v1/admin/api-keys", {
      body: { name: "leaked", type: "secret", env: "live", reason },
    });
    const { id, secret } = created.body;
    // Used once, so this process holds it at hand.
    expect((await t.call("GET", "/v1/customers/acme", { key: secret })).status).toBe(200);

    const before = await t.snapshot();
    const withoutReason = await t.call("DELETE", `/v1/admin/api-keys/${id}`);
    expect(withoutReason.status).toBe(400);
    expect(withoutReason.body.error.param).toBe("reason");
    const asOperator = await t.call("DELETE", `/v1/admin/api-keys/${id}`, {
      key: "operator",
      body: { reason },
    });
    expect(asOperator.status).toBe(403);
    const unknown = await t.call("DELETE", "/v1/admin/api-keys/key_nope", { body: { reason } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: "api_key_not_found", param: "id" });
    expect(await t.snapshot()).toEqual(before);
    expect((await t.call("GET", "/v1/customers/acme", { key: secret })).status).toBe(200);

    // The reason may come in the query, for clients that send no body on DELETE.
    const revoked = await t.call("DELETE", `/v1/admin/api-keys/${id}?reason=leaked%20in%20a%20log`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id, name: "leaked", revokedAt: expect.any(String) });
    expect(JSON.stringify(revoked.body)).not.toContain(secret);
    const refused = await t.call("GET", "/v1/customers/acme", { key: secret });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe("invalid_api_key");

    // Again: nothing changes, and no second audit entry.
    const again = await t.call("DELETE", `/v1/admin/api-keys/${id}`, { body: { reason } });
    expect(again.status).toBe(200);
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
    const audit = await t.call("GET", "/v1/admin/audit?action=api_key.revoked");
    const entries = audit.body.data.filter((e: { targetId: string }) => e.targetId === id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ reason: "leaked in a log", before: { revokedAt: null } });
    expect(entries[0].after.revokedAt).toBe(revoked.body.revokedAt);
    const list = await t.call("GET", "/v1/admin/api-keys");
    expect(list.body.data.find((k: { id: string }) => k.id === id)).toMatchObject({
      revokedAt: revoked.body.revokedAt,
    });
  });
});

describe("documents and unknown routes", () => {
  it("/v1/openapi.json is an OpenAPI 3.1.0 document with the documented paths, without a key", async () => {
    const response = await t.app.request("/v1/openapi.json");
    expect(response.status).toBe(200);
    const doc = JSON.parse(await response.text());
    expect(doc.openapi).toBe("3.1.0");
    const paths = Object.keys(doc.paths);
    for (const path of [
      "/v1/customers",
      "/v1/customers/{id}",
      "/v1/customers/{id}/entitlements",
      "/v1/check",
      "/v1/admin/features",
      "/v1/admin/plans",
      "/v1/admin/plans/{key}",
      "/v1/admin/plans/{key}/versions",
      "/v1/admin/plans/{key}/archive",
      "/v1/admin/customers",
      "/v1/admin/customers/{id}/subscription",
      "/v1/admin/customers/{id}/overrides",
      "/v1/admin/customers/{id}/history",
      "/v1/admin/audit",
      "/v1/admin/provisioning-rules",
      "/v1/admin/api-keys",
      "/v1/admin/api-keys/{id}",
    ]) {
      expect(paths, path).toContain(path);
    }
    expect(Object.keys(doc.paths["/v1/admin/api-keys/{id}"])).toEqual(["delete"]);
    expect(Object.keys(doc.paths["/v1/admin/customers/{id}/overrides"])).toEqual(
      expect.arrayContaining(["get", "put", "delete"]),
    );
    expect(Object.keys(doc.paths["/v1/admin/customers/{id}/subscription"])).toEqual(
      expect.arrayContaining(["put", "delete"]),
    );
  });

  it("an unknown route → 404 route_not_found", async () => {
    for (const [method, path] of [
      ["GET", "/v1/nope"],
      ["PATCH", "/v1/customers"],
      ["GET", "/v1/admin/nope"],
    ] as const) {
      const r = await t.call(method, path);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.error).toMatchObject({ type: "not_found", code: "route_not_found" });
    }
    const outside = await t.call("GET", "/nope", { key: null });
    expect(outside.status).toBe(404);
    expect(outside.body.error.code).toBe("route_not_found");
  });

  it("an unknown /v1 route without a key is refused before anything is said about routes", async () => {
    const r = await t.call("GET", "/v1/nope", { key: null });
    expect(r.status).toBe(401);
  });
});

describe("/docs", () => {
  it("renders Swagger UI from assets this server serves, with no CDN", async () => {
    const page = await t.app.request("/docs");
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain("/docs/assets/swagger-ui-dist/swagger-ui-bundle.js");
    expect(html).not.toMatch(/https?:\/\//);
    const script = await t.app.request("/docs/assets/swagger-ui-dist/swagger-ui-bundle.js");
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toContain("javascript");
    expect((await script.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
    expect((await t.app.request("/docs/assets/swagger-ui-dist/..%2Fpackage.json")).status).toBe(404);
  });
});
