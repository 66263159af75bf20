/**
 * The alert thresholds (fractions of the limit: 0.8, 0.9, 1.0) that usage `used` has reached.
 * An unlimited or zero limit has none: there is nothing to approach.
 */
export function thresholdsReached(
  limit: number | null,
  thresholds: readonly number[],
  used: number,
): number[] {
  if (limit === null || limit <= 0) return [];
  return thresholds.filter((threshold) => used >= threshold * limit);
}
