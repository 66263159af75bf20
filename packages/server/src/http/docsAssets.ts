import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./appEnv";

/** Where `/docs` loads Swagger UI from: this server, so the page works with no internet. */
export const DOCS_ASSET_BASE = "/docs/assets";

const ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
};

/** Serves the two Swagger UI files `/docs` needs from the installed `swagger-ui-dist`. */
export function serveDocsAssets(app: OpenAPIHono<AppEnv>): void {
  const dist = (
    createRequire(import.meta.url)("swagger-ui-dist") as { getAbsoluteFSPath(): string }
  ).getAbsoluteFSPath();
  const cache = new Map<string, Buffer>();
  app.get(`${DOCS_ASSET_BASE}/swagger-ui-dist/:file`, async (c) => {
    const file = c.req.param("file");
    const type = ASSETS[file];
    if (!type) return c.notFound();
    let body = cache.get(file);
    if (!body) {
      body = await readFile(join(dist, file));
      cache.set(file, body);
    }
    return c.body(new Uint8Array(body), 200, {
      "content-type": type,
      "cache-control": "public, max-age=86400",
    });
  });
}
