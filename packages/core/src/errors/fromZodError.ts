import type { z } from "zod";
import { TollgateError } from "./TollgateError";

/** The first zod issue as a TollgateError naming the field at fault (`parameter_missing|invalid`). */
export function fromZodError(error: z.ZodError, prefix = ""): TollgateError {
  const issue = error.issues[0];
  // An unknown key is the field at fault itself, not the object holding it.
  const unknown = issue?.code === "unrecognized_keys" ? issue.keys.slice(0, 1) : [];
  const param = [prefix, ...(issue?.path ?? []).map(String), ...unknown].filter(Boolean).join(".");
  const missing = issue?.code === "invalid_type" && /received undefined/.test(issue.message);
  const code = missing ? "parameter_missing" : "parameter_invalid";
  const message = missing ? `${param} is required` : `${param || "body"}: ${issue?.message ?? "invalid"}`;
  return new TollgateError("invalid_request", code, message, param ? { param } : {});
}
