import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { MintPortalLinkInput, PortalCheckoutInput } from "@tollgate/engine";
import type { Context } from "hono";
import type { AppEnv } from "../http/appEnv";
import { publicEnv, requirePublicWrite } from "../http/auth";
import { EnvName, errors, json } from "../http/schemas";

/** The portal's own routes need no API key: the signed token in the path is the credential. */
export const isPortalPath = (path: string) => path.startsWith("/v1/portal/");

/** Portal answers carry a credential in their URL: never cached, never sent on as a referrer. */
export const PORTAL_HEADERS = {
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
  "x-robots-tag": "noindex",
};

const TokenPath = z.object({ token: z.string().min(1).max(4096) });
const MintBody = MintPortalLinkInput.extend({ env: EnvName.optional() });

const PortalLinkMinted = z
  .object({ url: z.string(), token: z.string(), expiresAt: z.string() })
  .openapi("PortalLink");

const PortalView = z
  .object({
    customer: z.object({ id: z.string(), name: z.string().nullable(), env: EnvName }),
    at: z.string(),
    link: z.object({ expiresAt: z.string(), returnUrl: z.string().nullable() }),
    plan: z
      .object({ key: z.string(), name: z.string(), label: z.string(), custom: z.boolean() })
      .nullable()
      .openapi({ description: "label: the override's planLabel, else the plan's name" }),
    period: z.object({ start: z.string(), end: z.string() }).nullable(),
    limits: z.array(
      z.object({
        feature: z.string(),
        name: z.string(),
        unit: z.string().nullable(),
        limit: z.number().nullable(),
        used: z.number(),
        remaining: z.number().nullable(),
        unlimited: z.boolean(),
        resetsAt: z.string().nullable(),
        enforcement: z.string(),
        overage: z
          .object({ unitAmount: z.string(), currency: z.string() })
          .nullable()
          .openapi({ description: "price per unit past the limit (major units), under billable_overage" }),
      }),
    ),
    features: z.array(z.object({ feature: z.string(), name: z.string() })),
    seats: z.object({ limit: z.number().nullable(), used: z.number(), unlimited: z.boolean() }).nullable(),
    credits: z.object({ balance: z.number().nullable(), unlimited: z.boolean() }).nullable(),
    upgrade: z.object({
      available: z.boolean(),
      plans: z.array(
        z.object({
          key: z.string(),
          name: z.string(),
          basePrice: z.number().openapi({ description: "minor units per interval" }),
          currency: z.string(),
          interval: z.string(),
        }),
      ),
    }),
  })
  .openapi("PortalView");

export interface PortalRoutesOptions {
  /** The origin customers reach this server at (`TOLLGATE_PUBLIC_URL`); default: the request's. */
  publicUrl?: string | undefined;
}

export function portalRoutes({ publicUrl }: PortalRoutesOptions = {}): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  const pageUrl = (c: Context<AppEnv>, token: string) =>
    `${(publicUrl ?? new URL(c.req.url).origin).replace(/\/+$/, "")}/portal/${token}`;
  app.use("/v1/portal/*", async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(PORTAL_HEADERS)) c.header(name, value);
  });

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/customers/{id}/portal-links",
      tags: ["portal"],
      summary:
        "A signed link to the customer's usage page, valid `expiresIn` seconds (default 3600, at most 7 days); recorded in the audit log as portal_link.created",
      middleware: [requirePublicWrite()] as const,
      request: {
        params: z.object({ id: z.string().min(1).max(255) }),
        body: { required: false, ...json(MintBody) },
      },
      responses: { 201: { description: "the link", ...json(PortalLinkMinted) }, ...errors },
    }),
    async (c) => {
      // Without a body the validator hands over {}: parsed here for the defaults.
      const { env, ...input } = MintBody.parse(c.req.valid("json"));
      const key = c.get("apiKey");
      const ref = { env: publicEnv(c, env), customerId: c.req.valid("param").id };
      const minted = await c
        .get("engine")
        .portal.mintLink(ref, input, { id: key.id, role: key.role ?? key.type }, c.get("requestId"));
      return c.json(
        { url: pageUrl(c, minted.token), token: minted.token, expiresAt: minted.expiresAt.toISOString() },
        201,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/portal/{token}",
      tags: ["portal"],
      summary:
        "What the customer's usage page shows; no API key, the token is the credential (401 portal_link_invalid or portal_link_expired)",
      security: [],
      request: { params: TokenPath },
      responses: { 200: { description: "the page's data", ...json(PortalView) }, ...errors },
    }),
    async (c) => c.json(await c.get("engine").portal.view(c.req.valid("param").token), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/portal/{token}/checkout",
      tags: ["portal"],
      summary:
        "The upgrade button: a hosted checkout for a plan the page offers (422 upgrade_not_available, plan_not_offered, payments_disabled)",
      security: [],
      request: { params: TokenPath, body: { required: true, ...json(PortalCheckoutInput) } },
      responses: {
        200: { description: "where to send the customer", ...json(z.object({ url: z.string() })) },
        ...errors,
      },
    }),
    async (c) => {
      const { token } = c.req.valid("param");
      const url = pageUrl(c, token);
      return c.json(await c.get("engine").portal.checkout(token, c.req.valid("json"), url), 200);
    },
  );

  return app;
}
