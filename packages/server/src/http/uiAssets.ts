import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "./appEnv";

/** Where `vite build` puts the admin UI (packages/admin/dist), beside this package. */
export const DEFAULT_ADMIN_DIST = resolve(import.meta.dirname, "../../../admin/dist");

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
};

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tollgate admin</title></head>
<body><h1>The admin UI is not built</h1>
<p>Run <code>npm run build:admin</code> at the repository root (or <code>npm start</code>, which builds it first), then reload.</p>
</body></html>`;

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

/**
 * Serves the admin UI's static files under `/admin`; any other path there gets index.html, so
 * client routes (`/admin/customers/acme`) load the app. Looked up per request: a build made
 * while the server runs is served without a restart.
 */
export function serveAdminAssets(app: OpenAPIHono<AppEnv>, dist = DEFAULT_ADMIN_DIST): void {
  const root = resolve(dist);
  const handler = async (c: Context<AppEnv>) => {
    const index = join(root, "index.html");
    if (!(await isFile(index))) return c.html(NOT_BUILT, 503);
    const relative = normalize(decodeURIComponent(c.req.path.replace(/^\/admin\/?/, "")));
    const candidate = resolve(root, relative);
    const isAsset = relative !== "." && candidate.startsWith(`${root}/`) && (await isFile(candidate));
    if (!isAsset) {
      return c.body(new Uint8Array(await readFile(index)), 200, {
        "content-type": TYPES[".html"] as string,
        "cache-control": "no-cache",
      });
    }
    return c.body(new Uint8Array(await readFile(candidate)), 200, {
      "content-type": TYPES[extname(candidate)] ?? "application/octet-stream",
      "cache-control": relative.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache",
    });
  };
  app.get("/admin", handler);
  app.get("/admin/*", handler);
}
