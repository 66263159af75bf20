import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "./appEnv";

/** A single-page UI built by Vite and served under one path. */
export interface UiBuild {
  /** Where it is served, e.g. `/admin`; its Vite `base` is this path with a trailing slash. */
  mount: string;
  /** The build directory (Vite's outDir). */
  dist: string;
  /** Its name, for the page shown when it is not built. */
  title: string;
  /** The root npm script that builds it. */
  buildScript: string;
  /** Headers for its pages (index.html), on top of the content type. */
  pageHeaders?: Record<string, string>;
}

const packageDist = (name: string) => resolve(import.meta.dirname, `../../../${name}/dist`);
/** Where `vite build` puts each UI (packages/admin/dist, packages/portal/dist), beside this package. */
export const DEFAULT_ADMIN_DIST = packageDist("admin");
export const DEFAULT_PORTAL_DIST = packageDist("portal");

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
};

const notBuilt = (ui: UiBuild) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tollgate ${ui.title}</title></head>
<body><h1>The ${ui.title} is not built</h1>
<p>Run <code>npm run ${ui.buildScript}</code> at the repository root (or <code>npm start</code>, which builds it first), then reload.</p>
</body></html>`;

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

/**
 * Serves a UI's static files under its mount path; any other path there gets index.html, so
 * client routes (`/admin/customers/acme`, `/portal/<token>`) load the app. Looked up per request:
 * a build made while the server runs is served without a restart.
 */
export function serveUi(app: OpenAPIHono<AppEnv>, ui: UiBuild): void {
  const root = resolve(ui.dist);
  const prefix = new RegExp(`^${ui.mount}/?`);
  const handler = async (c: Context<AppEnv>) => {
    const index = join(root, "index.html");
    if (!(await isFile(index))) return c.html(notBuilt(ui), 503, ui.pageHeaders);
    const relative = normalize(decodeURIComponent(c.req.path.replace(prefix, "")));
    const candidate = resolve(root, relative);
    const isAsset = relative !== "." && candidate.startsWith(`${root}/`) && (await isFile(candidate));
    if (!isAsset) {
      return c.body(new Uint8Array(await readFile(index)), 200, {
        "content-type": TYPES[".html"] as string,
        "cache-control": "no-cache",
        ...ui.pageHeaders,
      });
    }
    return c.body(new Uint8Array(await readFile(candidate)), 200, {
      "content-type": TYPES[extname(candidate)] ?? "application/octet-stream",
      "cache-control": relative.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache",
    });
  };
  app.get(ui.mount, handler);
  app.get(`${ui.mount}/*`, handler);
}
