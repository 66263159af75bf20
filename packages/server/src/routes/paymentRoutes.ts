import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { unprocessable } from "@tollgate/core";
import { CheckoutInput } from "@tollgate/engine";
import type { AppEnv } from "../http/appEnv";
import { publicEnv, requirePublicWrite } from "../http/auth";
import { answer, EnvName, errors, json } from "../http/schemas";

/** Provider webhooks are signed by the provider, not sent with an API key. */
export const PROVIDER_WEBHOOK_PATHS = new Set(["/v1/webhooks/stripe"]);

export function paymentRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/customers/{id}/checkout",
      tags: ["billing"],
      summary:
        "A hosted checkout for a plan, at the contract's own price when it has one (override price ids, or a custom plan's per-contract price)",
      middleware: [requirePublicWrite()] as const,
      request: {
        params: z.object({ id: z.string().min(1).max(255) }),
        body: { required: true, ...json(CheckoutInput.extend({ env: EnvName.optional() })) },
      },
      responses: { 200: answer("{url, sessionId, priceId, quantity}"), ...errors },
    }),
    async (c) => {
      const { env, ...input } = c.req.valid("json");
      const ref = { env: publicEnv(c, env), customerId: c.req.valid("param").id };
      return c.json(await c.get("engine").payments.checkout(ref, input), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/webhooks/stripe",
      tags: ["billing"],
      summary:
        "Stripe's webhooks: verified (`Stripe-Signature`), applied once per event id, never over newer state",
      security: [],
      request: { headers: z.object({ "stripe-signature": z.string().optional() }) },
      responses: {
        200: answer(
          "{received: true, outcome: applied | duplicate | stale | unresolved | recorded | ignored}",
        ),
        ...errors,
      },
    }),
    async (c) => {
      const engine = c.get("engine");
      const provider = engine.payments.provider;
      if (!provider)
        throw unprocessable("payments_disabled", "no payment provider is configured (STRIPE_SECRET_KEY)");
      const event = provider.verifyWebhook(await c.req.text(), c.req.header("stripe-signature"));
      const applied = await engine.payments.apply(provider.name, event);
      c.get("logger").info({ eventId: event.id, type: event.providerType, ...applied }, "payment webhook");
      return c.json({ received: true, outcome: applied.outcome }, 200);
    },
  );

  return app;
}
