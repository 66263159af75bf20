import {
  type FlagMetadata,
  type JsonValue,
  type ResolutionDetails,
  StandardResolutionReasons,
  TypeMismatchError,
} from "@openfeature/server-sdk";
import type { CustomerHandle, Entitlement } from "@tollgate/sdk";
import type { FlagKey } from "./flagKey";

/**
 * How each flag type reads a customer's cached entitlement. Reasons: STATIC for what only an
 * admin change moves (enabled, a config value, a limit); CACHED for what usage moves (remaining,
 * used, and whether a metered feature still admits one more unit).
 */

function metadata(entitlement: Entitlement): FlagMetadata {
  return {
    type: entitlement.type,
    enforcement: entitlement.enforcement,
    unlimited: entitlement.unlimited,
    source: entitlement.source.kind,
  };
}

function mismatch(key: FlagKey, entitlement: Entitlement, wanted: string): TypeMismatchError {
  const asked = key.aspect === "value" ? key.feature : `${key.feature}:${key.aspect}`;
  return new TypeMismatchError(`${asked} is not a ${wanted} flag (the feature is ${entitlement.type})`);
}

/** Boolean `feature`: may the customer use it now (enabled; for a blocking metered feature, one more unit). */
export function resolveBoolean(
  key: FlagKey,
  entitlement: Entitlement,
  handle: CustomerHandle,
): ResolutionDetails<boolean> {
  if (key.aspect !== "value") throw mismatch(key, entitlement, "boolean");
  const usageBound = entitlement.type === "metered" && entitlement.enabled && !entitlement.unlimited;
  return {
    value: handle.allows(key.feature),
    reason: usageBound ? StandardResolutionReasons.CACHED : StandardResolutionReasons.STATIC,
    flagMetadata: metadata(entitlement),
  };
}

/**
 * Number `feature` or `feature:remaining`: what is left before the limit; `feature:limit`, the
 * limit; `feature:used`, the usage. Unlimited is Infinity. A config feature with a numeric value
 * (`max_projects`) answers that value.
 */
export function resolveNumber(key: FlagKey, entitlement: Entitlement): ResolutionDetails<number> {
  if (entitlement.type === "config") {
    if (key.aspect !== "value" || typeof entitlement.value !== "number")
      throw mismatch(key, entitlement, "number");
    return {
      value: entitlement.value,
      reason: StandardResolutionReasons.STATIC,
      flagMetadata: metadata(entitlement),
    };
  }
  if (entitlement.type !== "metered") throw mismatch(key, entitlement, "number");
  const unlimited = (n: number | null) => (n === null ? Number.POSITIVE_INFINITY : n);
  const answers = {
    value: { value: unlimited(entitlement.remaining), reason: StandardResolutionReasons.CACHED },
    remaining: { value: unlimited(entitlement.remaining), reason: StandardResolutionReasons.CACHED },
    limit: { value: unlimited(entitlement.limit), reason: StandardResolutionReasons.STATIC },
    used: { value: entitlement.used, reason: StandardResolutionReasons.CACHED },
  };
  return { ...answers[key.aspect], flagMetadata: metadata(entitlement) };
}

/** String `feature`: a config feature's string value (a support tier). */
export function resolveString(key: FlagKey, entitlement: Entitlement): ResolutionDetails<string> {
  if (key.aspect !== "value" || typeof entitlement.value !== "string")
    throw mismatch(key, entitlement, "string");
  return {
    value: entitlement.value,
    reason: StandardResolutionReasons.STATIC,
    flagMetadata: metadata(entitlement),
  };
}

/** Object `feature`: a config feature's JSON object or array value. */
export function resolveObject(key: FlagKey, entitlement: Entitlement): ResolutionDetails<JsonValue> {
  const { value } = entitlement;
  if (key.aspect !== "value" || typeof value !== "object" || value === null)
    throw mismatch(key, entitlement, "object");
  return {
    value: value as JsonValue,
    reason: StandardResolutionReasons.STATIC,
    flagMetadata: metadata(entitlement),
  };
}
