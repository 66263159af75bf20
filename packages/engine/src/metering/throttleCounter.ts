/**
 * Under `throttle`, the units admitted past the limit are counted per minute in a counter of
 * their own, beside the feature's: same feature, a scope key no workspace id can take, and a
 * one-minute window. It lives in usage_counters, so it is exact across processes like any other.
 */
export const throttleScope = (scopeKey: string): string => `\u0001throttle${scopeKey}`;

/** The throttle counter's window: one minute. */
export const THROTTLE_WINDOW_MS = 60_000;

/** When the throttle window containing `nowMs` began (epoch ms, no Date built: check's hot path). */
export const throttleWindowStartMs = (nowMs: number): number => nowMs - (nowMs % THROTTLE_WINDOW_MS);

/** The seconds left of the throttle window containing `nowMs`: a throttled use's `retryAfter`. */
export const throttleSecondsLeft = (nowMs: number): number =>
  (throttleWindowStartMs(nowMs) + THROTTLE_WINDOW_MS - nowMs) / 1000;

export function throttleWindow(now: Date): { start: Date; end: Date } {
  const start = throttleWindowStartMs(now.getTime());
  return { start: new Date(start), end: new Date(start + THROTTLE_WINDOW_MS) };
}

/** The units of a use that fall past the limit (0 when it stays within). */
export function pastLimit(limit: number | null, used: number, quantity: number): number {
  if (limit === null) return 0;
  return Math.max(0, used + quantity - Math.max(limit, used));
}
