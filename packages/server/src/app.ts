import { randomUUID } from "node:crypto";
import { swaggerUI } from "@hono/swagger-ui";
import { OpenAPIHono } from "@hono/zod-openapi";
import { fromZodError } from "@tollgate/core";
import type { Engine } from "@tollgate/engine";
import type { Logger } from "pino";
import type { AppEnv } from "./http/appEnv";
import { authenticate } from "./http/auth";
import { DOCS_ASSET_BASE, serveDocsAssets } from "./http/docsAssets";
import { errorBody, statusOf, toErrorResponse } from "./http/errors";
import { idempotency } from "./http/idempotency";
import { DEFAULT_ADMIN_DIST, DEFAULT_PORTAL_DIST, serveUi } from "./http/uiAssets";
import { adminAccessRoutes } from "./routes/adminAccessRoutes";
import { adminCatalogRoutes } from "./routes/adminCatalogRoutes";
import { adminCustomerRoutes } from "./routes/adminCustomerRoutes";
import { CATALOG_SCHEMA_PATH, catalogFileRoutes } from "./routes/catalogFileRoutes";
import { eventRoutes } from "./routes/eventRoutes";
import { invoiceRoutes } from "./routes/invoiceRoutes";
import { PROVIDER_WEBHOOK_PATHS, paymentRoutes } from "./routes/paymentRoutes";
import { isPortalPath, PORTAL_HEADERS, portalRoutes } from "./routes/portalRoutes";
import { publicRoutes } from "./routes/publicRoutes";
import { seatRoutes } from "./routes/seatRoutes";
import { usageRoutes } from "./routes/usageRoutes";

export interface AppOptions {
  engine: Engine;
  logger: Logger;
  /** The built admin UI served at `/admin`; default packages/admin/dist. */
  adminDist?: string;
  /** The built customer portal served at `/portal`; default packages/portal/dist. */
  portalDist?: string;
  /** The origin customers reach this server at, for portal links (`TOLLGATE_PUBLIC_URL`). */
  publicUrl?: string | undefined;
}

/** The HTTP API: handlers parse, call one engine function, and map the result. */
export function createApp({
  engine,
  logger,
  adminDist,
  portalDist,
  publicUrl,
}: AppOptions): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const error = fromZodError(result.error);
        return c.json(errorBody(error), statusOf(error));
      }
    },
  });
  app.onError(toErrorResponse);
  app.notFound((c) =>
    c.json(
      {
        error: {
          type: "not_found",
          code: "route_not_found",
          message: `no route ${c.req.method} ${c.req.path}`,
        },
      },
      404,
    ),
  );

  app.use("*", async (c, next) => {
    const requestId = c.req.header("x-request-id") ?? randomUUID();
    c.set("requestId", requestId);
    c.set("engine", engine);
    c.set("logger", logger);
    c.header("x-request-id", requestId);
    const started = performance.now();
    await next();
    logger.info(
      {
        requestId,
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: +(performance.now() - started).toFixed(2),
      },
      "request",
    );
  });

  app.get("/healthz", (c) => c.json({ ok: true }));
  app.doc31("/v1/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Tollgate API",
      version: "1.0.0",
      description: "Billing plans and entitlements. See API.md.",
    },
    security: [{ bearer: [] }],
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
  app.get("/docs", swaggerUI({ url: "/v1/openapi.json", baseUrl: DOCS_ASSET_BASE }));
  serveDocsAssets(app);
  serveUi(app, {
    mount: "/admin",
    dist: adminDist ?? DEFAULT_ADMIN_DIST,
    title: "admin UI",
    buildScript: "build:admin",
  });
  serveUi(app, {
    mount: "/portal",
    dist: portalDist ?? DEFAULT_PORTAL_DIST,
    title: "customer portal",
    buildScript: "build:portal",
    pageHeaders: PORTAL_HEADERS,
  });

  const requireKey = authenticate(engine);
  const keyless = (path: string) =>
    path === "/v1/openapi.json" ||
    path === CATALOG_SCHEMA_PATH ||
    PROVIDER_WEBHOOK_PATHS.has(path) ||
    isPortalPath(path);
  app.use("/v1/*", (c, next) => (keyless(c.req.path) ? next() : requireKey(c, next)));
  const idempotent = idempotency();
  app.use("/v1/*", (c, next) => (keyless(c.req.path) ? next() : idempotent(c, next)));
  app.route("/", publicRoutes());
  app.route("/", usageRoutes());
  app.route("/", seatRoutes());
  app.route("/", invoiceRoutes());
  app.route("/", eventRoutes());
  app.route("/", paymentRoutes());
  app.route("/", portalRoutes({ publicUrl }));
  app.route("/", adminCatalogRoutes());
  app.route("/", catalogFileRoutes());
  app.route("/", adminCustomerRoutes());
  app.route("/", adminAccessRoutes());
  return app;
}
