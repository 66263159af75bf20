import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../http/appEnv";
import { publicEnv } from "../http/auth";
import { answer, EnvName, errors } from "../http/schemas";

export function invoiceRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/customers/{id}/invoices/upcoming",
      tags: ["billing"],
      summary:
        "The current period's invoice as it stands: base fee, usage prices and overage, each line rounded once",
      request: {
        params: z.object({ id: z.string().min(1).max(255) }),
        query: z.object({ env: EnvName.optional() }),
      },
      responses: {
        200: answer(
          "{customerId, currency, periodStart, periodEnd, plan, lines: [{kind, description, feature, quantity, amount, exactAmount, breakdown?, source}], subtotal, amountDue, skipBilling, asOf}",
        ),
        ...errors,
      },
    }),
    async (c) => {
      const ref = { env: publicEnv(c, c.req.valid("query").env), customerId: c.req.valid("param").id };
      return c.json(await c.get("engine").invoices.upcoming(ref), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/customers/{id}/invoices",
      tags: ["billing"],
      summary: "Finalized invoices, newest period first: one per closed billing period, lines as rated",
      request: {
        params: z.object({ id: z.string().min(1).max(255) }),
        query: z.object({ env: EnvName.optional() }),
      },
      responses: { 200: answer("{data: [invoice]}"), ...errors },
    }),
    async (c) => {
      const ref = { env: publicEnv(c, c.req.valid("query").env), customerId: c.req.valid("param").id };
      return c.json({ data: await c.get("engine").invoices.list(ref), has_more: false }, 200);
    },
  );

  return app;
}
