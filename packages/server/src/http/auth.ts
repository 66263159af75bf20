import { TollgateError } from "@tollgate/core";
import type { Engine, Env } from "@tollgate/engine";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "./appEnv";

const denied = (message: string) => new TollgateError("permission", "insufficient_permissions", message);

/**
 * Each key is looked up by secret once and then kept in process (by the engine, which drops a
 * key once revoked); a new key is found on first use.
 */
export function authenticate(engine: Engine): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const secret = /^Bearer (.+)$/i.exec(header)?.[1]?.trim();
    if (!secret) {
      throw new TollgateError(
        "authentication",
        "missing_api_key",
        "send your API key as 'Authorization: Bearer <key>'",
      );
    }
    const key = engine.apiKeys.cached(secret) ?? (await engine.apiKeys.authenticate(secret));
    if (!key) throw new TollgateError("authentication", "invalid_api_key", "the API key is not valid");
    c.set("apiKey", key);
    await next();
  };
}

/** Public routes: a secret key acts in its own environment; an admin key may name one (default live). */
export function publicEnv(c: Context<AppEnv>, requested?: string | null): Env {
  const key = c.get("apiKey");
  if (key.type === "secret") {
    if (requested && requested !== key.env) throw denied(`this key belongs to the ${key.env} environment`);
    return key.env;
  }
  return requested === "test" ? "test" : "live";
}

export type AdminRight = "read" | "operate" | "administer";

/** Public mutations: a secret key may make them; an admin key needs a role that operates (not a viewer). */
export function requirePublicWrite(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.get("apiKey");
    if (key.type === "admin" && !ROLE_RIGHTS[key.role ?? "viewer"]?.includes("operate")) {
      throw denied(`the ${key.role} role may not change this`);
    }
    await next();
  };
}

const ROLE_RIGHTS: Record<string, AdminRight[]> = {
  admin: ["read", "operate", "administer"],
  operator: ["read", "operate"],
  viewer: ["read"],
};

/**
 * Admin routes need an admin key whose role grants the right: viewers read, operators also
 * change customers, admins also change the catalog and keys.
 */
export function requireAdmin(right: AdminRight): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.get("apiKey");
    if (key.type !== "admin") throw denied("admin routes need an admin key");
    if (!ROLE_RIGHTS[key.role ?? "viewer"]?.includes(right)) {
      throw denied(`the ${key.role} role may not ${right === "read" ? "read this" : "change this"}`);
    }
    await next();
  };
}
