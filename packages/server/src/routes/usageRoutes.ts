import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { type Decision, TollgateError } from "@tollgate/core";
import { CommitInput, GRANULARITIES, ReserveInput } from "@tollgate/engine";
import type { AppEnv } from "../http/appEnv";
import { publicEnv, requirePublicWrite } from "../http/auth";
import { fromCloudEvent } from "../http/cloudEvents";
import { errorBody } from "../http/errors";
import { answer, EnvName, errors, json } from "../http/schemas";

const TrackBody = z
  .object({
    customerId: z.string().min(1).max(255),
    feature: z.string().min(1).max(100),
    quantity: z.number().default(1),
    id: z.string().min(1).max(255),
    timestamp: z.string().optional(),
    workspaceId: z.string().min(1).max(255).optional(),
    userId: z.string().min(1).max(255).optional(),
    properties: z.record(z.string(), z.unknown()).optional(),
    env: EnvName.optional(),
  })
  .openapi("TrackInput");

/** `{events: [...]}`, or a CloudEvents batch (a JSON array) sent as application/cloudevents-batch+json. */
const EventsBody = z
  .union([
    z.object({ events: z.array(z.unknown()), env: EnvName.optional() }),
    z.array(z.record(z.string(), z.unknown())),
  ])
  .openapi("EventBatch");

/** Reasons a payment would cure: a quota, the credits, an overdue invoice (402). */
const PAYMENT_REQUIRED = new Set(["limit_exceeded", "insufficient_credits", "payment_overdue"]);

/** Why a refused track answers the status it does: payment (402), a rate (429), a missing right (403). */
function refusal(decision: Decision): { status: 402 | 403 | 429; error: TollgateError } {
  const { reason, message } = decision;
  if (PAYMENT_REQUIRED.has(reason)) {
    return { status: 402, error: new TollgateError("payment_required", reason, message) };
  }
  if (reason === "throttled")
    return { status: 429, error: new TollgateError("rate_limited", "throttled", message) };
  return { status: 403, error: new TollgateError("permission", reason, message, { param: "feature" }) };
}

export function usageRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/track",
      tags: ["usage"],
      summary:
        "Check and record usage in one atomic step; a use the plan refuses records nothing (402 limit_exceeded)",
      middleware: [requirePublicWrite()] as const,
      request: { body: { required: true, ...json(TrackBody) } },
      responses: {
        200: answer("recorded, or a duplicate id (counted once)"),
        402: answer(
          "refused: the use would pass a blocking limit or the credits (insufficient_credits); the body carries the decision",
        ),
        429: answer("throttled; the body carries the decision"),
        ...errors,
      },
    }),
    async (c) => {
      const { env, ...input } = c.req.valid("json");
      const result = await c.get("engine").usage.track(publicEnv(c, env), input);
      if (result.recorded || result.duplicate) return c.json(result, 200);
      const { status, error } = refusal(result.decision);
      if (result.decision.retryAfter !== undefined)
        c.header("Retry-After", String(result.decision.retryAfter));
      return c.json({ ...errorBody(error), ...result }, status);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/events",
      tags: ["usage"],
      summary:
        "Record a batch of up to 1000 usage events without enforcement; each is accepted, a duplicate or rejected with a code",
      middleware: [requirePublicWrite()] as const,
      request: {
        query: z.object({ env: EnvName.optional() }),
        body: {
          required: true,
          content: {
            "application/json": { schema: EventsBody },
            // The same schema for both: the validator of every JSON media type parses the body.
            "application/cloudevents-batch+json": { schema: EventsBody },
          },
        },
      },
      responses: {
        202: answer("{accepted, duplicates, rejected: [{index, code, message, param?}]}"),
        ...errors,
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const events = Array.isArray(body) ? body.map(fromCloudEvent) : body.events;
      const env = publicEnv(c, (Array.isArray(body) ? undefined : body.env) ?? c.req.valid("query").env);
      return c.json(await c.get("engine").usage.ingest(env, events), 202);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/customers/{id}/usage",
      tags: ["usage"],
      summary: "Usage per hour, day or month, from the hourly rollups",
      request: {
        params: z.object({ id: z.string().min(1).max(255) }),
        query: z.object({
          feature: z.string().min(1).max(100).optional(),
          from: z.coerce.date().optional(),
          to: z.coerce.date().optional(),
          granularity: z.enum(GRANULARITIES).default("day"),
          env: EnvName.optional(),
        }),
      },
      responses: { 200: answer("{data: [{feature, start, end, quantity}]}"), ...errors },
    }),
    async (c) => {
      const { env, ...query } = c.req.valid("query");
      const ref = { env: publicEnv(c, env), customerId: c.req.valid("param").id };
      return c.json({ data: await c.get("engine").usage.series(ref, query) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/customers/{id}/credits",
      tags: ["usage"],
      summary: "The credit balance and every grant, newest first",
      request: {
        params: z.object({ id: z.string().min(1).max(255) }),
        query: z.object({ env: EnvName.optional() }),
      },
      responses: {
        200: answer("{balance, unlimited, grants: [{id, amount, remaining, source, expiresAt}]}"),
        ...errors,
      },
    }),
    async (c) => {
      const ref = { env: publicEnv(c, c.req.valid("query").env), customerId: c.req.valid("param").id };
      return c.json(await c.get("engine").credits.get(ref), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/reservations",
      tags: ["usage"],
      summary:
        "Hold units against the limit for work whose cost is known afterwards; commit or release before `ttlSeconds`, or they come back",
      middleware: [requirePublicWrite()] as const,
      request: { body: { required: true, ...json(ReserveInput.extend({ env: EnvName.optional() })) } },
      responses: {
        201: answer("{reservation, decision}"),
        402: answer("refused: the hold would pass a blocking limit; the body carries the decision"),
        429: answer("throttled; the body carries the decision"),
        ...errors,
      },
    }),
    async (c) => {
      const { env, ...input } = c.req.valid("json");
      const result = await c.get("engine").usage.reserve(publicEnv(c, env), input);
      if (result.reservation) return c.json(result, 201);
      const { status, error } = refusal(result.decision);
      return c.json({ ...errorBody(error), ...result }, status);
    },
  );

  const Settle = z.object({ customerId: z.string().min(1).max(255), env: EnvName.optional() });
  const ReservationPath = z.object({ id: z.string().min(1).max(255) });

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/reservations/{id}/commit",
      tags: ["usage"],
      summary: "Record the actual amount of a held reservation (a usage event with the reservation's id)",
      middleware: [requirePublicWrite()] as const,
      request: {
        params: ReservationPath,
        body: { required: true, ...json(Settle.extend(CommitInput.shape)) },
      },
      responses: { 200: answer("the reservation, committed"), ...errors },
    }),
    async (c) => {
      const { customerId, env, ...input } = c.req.valid("json");
      const ref = { env: publicEnv(c, env), customerId };
      return c.json(await c.get("engine").usage.commit(ref, c.req.valid("param").id, input), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/reservations/{id}/release",
      tags: ["usage"],
      summary: "Give back the units of a held reservation",
      middleware: [requirePublicWrite()] as const,
      request: { params: ReservationPath, body: { required: true, ...json(Settle) } },
      responses: { 200: answer("the reservation, released"), ...errors },
    }),
    async (c) => {
      const { customerId, env } = c.req.valid("json");
      const ref = { env: publicEnv(c, env), customerId };
      return c.json(await c.get("engine").usage.release(ref, c.req.valid("param").id), 200);
    },
  );

  return app;
}
