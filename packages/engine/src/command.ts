import { invalid } from "@tollgate/core";
import type { AdminCommand } from "./context";

/**
 * Every admin mutation says why, in process as over HTTP: a command without a reason (or with
 * only blanks) is refused before anything is read or written.
 */
export function checked(command: AdminCommand): AdminCommand {
  const reason = typeof command?.reason === "string" ? command.reason.trim() : "";
  if (!reason)
    throw invalid("parameter_missing", "reason is required: say why this change is made", "reason");
  if (reason.length > 500) throw invalid("parameter_invalid", "reason: at most 500 characters", "reason");
  return { ...command, reason };
}
