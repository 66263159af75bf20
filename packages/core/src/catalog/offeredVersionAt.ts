import { contains } from "../time/interval";
import type { PlanVersion } from "./planVersion";

/**
 * The version a plan offers at `at` (where a trial falls back to): the newest whose effective
 * range holds `at`, else the newest. `versions` are newest first.
 */
export function offeredVersionAt<V extends Pick<PlanVersion, "effectiveFrom" | "effectiveTo">>(
  versions: readonly V[],
  at: Date,
): V | undefined {
  const inRange = versions.find((v) =>
    contains({ from: v.effectiveFrom ?? new Date(0), to: v.effectiveTo }, at),
  );
  return inRange ?? versions[0];
}
