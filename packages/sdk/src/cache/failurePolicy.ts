/**
 * What `allows()` answers when it cannot answer from a current cache: the customer's
 * entitlements are not loaded (yet, or the server could not be reached), or they are stale
 * (not confirmed by a fetch or a live event stream for `staleAfterMs`).
 *
 * - `"closed"` (the default): refuse — `allows()` is `false`. Nothing is given away while
 *   Tollgate is unreachable; a product that prefers availability over enforcement chooses open.
 * - `"open"`: admit — `allows()` is `true`.
 *
 * A cached answer keeps serving while it is current: while the event stream is open, or until
 * `staleAfterMs` (default 5 minutes) after the last fetch or the last sign of life from the
 * stream, whichever is later. `limit()`, `value()` and `remaining()` answer `undefined` whenever
 * `allows()` would fall back to the policy.
 */
export type FailurePolicy = "open" | "closed";

export const DEFAULT_STALE_AFTER_MS = 5 * 60_000;

export function policyAnswer(policy: FailurePolicy): boolean {
  return policy === "open";
}
