import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { FeatureInput, PlanKey, PlanTerms } from "@tollgate/core";
import { PlanIdentity } from "@tollgate/engine";
import type { AppEnv } from "../http/appEnv";
import { requireAdmin } from "../http/auth";
import { adminCommand } from "../http/command";
import { answer, EnvName, errors, json, Reason } from "../http/schemas";

const PlanPath = z.object({ key: PlanKey });
const CreatePlanInput = PlanTerms.extend(PlanIdentity.shape).extend({
  reason: Reason,
  env: EnvName.default("live"),
});
const PublishVersionInput = PlanTerms.extend({ reason: Reason });

export function adminCatalogRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  const tags = ["admin: catalog"];

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/admin/features",
      tags,
      summary: "List features",
      middleware: [requireAdmin("read")] as const,
      responses: { 200: answer("features"), ...errors },
    }),
    async (c) => c.json({ data: await c.get("engine").features.list(), has_more: false }, 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/admin/features",
      tags,
      summary: "Create a feature",
      middleware: [requireAdmin("administer")] as const,
      request: { body: { required: true, ...json(FeatureInput.and(z.object({ reason: Reason }))) } },
      responses: { 201: answer("the feature"), ...errors },
    }),
    async (c) => {
      const { reason, ...input } = c.req.valid("json");
      return c.json(await c.get("engine").features.create(input, adminCommand(c, reason)), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/admin/plans",
      tags,
      summary: "List plans with their latest version",
      middleware: [requireAdmin("read")] as const,
      responses: { 200: answer("plans"), ...errors },
    }),
    async (c) => c.json({ data: await c.get("engine").plans.list(), has_more: false }, 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/admin/plans",
      tags,
      summary: "Create a plan and publish its version 1 (`custom: true, customerId` for a contract plan)",
      middleware: [requireAdmin("administer")] as const,
      request: { body: { required: true, ...json(CreatePlanInput) } },
      responses: { 201: answer("the plan and its first version"), ...errors },
    }),
    async (c) => {
      const { reason, key, custom, customerId, env, ...terms } = c.req.valid("json");
      const created = await c
        .get("engine")
        .plans.create({ key, custom, customerId, env }, terms, adminCommand(c, reason));
      return c.json(created, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/admin/plans/{key}",
      tags,
      summary: "A plan with all its versions, newest first",
      middleware: [requireAdmin("read")] as const,
      request: { params: PlanPath },
      responses: { 200: answer("the plan"), ...errors },
    }),
    async (c) => c.json(await c.get("engine").plans.get(c.req.valid("param").key), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/admin/plans/{key}/versions",
      tags,
      summary: "Publish version n+1; subscribers stay on their version until moved",
      middleware: [requireAdmin("administer")] as const,
      request: { params: PlanPath, body: { required: true, ...json(PublishVersionInput) } },
      responses: { 201: answer("the new version"), ...errors },
    }),
    async (c) => {
      const { reason, ...terms } = c.req.valid("json");
      const version = await c
        .get("engine")
        .plans.publishVersion(c.req.valid("param").key, terms, adminCommand(c, reason));
      return c.json(version, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/admin/plans/{key}/archive",
      tags,
      summary: "Archive a plan: no new assignments; current subscribers keep it",
      middleware: [requireAdmin("administer")] as const,
      request: { params: PlanPath, body: { required: true, ...json(z.object({ reason: Reason })) } },
      responses: { 200: answer("the archived plan"), ...errors },
    }),
    async (c) => {
      const { reason } = c.req.valid("json");
      return c.json(
        await c.get("engine").plans.archive(c.req.valid("param").key, adminCommand(c, reason)),
        200,
      );
    },
  );

  return app;
}
