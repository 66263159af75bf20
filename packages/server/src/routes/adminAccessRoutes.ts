import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { CreateApiKeyInput, ProvisioningRuleChange, ProvisioningRuleInput } from "@tollgate/engine";
import type { AppEnv } from "../http/appEnv";
import { requireAdmin } from "../http/auth";
import { adminCommand } from "../http/command";
import {
  answer,
  EnvName,
  errors,
  json,
  OptionalReasonBody,
  Pagination,
  Reason,
  ReasonQuery,
} from "../http/schemas";

/** Strict: a misspelt filter (`customerId=`) is refused, never ignored into an unfiltered answer. */
const AuditQuery = Pagination.extend({
  customer: z.string().min(1).optional(),
  env: EnvName.optional(),
  plan: z.string().min(1).optional(),
  actor: z.string().min(1).optional(),
  action: z.string().min(1).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  starting_after: z.coerce.number().int().positive().optional(),
}).strict();

export function adminAccessRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/admin/me",
      tags: ["admin: keys"],
      summary: "The admin key making this call: its id, name, type, role and environment (never its secret)",
      middleware: [requireAdmin("read")] as const,
      responses: { 200: answer("the calling key"), ...errors },
    }),
    (c) => {
      const { id, name, type, role, env } = c.get("apiKey");
      return c.json({ id, name, type, role, env }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/admin/audit",
      tags: ["admin: audit"],
      summary:
        "The append-only audit log, newest first, filterable by customer, plan, actor, action and time",
      middleware: [requireAdmin("read")] as const,
      request: { query: AuditQuery },
      responses: { 200: answer("audit entries"), ...errors },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const page = await c.get("engine").audit.list({
        customerId: q.customer,
        env: q.env,
        planKey: q.plan,
        actorId: q.actor,
        action: q.action,
        from: q.from,
        to: q.to,
        startingAfter: q.starting_after,
        limit: q.limit,
      });
      return c.json({ data: page.data, has_more: page.hasMore }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/admin/provisioning-rules",
      tags: ["admin: provisioning"],
      summary: "Email domain → plan + overrides rules",
      middleware: [requireAdmin("read")] as const,
      responses: { 200: answer("rules"), ...errors },
    }),
    async (c) => c.json({ data: await c.get("engine").provisioningRules.list(), has_more: false }, 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/admin/provisioning-rules",
      tags: ["admin: provisioning"],
      summary: "Create a rule: a verified email at `domain` lands on `planKey` with `overrides`",
      middleware: [requireAdmin("administer")] as const,
      request: { body: { required: true, ...json(ProvisioningRuleInput.extend({ reason: Reason })) } },
      responses: { 201: answer("the rule"), ...errors },
    }),
    async (c) => {
      const { reason, ...input } = c.req.valid("json");
      return c.json(await c.get("engine").provisioningRules.create(input, adminCommand(c, reason)), 201);
    },
  );

  const RulePath = z.object({ id: z.string().min(1).max(100) });

  app.openapi(
    createRoute({
      method: "put",
      path: "/v1/admin/provisioning-rules/{id}",
      tags: ["admin: provisioning"],
      summary: "Replace a rule's plan and overrides (its domain stays), with a reason",
      middleware: [requireAdmin("administer")] as const,
      request: {
        params: RulePath,
        body: { required: true, ...json(ProvisioningRuleChange.extend({ reason: Reason })) },
      },
      responses: { 200: answer("the rule"), ...errors },
    }),
    async (c) => {
      const { reason, ...input } = c.req.valid("json");
      const { id } = c.req.valid("param");
      return c.json(await c.get("engine").provisioningRules.update(id, input, adminCommand(c, reason)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/v1/admin/provisioning-rules/{id}",
      tags: ["admin: provisioning"],
      summary: "Delete a rule, with a reason; the customers it provisioned keep their plans",
      middleware: [requireAdmin("administer")] as const,
      request: { params: RulePath, query: ReasonQuery, body: OptionalReasonBody },
      responses: { 200: answer("the deleted rule"), ...errors },
    }),
    async (c) => {
      const reason = c.req.valid("json")?.reason ?? c.req.valid("query").reason;
      const { id } = c.req.valid("param");
      return c.json(await c.get("engine").provisioningRules.delete(id, adminCommand(c, reason)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/admin/api-keys",
      tags: ["admin: keys"],
      summary: "List API keys (never their secrets)",
      middleware: [requireAdmin("administer")] as const,
      responses: { 200: answer("keys"), ...errors },
    }),
    async (c) => c.json({ data: await c.get("engine").apiKeys.list(), has_more: false }, 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/admin/api-keys",
      tags: ["admin: keys"],
      summary: "Create a key; its secret is in this answer and nowhere else, ever",
      middleware: [requireAdmin("administer")] as const,
      request: { body: { required: true, ...json(CreateApiKeyInput.and(z.object({ reason: Reason }))) } },
      responses: { 201: answer("the key with its secret"), ...errors },
    }),
    async (c) => {
      const { reason, ...input } = c.req.valid("json");
      return c.json(await c.get("engine").apiKeys.create(input, adminCommand(c, reason)), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/v1/admin/api-keys/{id}",
      tags: ["admin: keys"],
      summary:
        "Revoke a key: refused from now on (by other servers within a second), still listed with revokedAt; revoking it again changes nothing",
      middleware: [requireAdmin("administer")] as const,
      request: { params: z.object({ id: z.string().min(1) }), query: ReasonQuery, body: OptionalReasonBody },
      responses: { 200: answer("the key, revokedAt set"), ...errors },
    }),
    async (c) => {
      const reason = c.req.valid("json")?.reason ?? c.req.valid("query").reason;
      const { id } = c.req.valid("param");
      return c.json(await c.get("engine").apiKeys.revoke(id, adminCommand(c, reason)), 200);
    },
  );

  return app;
}
