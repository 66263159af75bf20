import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { CreditGrantInput } from "@tollgate/core";
import { AssignPlanInput, SetOverridesInput } from "@tollgate/engine";
import type { AppEnv } from "../http/appEnv";
import { requireAdmin } from "../http/auth";
import { adminCommand } from "../http/command";
import {
  answer,
  EnvName,
  errors,
  Flag,
  json,
  OptionalReasonBody,
  Pagination,
  Reason,
  ReasonQuery,
} from "../http/schemas";
import { toApiCustomer } from "./toApi";

const CustomerPath = z.object({ id: z.string().min(1).max(255) });
const EnvQuery = z.object({ env: EnvName.default("live") });
/** DELETE takes its reason in the body or, for clients that send no body, the query. */
const DeleteQuery = EnvQuery.merge(ReasonQuery);

export function adminCustomerRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  const tags = ["admin: customers"];

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/admin/customers",
      tags,
      summary: "List customers; `custom=true` for those on custom plans or with overrides",
      middleware: [requireAdmin("read")] as const,
      request: { query: Pagination.extend({ custom: Flag, env: EnvName.default("live") }) },
      responses: { 200: answer("customers"), ...errors },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const page = await c
        .get("engine")
        .customers.list({ env: q.env, custom: q.custom, limit: q.limit, startingAfter: q.starting_after });
      return c.json({ data: page.data.map(toApiCustomer), has_more: page.hasMore }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/v1/admin/customers/{id}/subscription",
      tags,
      summary:
        "Assign or change the plan: upgrades apply now, downgrades at period end unless `effectiveAt` says otherwise",
      middleware: [requireAdmin("operate")] as const,
      request: {
        params: CustomerPath,
        body: {
          required: true,
          ...json(AssignPlanInput.extend({ reason: Reason, env: EnvName.default("live") })),
        },
      },
      responses: { 200: answer("the new contract and the kind of change"), ...errors },
    }),
    async (c) => {
      const { reason, env, ...input } = c.req.valid("json");
      const ref = { env, customerId: c.req.valid("param").id };
      return c.json(await c.get("engine").subscriptions.assign(ref, input, adminCommand(c, reason)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/v1/admin/customers/{id}/subscription",
      tags,
      summary: "Cancel the plan in force now, with a reason",
      middleware: [requireAdmin("operate")] as const,
      request: { params: CustomerPath, query: DeleteQuery, body: OptionalReasonBody },
      responses: { 200: answer("when access ends"), ...errors },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const reason = c.req.valid("json")?.reason ?? q.reason;
      const ref = { env: q.env, customerId: c.req.valid("param").id };
      return c.json(await c.get("engine").subscriptions.cancel(ref, {}, adminCommand(c, reason)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/admin/customers/{id}/overrides",
      tags,
      summary: "The override set in force and every earlier or scheduled one",
      middleware: [requireAdmin("read")] as const,
      request: { params: CustomerPath, query: EnvQuery },
      responses: { 200: answer("override sets"), ...errors },
    }),
    async (c) => {
      const engine = c.get("engine");
      const ref = { env: c.req.valid("query").env, customerId: c.req.valid("param").id };
      await engine.customers.get(ref);
      const sets = await engine.overrides.list(ref);
      const now = engine.deps.clock().getTime();
      const current = sets.find(
        (s) => s.effectiveFrom.getTime() <= now && (s.effectiveTo === null || s.effectiveTo.getTime() > now),
      );
      return c.json({ customerId: ref.customerId, current: current ?? null, history: sets }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/v1/admin/customers/{id}/overrides",
      tags,
      summary: "Replace the overrides (validated, audited with before and after)",
      middleware: [requireAdmin("operate")] as const,
      request: {
        params: CustomerPath,
        body: {
          required: true,
          ...json(SetOverridesInput.extend({ reason: Reason, env: EnvName.default("live") })),
        },
      },
      responses: { 200: answer("the override set now in force"), ...errors },
    }),
    async (c) => {
      const { reason, env, ...input } = c.req.valid("json");
      const ref = { env, customerId: c.req.valid("param").id };
      return c.json(await c.get("engine").overrides.set(ref, input, adminCommand(c, reason)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/v1/admin/customers/{id}/overrides",
      tags,
      summary: "Clear the overrides: the customer behaves exactly as its base plan",
      middleware: [requireAdmin("operate")] as const,
      request: { params: CustomerPath, query: DeleteQuery, body: OptionalReasonBody },
      responses: { 200: answer("cleared"), ...errors },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const reason = c.req.valid("json")?.reason ?? q.reason;
      const ref = { env: q.env, customerId: c.req.valid("param").id };
      await c.get("engine").overrides.clear(ref, adminCommand(c, reason));
      return c.json({ cleared: true, customerId: ref.customerId }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/admin/customers/{id}/history",
      tags,
      summary:
        "The plan history: contracts, override sets, and audited changes with before, after and reason",
      middleware: [requireAdmin("read")] as const,
      request: { params: CustomerPath, query: EnvQuery },
      responses: { 200: answer("the history"), ...errors },
    }),
    async (c) => {
      const ref = { env: c.req.valid("query").env, customerId: c.req.valid("param").id };
      return c.json(await c.get("engine").customers.history(ref), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/admin/customers/{id}/credit-grants",
      tags,
      summary:
        "Grant credits (bonus, promotional or purchased) with a reason; burns after sooner-expiring grants",
      middleware: [requireAdmin("operate")] as const,
      request: {
        params: CustomerPath,
        body: {
          required: true,
          ...json(CreditGrantInput.extend({ reason: Reason, env: EnvName.default("live") })),
        },
      },
      responses: { 201: answer("the grant"), ...errors },
    }),
    async (c) => {
      const { reason, env, ...input } = c.req.valid("json");
      const ref = { env, customerId: c.req.valid("param").id };
      return c.json(await c.get("engine").credits.grant(ref, input, adminCommand(c, reason)), 201);
    },
  );

  return app;
}
