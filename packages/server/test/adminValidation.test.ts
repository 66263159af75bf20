import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestApp, type TestApp } from "./testApp";

let t: TestApp;
let adminKeyId: string;
beforeAll(async () => {
  t = await openTestApp();
  const keys = await t.call("GET", "/v1/admin/api-keys");
  adminKeyId = keys.body.data.find((k: { name: string }) => k.name === "demo admin").id;
});
afterAll(() => t.close());

const reason = "validation test";
const past = "2026-06-01T00:00:00Z";

interface Request {
  method: string;
  path: string;
  body?: unknown;
}

interface Refusal {
  name: string;
  request: Request;
  status: 400 | 404 | 409 | 422;
  param: string;
  code?: string;
}

interface RouteSpec {
  route: string;
  /** Requests that say no reason (absent, empty or blank). */
  withoutReason: Request[];
  refusals: Refusal[];
  valid: Request & { status: 200 | 201 };
  action: string;
  // biome-ignore lint/suspicious/noExplicitAny: audit entries and answers are arbitrary JSON
  checkAudit: (entry: any, answer: any) => void;
}

/** Sends a request that must be refused with `status` naming `param`, and shows nothing changed. */
async function expectRefused(request: Request, status: number, param: string, code?: string) {
  const before = await t.snapshot();
  const auditBefore = await t.call("GET", "/v1/admin/audit?limit=1");
  const r = await t.call(request.method, request.path, { body: request.body });
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.body.error.param).toBe(param);
  if (code) expect(r.body.error.code).toBe(code);
  expect(r.body.error.message).toEqual(expect.any(String));
  if (status === 400 || status === 422) expect(r.body.error.type).toBe("invalid_request");
  expect(await t.snapshot()).toEqual(before);
  expect((await t.call("GET", "/v1/admin/audit?limit=1")).body).toEqual(auditBefore.body);
}

const routes: RouteSpec[] = [
  {
    route: "POST /v1/admin/features",
    withoutReason: [
      {
        method: "POST",
        path: "/v1/admin/features",
        body: { key: "val_feature", name: "V", type: "boolean" },
      },
      {
        method: "POST",
        path: "/v1/admin/features",
        body: { key: "val_feature", name: "V", type: "boolean", reason: "" },
      },
    ],
    refusals: [
      {
        name: "unknown type",
        request: {
          method: "POST",
          path: "/v1/admin/features",
          body: { key: "val_feature", name: "V", type: "bogus", reason },
        },
        status: 400,
        param: "type",
      },
      {
        name: "key not in the key alphabet",
        request: {
          method: "POST",
          path: "/v1/admin/features",
          body: { key: "Val Feature", name: "V", type: "boolean", reason },
        },
        status: 400,
        param: "key",
      },
      {
        name: "aggregation on a boolean feature",
        request: {
          method: "POST",
          path: "/v1/admin/features",
          body: { key: "val_feature", name: "V", type: "boolean", aggregation: "sum", reason },
        },
        status: 400,
        param: "aggregation",
      },
      {
        name: "an existing key",
        request: {
          method: "POST",
          path: "/v1/admin/features",
          body: { key: "ai_chat", name: "Dup", type: "boolean", reason },
        },
        status: 409,
        param: "key",
        code: "feature_exists",
      },
    ],
    valid: {
      method: "POST",
      path: "/v1/admin/features",
      body: { key: "val_feature", name: "Validated", type: "metered", unit: "call", reason },
      status: 201,
    },
    action: "feature.created",
    checkAudit: (entry, answer) => {
      expect(answer).toMatchObject({ key: "val_feature", type: "metered", aggregation: "sum" });
      expect(entry.before).toBeNull();
      expect(entry.after).toMatchObject({ key: "val_feature", name: "Validated", unit: "call" });
    },
  },
  {
    route: "POST /v1/admin/plans",
    withoutReason: [
      {
        method: "POST",
        path: "/v1/admin/plans",
        body: { key: "val_plan", name: "Val plan", basePrice: 1500 },
      },
      {
        method: "POST",
        path: "/v1/admin/plans",
        body: { key: "val_plan", name: "Val plan", basePrice: 1500, reason: "   " },
      },
    ],
    refusals: [
      {
        name: "negative basePrice",
        request: {
          method: "POST",
          path: "/v1/admin/plans",
          body: { key: "val_plan", name: "V", basePrice: -1, reason },
        },
        status: 400,
        param: "basePrice",
      },
      {
        name: "fractional basePrice",
        request: {
          method: "POST",
          path: "/v1/admin/plans",
          body: { key: "val_plan", name: "V", basePrice: 19.99, reason },
        },
        status: 400,
        param: "basePrice",
      },
      {
        name: "unknown enforcement mode",
        request: {
          method: "POST",
          path: "/v1/admin/plans",
          body: {
            key: "val_plan",
            name: "V",
            entitlements: { ai_tokens: { limit: 10, enforcement: "explode" } },
            reason,
          },
        },
        status: 400,
        param: "entitlements.ai_tokens.enforcement",
      },
      {
        name: "unknown feature in entitlements",
        request: {
          method: "POST",
          path: "/v1/admin/plans",
          body: { key: "val_plan", name: "V", entitlements: { teleport: { enabled: true } }, reason },
        },
        status: 422,
        param: "entitlements.teleport",
        code: "unknown_feature",
      },
      {
        name: "billable overage without an overage price",
        request: {
          method: "POST",
          path: "/v1/admin/plans",
          body: {
            key: "val_plan",
            name: "V",
            entitlements: { ai_tokens: { limit: 10, enforcement: "billable_overage" } },
            reason,
          },
        },
        status: 422,
        param: "entitlements.ai_tokens.overage",
        code: "overage_price_required",
      },
      {
        name: "paid custom plan under $50 (the plan row must roll back with its version)",
        request: {
          method: "POST",
          path: "/v1/admin/plans",
          body: {
            key: "val_custom",
            name: "Cheap deal",
            kind: "custom",
            custom: true,
            customerId: "initech",
            basePrice: 4999,
            reason,
          },
        },
        status: 422,
        param: "basePrice",
        code: "custom_plan_below_minimum",
      },
      {
        name: "custom plan without its customer",
        request: {
          method: "POST",
          path: "/v1/admin/plans",
          body: { key: "val_custom", name: "C", custom: true, basePrice: 9900, reason },
        },
        status: 422,
        param: "customerId",
        code: "customer_required",
      },
      {
        name: "custom plan for an unknown customer",
        request: {
          method: "POST",
          path: "/v1/admin/plans",
          body: { key: "val_custom", name: "C", custom: true, customerId: "nobody", basePrice: 9900, reason },
        },
        status: 404,
        param: "customerId",
        code: "customer_not_found",
      },
      {
        name: "an existing key",
        request: {
          method: "POST",
          path: "/v1/admin/plans",
          body: { key: "team_pro", name: "Again", reason },
        },
        status: 409,
        param: "key",
        code: "plan_exists",
      },
    ],
    valid: {
      method: "POST",
      path: "/v1/admin/plans",
      body: {
        key: "val_plan",
        name: "Val plan",
        basePrice: 1500,
        entitlements: { ai_tokens: { limit: 1000, enforcement: "block" }, sso: { enabled: true } },
        reason,
      },
      status: 201,
    },
    action: "plan.created",
    checkAudit: (entry, answer) => {
      expect(answer.plan).toMatchObject({ key: "val_plan", isCustom: false });
      expect(answer.version).toMatchObject({ version: 1, basePrice: 1500 });
      expect(entry.planKey).toBe("val_plan");
      expect(entry.before).toBeNull();
      expect(entry.after).toMatchObject({ key: "val_plan", name: "Val plan" });
    },
  },
  {
    route: "POST /v1/admin/plans/:key/versions",
    withoutReason: [
      {
        method: "POST",
        path: "/v1/admin/plans/team_pro/versions",
        body: { name: "Team Pro", basePrice: 5900 },
      },
    ],
    refusals: [
      {
        name: "unknown feature in entitlements",
        request: {
          method: "POST",
          path: "/v1/admin/plans/team_pro/versions",
          body: { name: "Team Pro", entitlements: { teleport: { enabled: true } }, reason },
        },
        status: 422,
        param: "entitlements.teleport",
        code: "unknown_feature",
      },
      {
        name: "a limit on a boolean feature",
        request: {
          method: "POST",
          path: "/v1/admin/plans/team_pro/versions",
          body: { name: "Team Pro", entitlements: { sso: { limit: 5 } }, reason },
        },
        status: 422,
        param: "entitlements.sso.limit",
        code: "limit_on_unmetered_feature",
      },
      {
        name: "effectiveTo before effectiveFrom",
        request: {
          method: "POST",
          path: "/v1/admin/plans/team_pro/versions",
          body: {
            name: "Team Pro",
            effectiveFrom: "2026-09-01T00:00:00Z",
            effectiveTo: "2026-08-01T00:00:00Z",
            reason,
          },
        },
        status: 422,
        param: "effectiveTo",
        code: "invalid_effective_range",
      },
      {
        name: "unknown interval",
        request: {
          method: "POST",
          path: "/v1/admin/plans/team_pro/versions",
          body: { name: "Team Pro", interval: "week", reason },
        },
        status: 400,
        param: "interval",
      },
      {
        name: "unknown trial fallback plan",
        request: {
          method: "POST",
          path: "/v1/admin/plans/team_pro/versions",
          body: { name: "Team Pro", trial: { days: 14, fallbackPlan: "nope" }, reason },
        },
        status: 422,
        param: "trial.fallbackPlan",
        code: "unknown_plan",
      },
      {
        name: "unknown plan",
        request: { method: "POST", path: "/v1/admin/plans/nope/versions", body: { name: "Nope", reason } },
        status: 404,
        param: "key",
        code: "plan_not_found",
      },
    ],
    valid: {
      method: "POST",
      path: "/v1/admin/plans/team_pro/versions",
      body: {
        name: "Team Pro",
        basePrice: 5900,
        entitlements: { ai_chat: { enabled: true }, sso: { enabled: true } },
        reason,
      },
      status: 201,
    },
    action: "plan.version_published",
    checkAudit: (entry, answer) => {
      expect(answer).toMatchObject({ planKey: "team_pro", version: 2, basePrice: 5900 });
      expect(entry.planKey).toBe("team_pro");
      expect(entry.before).toBeNull();
      expect(entry.after).toMatchObject({ id: "pv_team_pro_2", version: 2, basePrice: 5900 });
    },
  },
  {
    route: "POST /v1/admin/plans/:key/archive",
    withoutReason: [
      { method: "POST", path: "/v1/admin/plans/personal_standard/archive", body: {} },
      { method: "POST", path: "/v1/admin/plans/personal_standard/archive", body: { reason: "" } },
    ],
    refusals: [
      {
        name: "a reason over 500 characters",
        request: {
          method: "POST",
          path: "/v1/admin/plans/personal_standard/archive",
          body: { reason: "x".repeat(501) },
        },
        status: 400,
        param: "reason",
      },
      {
        name: "a path key outside the key alphabet",
        request: { method: "POST", path: "/v1/admin/plans/Not%20A%20Key/archive", body: { reason } },
        status: 400,
        param: "key",
      },
      {
        name: "unknown plan",
        request: { method: "POST", path: "/v1/admin/plans/nope/archive", body: { reason } },
        status: 404,
        param: "key",
        code: "plan_not_found",
      },
    ],
    valid: {
      method: "POST",
      path: "/v1/admin/plans/personal_standard/archive",
      body: { reason },
      status: 200,
    },
    action: "plan.archived",
    checkAudit: (entry, answer) => {
      expect(answer).toMatchObject({ key: "personal_standard", archivedAt: expect.any(String) });
      expect(entry.before).toMatchObject({ key: "personal_standard", archivedAt: null });
      expect(entry.after).toMatchObject({ key: "personal_standard", archivedAt: expect.any(String) });
    },
  },
  {
    route: "PUT /v1/admin/customers/:id/subscription",
    withoutReason: [
      { method: "PUT", path: "/v1/admin/customers/globex/subscription", body: { planKey: "enterprise" } },
    ],
    refusals: [
      {
        name: "version 0",
        request: {
          method: "PUT",
          path: "/v1/admin/customers/globex/subscription",
          body: { planKey: "enterprise", version: 0, reason },
        },
        status: 400,
        param: "version",
      },
      {
        name: "unknown env",
        request: {
          method: "PUT",
          path: "/v1/admin/customers/globex/subscription",
          body: { planKey: "enterprise", env: "staging", reason },
        },
        status: 400,
        param: "env",
      },
      {
        name: "a back-dated change",
        request: {
          method: "PUT",
          path: "/v1/admin/customers/globex/subscription",
          body: { planKey: "enterprise", effectiveAt: past, reason },
        },
        status: 422,
        param: "effectiveAt",
        code: "effective_at_in_past",
      },
      {
        name: "another customer's custom plan",
        request: {
          method: "PUT",
          path: "/v1/admin/customers/globex/subscription",
          body: { planKey: "cronicorn_custom", reason },
        },
        status: 422,
        param: "planKey",
        code: "plan_not_owned",
      },
      {
        name: "unknown plan",
        request: {
          method: "PUT",
          path: "/v1/admin/customers/globex/subscription",
          body: { planKey: "nope", reason },
        },
        status: 404,
        param: "planKey",
        code: "plan_not_found",
      },
      {
        name: "unknown version",
        request: {
          method: "PUT",
          path: "/v1/admin/customers/globex/subscription",
          body: { planKey: "enterprise", version: 99, reason },
        },
        status: 404,
        param: "version",
        code: "plan_version_not_found",
      },
    ],
    valid: {
      method: "PUT",
      path: "/v1/admin/customers/globex/subscription",
      body: { planKey: "enterprise", reason },
      status: 200,
    },
    action: "subscription.assigned",
    checkAudit: (entry, answer) => {
      expect(answer).toMatchObject({ change: "upgrade", scheduled: false });
      expect(answer.subscription).toMatchObject({ planKey: "enterprise", customerId: "globex" });
      expect(entry.customerId).toBe("globex");
      expect(entry.before).toMatchObject({ planKey: "standard", planVersion: 1 });
      expect(entry.after).toMatchObject({ planKey: "enterprise", planVersion: 1, change: "upgrade" });
    },
  },
  {
    route: "DELETE /v1/admin/customers/:id/subscription",
    withoutReason: [
      { method: "DELETE", path: "/v1/admin/customers/umbrella/subscription" },
      { method: "DELETE", path: "/v1/admin/customers/umbrella/subscription", body: {} },
      { method: "DELETE", path: "/v1/admin/customers/umbrella/subscription?reason=" },
    ],
    refusals: [
      {
        name: "a blank reason",
        request: {
          method: "DELETE",
          path: "/v1/admin/customers/umbrella/subscription",
          body: { reason: "  " },
        },
        status: 400,
        param: "reason",
      },
      {
        name: "unknown env",
        request: {
          method: "DELETE",
          path: "/v1/admin/customers/umbrella/subscription?env=staging",
          body: { reason },
        },
        status: 400,
        param: "env",
      },
      {
        name: "unknown customer",
        request: { method: "DELETE", path: "/v1/admin/customers/nobody/subscription", body: { reason } },
        status: 404,
        param: "customerId",
        code: "customer_not_found",
      },
    ],
    valid: {
      method: "DELETE",
      path: "/v1/admin/customers/umbrella/subscription",
      body: { reason },
      status: 200,
    },
    action: "subscription.canceled",
    checkAudit: (entry, answer) => {
      expect(answer).toMatchObject({ canceledAt: expect.any(String), effectiveTo: expect.any(String) });
      expect(entry.customerId).toBe("umbrella");
      expect(entry.before).toMatchObject({ planKey: "enterprise", status: "active" });
      expect(entry.after).toMatchObject({ planKey: "enterprise", status: "canceled" });
    },
  },
  {
    route: "PUT /v1/admin/customers/:id/overrides",
    withoutReason: [
      { method: "PUT", path: "/v1/admin/customers/initech/overrides", body: { overrides: { seatLimit: 3 } } },
    ],
    refusals: [
      {
        name: "unknown feature in additionalFeatures",
        request: {
          method: "PUT",
          path: "/v1/admin/customers/initech/overrides",
          body: { overrides: { additionalFeatures: ["sso", "teleport"] }, reason },
        },
        status: 422,
        param: "overrides.additionalFeatures.1",
        code: "unknown_feature",
      },
      {
        name: "unknown feature in entitlements",
        request: {
          method: "PUT",
          path: "/v1/admin/customers/initech/overrides",
          body: { overrides: { entitlements: { teleport: { limit: 5 } } }, reason },
        },
        status: 422,
        param: "overrides.entitlements.teleport",
        code: "unknown_feature",
      },
      {
        name: "a limit on a boolean feature",
        request: {
          method: "PUT",
          path: "/v1/admin/customers/initech/overrides",
          body: { overrides: { entitlements: { sso: { limit: 5 } } }, reason },
        },
        status: 422,
        param: "overrides.entitlements.sso.limit",
        code: "limit_on_unmetered_feature",
      },
      {
        name: "seatLimit below -1",
        request: {
          method: "PUT",
          path: "/v1/admin/customers/initech/overrides",
          body: { overrides: { seatLimit: -5 }, reason },
        },
        status: 400,
        param: "overrides.seatLimit",
      },
      {
        name: "an unknown override field",
        request: {
          method: "PUT",
          path: "/v1/admin/customers/initech/overrides",
          body: { overrides: { freeMoney: true }, reason },
        },
        status: 400,
        param: "overrides.freeMoney",
      },
      {
        name: "a back-dated set",
        request: {
          method: "PUT",
          path: "/v1/admin/customers/initech/overrides",
          body: { overrides: { seatLimit: 3 }, effectiveFrom: past, reason },
        },
        status: 422,
        param: "effectiveFrom",
        code: "effective_at_in_past",
      },
      {
        name: "unknown base plan",
        request: {
          method: "PUT",
          path: "/v1/admin/customers/initech/overrides",
          body: { overrides: { basePlanId: "nope" }, reason },
        },
        status: 404,
        param: "overrides.basePlanId",
        code: "plan_not_found",
      },
    ],
    valid: {
      method: "PUT",
      path: "/v1/admin/customers/initech/overrides",
      body: {
        overrides: { seatLimit: 3, additionalFeatures: ["sso"], planLabel: "Initech Special" },
        reason,
      },
      status: 200,
    },
    action: "overrides.set",
    checkAudit: (entry, answer) => {
      expect(answer).toMatchObject({ customerId: "initech", overrides: { seatLimit: 3 }, reason });
      expect(entry.customerId).toBe("initech");
      expect(entry.before).toBeNull();
      expect(entry.after).toMatchObject({
        overrides: { seatLimit: 3, additionalFeatures: ["sso"], planLabel: "Initech Special" },
      });
    },
  },
  {
    route: "DELETE /v1/admin/customers/:id/overrides",
    withoutReason: [
      { method: "DELETE", path: "/v1/admin/customers/acme/overrides" },
      { method: "DELETE", path: "/v1/admin/customers/acme/overrides", body: { other: "field" } },
    ],
    refusals: [
      {
        name: "unknown env",
        request: {
          method: "DELETE",
          path: `/v1/admin/customers/acme/overrides?env=staging&reason=${encodeURIComponent(reason)}`,
        },
        status: 400,
        param: "env",
      },
      {
        name: "a reason over 500 characters in the query",
        request: { method: "DELETE", path: `/v1/admin/customers/acme/overrides?reason=${"x".repeat(501)}` },
        status: 400,
        param: "reason",
      },
      {
        name: "unknown customer",
        request: { method: "DELETE", path: "/v1/admin/customers/nobody/overrides", body: { reason } },
        status: 404,
        param: "customerId",
        code: "customer_not_found",
      },
    ],
    valid: {
      method: "DELETE",
      path: `/v1/admin/customers/acme/overrides?reason=${encodeURIComponent(reason)}`,
      status: 200,
    },
    action: "overrides.cleared",
    checkAudit: (entry, answer) => {
      expect(answer).toEqual({ cleared: true, customerId: "acme" });
      expect(entry.customerId).toBe("acme");
      expect(entry.before).toMatchObject({ overrides: { planLabel: "Acme Corp Enterprise" } });
      expect(entry.after).toBeNull();
    },
  },
  {
    route: "POST /v1/admin/provisioning-rules",
    withoutReason: [
      {
        method: "POST",
        path: "/v1/admin/provisioning-rules",
        body: { domain: "val.example", planKey: "free" },
      },
    ],
    refusals: [
      {
        name: "not an email domain",
        request: {
          method: "POST",
          path: "/v1/admin/provisioning-rules",
          body: { domain: "not a domain", planKey: "free", reason },
        },
        status: 400,
        param: "domain",
      },
      {
        name: "unknown feature in the overrides",
        request: {
          method: "POST",
          path: "/v1/admin/provisioning-rules",
          body: {
            domain: "val.example",
            planKey: "free",
            overrides: { additionalFeatures: ["teleport"] },
            reason,
          },
        },
        status: 422,
        param: "overrides.additionalFeatures.0",
        code: "unknown_feature",
      },
      {
        name: "unknown plan",
        request: {
          method: "POST",
          path: "/v1/admin/provisioning-rules",
          body: { domain: "val.example", planKey: "nope", reason },
        },
        status: 404,
        param: "planKey",
        code: "plan_not_found",
      },
      {
        name: "a domain that has a rule",
        request: {
          method: "POST",
          path: "/v1/admin/provisioning-rules",
          body: { domain: "tollgate.dev", planKey: "free", reason },
        },
        status: 409,
        param: "domain",
        code: "rule_exists",
      },
    ],
    valid: {
      method: "POST",
      path: "/v1/admin/provisioning-rules",
      body: { domain: "Val.Example", planKey: "free", overrides: { planLabel: "Val Free" }, reason },
      status: 201,
    },
    action: "provisioning_rule.created",
    checkAudit: (entry, answer) => {
      expect(answer).toMatchObject({ domain: "val.example", planKey: "free" });
      expect(entry.planKey).toBe("free");
      expect(entry.before).toBeNull();
      expect(entry.after).toMatchObject({ domain: "val.example", overrides: { planLabel: "Val Free" } });
    },
  },
  {
    route: "POST /v1/admin/api-keys",
    withoutReason: [
      { method: "POST", path: "/v1/admin/api-keys", body: { name: "val key", type: "secret", env: "test" } },
    ],
    refusals: [
      {
        name: "unknown type",
        request: { method: "POST", path: "/v1/admin/api-keys", body: { name: "k", type: "root", reason } },
        status: 400,
        param: "type",
      },
      {
        name: "a role on a secret key",
        request: {
          method: "POST",
          path: "/v1/admin/api-keys",
          body: { name: "k", type: "secret", role: "admin", reason },
        },
        status: 400,
        param: "role",
      },
      {
        name: "unknown env",
        request: {
          method: "POST",
          path: "/v1/admin/api-keys",
          body: { name: "k", type: "secret", env: "staging", reason },
        },
        status: 400,
        param: "env",
      },
      {
        name: "unknown role",
        request: {
          method: "POST",
          path: "/v1/admin/api-keys",
          body: { name: "k", type: "admin", role: "root", reason },
        },
        status: 400,
        param: "role",
      },
    ],
    valid: {
      method: "POST",
      path: "/v1/admin/api-keys",
      body: { name: "val key", type: "admin", role: "operator", env: "test", reason },
      status: 201,
    },
    action: "api_key.created",
    checkAudit: (entry, answer) => {
      expect(answer).toMatchObject({ name: "val key", type: "admin", role: "operator", env: "test" });
      expect(answer.secret).toEqual(expect.any(String));
      expect(entry.before).toBeNull();
      expect(entry.after).toMatchObject({ id: answer.id, role: "operator" });
      expect(JSON.stringify(entry)).not.toContain(answer.secret);
      expect(entry.after).not.toHaveProperty("secretHash");
    },
  },
];

describe.each(routes)("$route", (spec) => {
  it("refuses a request without a reason: 400 param reason, nothing changes", async () => {
    for (const request of spec.withoutReason) {
      await expectRefused(request, 400, "reason");
    }
  });

  it.each(spec.refusals)("refuses $name: $status param $param, nothing changes", async (refusal) => {
    await expectRefused(refusal.request, refusal.status, refusal.param, refusal.code);
  });

  it("with a reason, succeeds and writes an audit entry with actor, action, before, after and reason", async () => {
    const r = await t.call(spec.valid.method, spec.valid.path, { body: spec.valid.body });
    expect(r.status, JSON.stringify(r.body)).toBe(spec.valid.status);
    const audit = await t.call("GET", `/v1/admin/audit?action=${spec.action}&limit=1`, { key: "viewer" });
    expect(audit.status).toBe(200);
    const [entry] = audit.body.data;
    expect(entry).toMatchObject({
      actorId: adminKeyId,
      actorRole: "admin",
      action: spec.action,
      reason,
      requestId: r.headers.get("x-request-id"),
    });
    expect(entry).toHaveProperty("before");
    expect(entry).toHaveProperty("after");
    spec.checkAudit(entry, r.body);
  });
});

it("a refused request after success is refused again: archiving an archived plan → 422 plan_archived", async () => {
  await expectRefused(
    { method: "POST", path: "/v1/admin/plans/personal_standard/archive", body: { reason } },
    422,
    "key",
    "plan_archived",
  );
  await expectRefused(
    {
      method: "PUT",
      path: "/v1/admin/customers/initech/subscription",
      body: { planKey: "personal_standard", reason },
    },
    422,
    "planKey",
    "plan_archived",
  );
});

it("clearing overrides that are not there → 404 no_overrides, nothing changes", async () => {
  const before = await t.snapshot();
  const r = await t.call("DELETE", "/v1/admin/customers/acme/overrides", { body: { reason } });
  expect(r.status).toBe(404);
  expect(r.body.error.code).toBe("no_overrides");
  expect(await t.snapshot()).toEqual(before);
});

it("cancelling when no plan is in force → 404 no_subscription, nothing changes", async () => {
  const before = await t.snapshot();
  const r = await t.call("DELETE", "/v1/admin/customers/umbrella/subscription", { body: { reason } });
  expect(r.status).toBe(404);
  expect(r.body.error.code).toBe("no_subscription");
  expect(await t.snapshot()).toEqual(before);
});

describe("malformed bodies", () => {
  it.each([
    ["POST", "/v1/admin/features"],
    ["POST", "/v1/admin/plans"],
    ["PUT", "/v1/admin/customers/acme/overrides"],
    ["PUT", "/v1/admin/customers/acme/subscription"],
    ["POST", "/v1/customers"],
  ])("%s %s with malformed JSON → 400 invalid_json, nothing changes", async (method, path) => {
    const before = await t.snapshot();
    const r = await t.call(method, path, { body: '{"reason": "oops", ' });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ type: "invalid_request", code: "invalid_json" });
    expect(await t.snapshot()).toEqual(before);
  });

  it("a JSON body that is not an object → 400, nothing changes", async () => {
    const before = await t.snapshot();
    for (const body of ["[]", '"reason"', "null", "42"]) {
      const r = await t.call("POST", "/v1/admin/features", { body });
      expect(r.status, body).toBe(400);
      expect(r.body.error.type).toBe("invalid_request");
    }
    expect(await t.snapshot()).toEqual(before);
  });
});
