import { createHash } from "node:crypto";
import { TollgateError } from "@tollgate/core";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./appEnv";

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * `Idempotency-Key` on a mutation: the same key with the same request (method, path with
 * query, body) replays the first response; with a different request it is a 409. Server
 * errors are not remembered, so a retry after one runs again. Concurrent requests with one key
 * are serialized in process, so a retry racing the first waits for its answer.
 */
export function idempotency(): MiddlewareHandler<AppEnv> {
  /** Requests in flight per (API key, Idempotency-Key): a concurrent retry waits for the first's answer. */
  const inFlight = new Map<string, Promise<void>>();
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
    const { pathname, search } = new URL(c.req.url);
    const requestHash = createHash("sha256")
      .update(`${c.req.method} ${pathname}${search}\n${body}`)
      .digest("hex");
    const slot = `${apiKeyId}\n${key}`;
    for (let busy = inFlight.get(slot); busy; busy = inFlight.get(slot)) await busy;
    let release = () => {};
    inFlight.set(
      slot,
      new Promise<void>((resolve) => {
        release = resolve;
      }),
    );
    try {
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
    } finally {
      inFlight.delete(slot);
      release();
    }
  };
}
