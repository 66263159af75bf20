import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { FeatureKey } from "@tollgate/core";
import { UpsertCustomerInput } from "@tollgate/engine";
import type { AppEnv } from "../http/appEnv";
import { publicEnv, requirePublicWrite } from "../http/auth";
import { answer, EnvName, errors, Flag, json } from "../http/schemas";
import { toApiCustomer, toApiCustomerWithSubscription } from "./toApi";

const CustomerPath = z.object({ id: z.string().min(1).max(255) });

const CheckInput = z.object({
  customerId: z.string().min(1).max(255),
  feature: FeatureKey,
  quantity: z.number().int().min(0).max(1_000_000_000_000).default(1),
  workspaceId: z.string().min(1).max(255).optional(),
  env: EnvName.optional(),
});

export function publicRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/customers",
      tags: ["customers"],
      summary: "Create or update a customer (upsert by id); provisioning rules apply to a verified email",
      middleware: [requirePublicWrite()] as const,
      request: { body: { required: true, ...json(UpsertCustomerInput.extend({ env: EnvName.optional() })) } },
      responses: { 200: answer("updated"), 201: answer("created"), ...errors },
    }),
    async (c) => {
      const { env: requested, ...input } = c.req.valid("json");
      const key = c.get("apiKey");
      const result = await c.get("engine").customers.upsert(publicEnv(c, requested), input, {
        id: key.id,
        role: key.type,
      });
      return c.json(
        { ...toApiCustomer(result.customer), provisionedBy: result.provisionedBy },
        result.created ? 201 : 200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/customers/{id}",
      tags: ["customers"],
      summary: "A customer with a summary of the plan in force",
      request: { params: CustomerPath, query: z.object({ env: EnvName.optional() }) },
      responses: { 200: answer("the customer"), ...errors },
    }),
    async (c) => {
      const ref = { env: publicEnv(c, c.req.valid("query").env), customerId: c.req.valid("param").id };
      return c.json(toApiCustomerWithSubscription(await c.get("engine").entitlements.resolved(ref)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/customers/{id}/entitlements",
      tags: ["entitlements"],
      summary:
        "What the customer may do now, or `at` an instant; `explain` names the rows behind every value",
      request: {
        params: CustomerPath,
        query: z.object({ at: z.coerce.date().optional(), explain: Flag, env: EnvName.optional() }),
      },
      responses: { 200: answer("the effective entitlements"), ...errors },
    }),
    async (c) => {
      const query = c.req.valid("query");
      const ref = { env: publicEnv(c, query.env), customerId: c.req.valid("param").id };
      return c.json(
        await c.get("engine").entitlements.get(ref, { at: query.at, explain: query.explain }),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/check",
      tags: ["entitlements"],
      summary: "May the customer use `quantity` more of a feature now? Never records usage",
      request: { body: { required: true, ...json(CheckInput) } },
      responses: { 200: answer("the decision"), ...errors },
    }),
    async (c) => {
      const input = c.req.valid("json");
      const ref = { env: publicEnv(c, input.env), customerId: input.customerId };
      return c.json(await c.get("engine").entitlements.check(ref, input), 200);
    },
  );

  return app;
}
