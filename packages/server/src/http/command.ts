import { TollgateError } from "@tollgate/core";
import type { AdminCommand } from "@tollgate/engine";
import type { Context } from "hono";
import type { AppEnv } from "./appEnv";

/** The actor and reason of an admin mutation, for the engine's audit entry. */
export function adminCommand(c: Context<AppEnv>, reason: string | undefined): AdminCommand {
  if (!reason?.trim()) {
    throw new TollgateError(
      "invalid_request",
      "parameter_missing",
      "reason is required for every admin change",
      {
        param: "reason",
      },
    );
  }
  const key = c.get("apiKey");
  return {
    actor: { id: key.id, role: key.role ?? key.type },
    reason: reason.trim(),
    requestId: c.get("requestId"),
  };
}
