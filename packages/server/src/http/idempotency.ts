import { createHash } from "node:crypto";
import { TollgateError } from "@tollgate/core";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./appEnv";

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * `Idempotency-Key` on a mutation: the same key with the same request replays the first
 * response; with a different request it is a 409. Server errors are not remembered, so a
 * retry after one runs again.
 */
export function idempotency(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.header("idempotency-key");
    if (!key || !MUTATING.has(c.req.method)) return next();
    if (key.length > 255) {
      throw new TollgateError(
        "invalid_request",
        "parameter_invalid",
        "Idempotency-Key is at most 255 characters",
        {
          param: "Idempotency-Key",
        },
      );
    }
    const engine = c.get("engine");
    const apiKeyId = c.get("apiKey").id;
    const body = await c.req.text();
    const requestHash = createHash("sha256").update(`${c.req.method} ${c.req.path}\n${body}`).digest("hex");
    const stored = await engine.idempotency.find(apiKeyId, key);
    if (stored) {
      if (stored.requestHash !== requestHash) {
        throw new TollgateError(
          "conflict",
          "idempotency_key_reused",
          "this Idempotency-Key was used with a different request",
          { param: "Idempotency-Key" },
        );
      }
      c.header("Idempotent-Replayed", "true");
      return c.json(stored.response as object, stored.status as 200);
    }
    await next();
    if (c.res.status < 500 && c.res.headers.get("content-type")?.includes("json")) {
      const response = await c.res.clone().json();
      await engine.idempotency.save(apiKeyId, key, { requestHash, status: c.res.status, response });
    }
  };
}
