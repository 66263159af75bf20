import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { CreateWebhookEndpointInput } from "@tollgate/engine";
import { streamSSE } from "hono/streaming";
import type { AppEnv } from "../http/appEnv";
import { publicEnv, requireAdmin } from "../http/auth";
import { adminCommand } from "../http/command";
import { answer, EnvName, errors, json, OptionalReasonBody, Reason, ReasonQuery } from "../http/schemas";

/** How often an open stream looks for new events, and how often it sends a keep-alive comment. */
const POLL_MS = 250;
const KEEPALIVE_MS = 15_000;

const EndpointPath = z.object({ id: z.string().min(1).max(100) });

export function eventRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  const tags = ["events"];

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/events/stream",
      tags,
      summary:
        "Domain events as server-sent events (id = outbox seq; resume with Last-Event-ID or `after`), optionally for some customers",
      request: {
        query: z.object({
          after: z.coerce.number().int().min(0).optional(),
          customerId: z
            .union([z.string().min(1).max(255), z.array(z.string().min(1).max(255)).max(1000)])
            .optional(),
          env: EnvName.optional(),
        }),
      },
      responses: {
        200: {
          description: "text/event-stream of {type, customerId, data, at}",
          content: { "text/event-stream": { schema: z.string() } },
        },
        ...errors,
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const env = publicEnv(c, q.env);
      const engine = c.get("engine");
      const customerIds = q.customerId === undefined ? undefined : [q.customerId].flat();
      const resumeFrom = Number(c.req.header("last-event-id") ?? q.after ?? Number.NaN);
      // The position is fixed before the headers go out: a client that reads its state once the
      // stream has opened misses no change made after that read.
      let after = Number.isFinite(resumeFrom) ? resumeFrom : await engine.events.latest();
      return streamSSE(c, async (stream) => {
        let quietSince = Date.now();
        let open = true;
        stream.onAbort(() => {
          open = false;
        });
        while (open) {
          const events = await engine.events.after(env, after, { customerIds, limit: 500 });
          for (const event of events) {
            await stream.writeSSE({
              id: String(event.seq),
              event: event.type,
              data: JSON.stringify({
                type: event.type,
                customerId: event.customerId,
                data: event.data,
                at: event.at,
              }),
            });
            after = event.seq;
          }
          if (events.length > 0) quietSince = Date.now();
          else if (Date.now() - quietSince > KEEPALIVE_MS) {
            await stream.write(": keep-alive\n\n");
            quietSince = Date.now();
          }
          if (events.length < 500) await stream.sleep(POLL_MS);
        }
      });
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/admin/webhook-endpoints",
      tags: ["admin: webhooks"],
      summary: "The product's endpoints receiving domain events (secrets are never shown again)",
      middleware: [requireAdmin("read")] as const,
      responses: { 200: answer("endpoints"), ...errors },
    }),
    async (c) => c.json({ data: await c.get("engine").webhooks.list(), has_more: false }, 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/admin/webhook-endpoints",
      tags: ["admin: webhooks"],
      summary:
        "Register an endpoint for domain events (all types, or `eventTypes`); answers its `whsec_` signing secret once",
      middleware: [requireAdmin("administer")] as const,
      request: { body: { required: true, ...json(CreateWebhookEndpointInput.extend({ reason: Reason })) } },
      responses: { 201: answer("the endpoint, with `secret`"), ...errors },
    }),
    async (c) => {
      const { reason, ...input } = c.req.valid("json");
      return c.json(await c.get("engine").webhooks.create(input, adminCommand(c, reason)), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/v1/admin/webhook-endpoints/{id}",
      tags: ["admin: webhooks"],
      summary: "Disable an endpoint, with a reason; its pending deliveries are given up, its log kept",
      middleware: [requireAdmin("administer")] as const,
      request: {
        params: EndpointPath,
        query: ReasonQuery,
        body: OptionalReasonBody,
      },
      responses: { 200: answer("the disabled endpoint"), ...errors },
    }),
    async (c) => {
      const reason = c.req.valid("json")?.reason ?? c.req.valid("query").reason ?? "";
      return c.json(
        await c.get("engine").webhooks.disable(c.req.valid("param").id, adminCommand(c, reason)),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/admin/webhook-endpoints/{id}/deliveries",
      tags: ["admin: webhooks"],
      summary: "The delivery log: each event sent to the endpoint, its status and every attempt",
      middleware: [requireAdmin("read")] as const,
      request: { params: EndpointPath },
      responses: { 200: answer("deliveries, newest first"), ...errors },
    }),
    async (c) =>
      c.json(
        { data: await c.get("engine").webhooks.deliveries(c.req.valid("param").id), has_more: false },
        200,
      ),
  );

  return app;
}
