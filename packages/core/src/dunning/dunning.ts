import type { EffectiveEntitlement, EffectivePlan, Source } from "../entitlements/effectivePlan";

export type PaymentState = "ok" | "past_due" | "uncollectible";

/**
 * Where a subscription stands after a failed payment: `grace` (everything works, the product is
 * told), then `throttle` (metered features admitted at their reduced rate only), then `suspend`
 * (every feature refused with `payment_overdue`); `blocked` once the invoice is uncollectible.
 */
export type DunningStage = "ok" | "grace" | "throttle" | "suspend" | "blocked";

export interface PaymentStanding {
  state: PaymentState;
  pastDueSince: Date | null;
  /** The plan's payment grace, in days (7 on Standard, 15 on Enterprise). */
  graceDays: number;
}

export interface Dunning {
  stage: DunningStage;
  since: Date | null;
  /** When the next stage starts, if one does. */
  nextStageAt: Date | null;
}

const DAY = 86_400_000;

/**
 * The stage at `at`: grace for `graceDays` from the failure, throttle for as long again (at
 * least a day), then suspend. Pure and per subscription: one subscription's failure never
 * touches another's.
 */
export function dunningStage(standing: PaymentStanding, at: Date): Dunning {
  if (standing.state === "ok" || !standing.pastDueSince)
    return { stage: "ok", since: null, nextStageAt: null };
  const since = standing.pastDueSince;
  if (standing.state === "uncollectible") return { stage: "blocked", since, nextStageAt: null };
  const throttleAt = new Date(since.getTime() + standing.graceDays * DAY);
  const suspendAt = new Date(throttleAt.getTime() + Math.max(1, standing.graceDays) * DAY);
  if (at < throttleAt) return { stage: "grace", since, nextStageAt: throttleAt };
  if (at < suspendAt) return { stage: "throttle", since, nextStageAt: suspendAt };
  return { stage: "suspend", since, nextStageAt: null };
}

/**
 * The effective plan as the dunning stage leaves it, each changed value naming the dunning as
 * its source: under `throttle` every metered entitlement is throttled from its first unit (limit
 * 0, at its reduced rate, one a minute unless it says otherwise); under `suspend` and `blocked`
 * every entitlement is disabled. `ok` and `grace` change nothing.
 */
export function applyDunning(effective: EffectivePlan, dunning: Dunning): EffectivePlan {
  if (dunning.stage === "ok" || dunning.stage === "grace") return effective;
  const source: Source = {
    kind: "dunning",
    id: dunning.stage,
    label: `payment past due since ${dunning.since?.toISOString() ?? "?"} (${dunning.stage})`,
  };
  const entitlements: Record<string, EffectiveEntitlement> = {};
  for (const [key, e] of Object.entries(effective.entitlements)) {
    if (dunning.stage === "throttle") {
      entitlements[key] =
        e.type === "metered"
          ? {
              ...e,
              limit: 0,
              unlimited: false,
              enforcement: "throttle",
              throttle: e.throttle ?? { perMinute: 1 },
              source,
              explain: { ...e.explain, enforcement: [...(e.explain.enforcement ?? []), source] },
            }
          : e;
    } else {
      entitlements[key] = {
        ...e,
        enabled: false,
        source,
        explain: { ...e.explain, enabled: [...(e.explain.enabled ?? []), source] },
      };
    }
  }
  return { ...effective, entitlements, notes: [...effective.notes, source.label] };
}
