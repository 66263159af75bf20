import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { catalogJsonSchema } from "@tollgate/core";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../http/appEnv";
import { requireAdmin } from "../http/auth";
import { adminCommand } from "../http/command";
import { answer, errors, Flag, json, Reason } from "../http/schemas";

/** Served without a key, so editors can validate catalog files against it. */
export const CATALOG_SCHEMA_PATH = "/v1/catalog.schema.json";

/** A dry run only reads: viewers may preview a catalog; applying it needs the admin role. */
const requireApplyRight: MiddlewareHandler<AppEnv> = (c, next) =>
  requireAdmin(c.req.query("dryRun") === "true" ? "read" : "administer")(c, next);

/** The catalog file's fields are checked by the engine (422 naming the file's path); here only `reason`. */
const ApplyCatalogInput = z.looseObject({ reason: Reason.optional() }).openapi("CatalogFile", {
  description: `A catalog file (JSON Schema at ${CATALOG_SCHEMA_PATH}) plus the reason of the change`,
});

export function catalogFileRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  const tags = ["admin: catalog"];

  app.get(CATALOG_SCHEMA_PATH, (c) => c.json(catalogJsonSchema()));

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/admin/catalog",
      tags,
      summary: "The public catalog as a catalog file: every feature, every public plan's newest version",
      middleware: [requireAdmin("read")] as const,
      responses: { 200: answer("the catalog file"), ...errors },
    }),
    async (c) => c.json(await c.get("engine").catalog.export(), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/admin/catalog/apply",
      tags,
      summary:
        "Apply a catalog file in one transaction (`dryRun=true`: only the diff). Answers {applied, dryRun, changes}: features added/changed, plans added/changed (with fields before and after)/archived, and the customers each touches",
      middleware: [requireApplyRight] as const,
      request: {
        query: z.object({ dryRun: Flag }),
        body: { required: true, ...json(ApplyCatalogInput) },
      },
      responses: { 200: answer("the diff, and whether it was applied"), ...errors },
    }),
    async (c) => {
      const { dryRun } = c.req.valid("query");
      const { reason, ...file } = c.req.valid("json");
      const catalog = c.get("engine").catalog;
      const result = dryRun ? await catalog.diff(file) : await catalog.apply(file, adminCommand(c, reason));
      return c.json(result, 200);
    },
  );

  return app;
}
