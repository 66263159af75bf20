import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { CreditNoteInput } from "@tollgate/engine";
import type { AppEnv } from "../http/appEnv";
import { publicEnv, requireAdmin } from "../http/auth";
import { adminCommand } from "../http/command";
import { answer, EnvName, errors, json, Reason } from "../http/schemas";

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

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/admin/customers/{id}/invoices/{invoiceId}/credit-notes",
      tags: ["admin: customers"],
      summary:
        "Credit part or all of a finalized invoice, with a reason; never more than its subtotal in all, lowers the amount due",
      middleware: [requireAdmin("operate")] as const,
      request: {
        params: z.object({ id: z.string().min(1).max(255), invoiceId: z.string().min(1).max(100) }),
        body: {
          required: true,
          ...json(CreditNoteInput.extend({ reason: Reason, env: EnvName.default("live") })),
        },
      },
      responses: { 201: answer("the credit note"), ...errors },
    }),
    async (c) => {
      const { reason, env, ...input } = c.req.valid("json");
      const { id, invoiceId } = c.req.valid("param");
      const note = await c
        .get("engine")
        .invoices.creditNote({ env, customerId: id }, invoiceId, input, adminCommand(c, reason));
      return c.json(note, 201);
    },
  );

  return app;
}
