import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { SeatInput } from "@tollgate/engine";
import type { AppEnv } from "../http/appEnv";
import { publicEnv, requirePublicWrite } from "../http/auth";
import { answer, EnvName, errors, json } from "../http/schemas";

const CustomerPath = z.object({ id: z.string().min(1).max(255) });
const EnvQuery = z.object({ env: EnvName.optional() });
const tags = ["seats"];

/** Named seats: the product adds and removes them as people join; the plan's seat limit holds. */
export function seatRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/customers/{id}/seats",
      tags,
      summary: "The seats held, with the plan's limit",
      request: { params: CustomerPath, query: EnvQuery },
      responses: {
        200: answer("{data: [{id, role, environment, email, createdAt}], limit, unlimited}"),
        ...errors,
      },
    }),
    async (c) => {
      const ref = { env: publicEnv(c, c.req.valid("query").env), customerId: c.req.valid("param").id };
      const engine = c.get("engine");
      const { effective } = await engine.entitlements.resolved(ref);
      return c.json(
        {
          data: await engine.seats.list(ref),
          limit: effective?.seats.limit ?? null,
          unlimited: effective?.seats.unlimited ?? true,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/customers/{id}/seats",
      tags,
      summary: "Add a seat (or change its role); past a blocking seat limit: 402 seat_limit_reached",
      middleware: [requirePublicWrite()] as const,
      request: { params: CustomerPath, query: EnvQuery, body: { required: true, ...json(SeatInput) } },
      responses: { 200: answer("the seat, updated"), 201: answer("the seat, added"), ...errors },
    }),
    async (c) => {
      const ref = { env: publicEnv(c, c.req.valid("query").env), customerId: c.req.valid("param").id };
      const key = c.get("apiKey");
      const { seat, created } = await c
        .get("engine")
        .seats.add(ref, c.req.valid("json"), { id: key.id, role: key.role ?? key.type });
      return c.json(seat, created ? 201 : 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/v1/customers/{id}/seats/{seatId}",
      tags,
      summary: "Remove a seat",
      middleware: [requirePublicWrite()] as const,
      request: { params: CustomerPath.extend({ seatId: z.string().min(1).max(255) }), query: EnvQuery },
      responses: { 200: answer("the seat removed"), ...errors },
    }),
    async (c) => {
      const { id, seatId } = c.req.valid("param");
      const ref = { env: publicEnv(c, c.req.valid("query").env), customerId: id };
      const key = c.get("apiKey");
      return c.json(
        await c.get("engine").seats.remove(ref, seatId, { id: key.id, role: key.role ?? key.type }),
        200,
      );
    },
  );

  return app;
}
