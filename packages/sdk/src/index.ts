export type { CustomerHandle } from "./cache/customerHandle";
export type { CacheStatus } from "./cache/entitlementCache";
export { DEFAULT_STALE_AFTER_MS, type FailurePolicy } from "./cache/failurePolicy";
export {
  type CheckOptions,
  type ClientOptions,
  createClient,
  type EntitlementsOptions,
  type TollgateClient,
} from "./createClient";
export { type ApiErrorBody, TollgateApiError } from "./http/tollgateApiError";
export type * from "./types";
