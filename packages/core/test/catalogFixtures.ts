import type { Feature, OverrideSet, Plan, PlanVersion } from "../src/index";
import { PlanTerms } from "../src/index";

/** A small catalog for core tests, built through the same schema the API uses. */
export const features = new Map<string, Pick<Feature, "key" | "type">>(
  (
    [
      ["ai_chat", "boolean"],
      ["sso", "boolean"],
      ["infra_dedicated", "boolean"],
      ["sla_custom", "boolean"],
      ["support.tier", "config"],
      ["ai_tokens", "metered"],
      ["endpoints", "metered"],
    ] as const
  ).map(([key, type]) => [key, { key, type }]),
);

export const teamProPlan: Pick<Plan, "key" | "kind" | "isCustom"> = {
  key: "team_pro",
  kind: "standard",
  isCustom: false,
};

export function planVersion(overrides: Partial<PlanTerms> = {}, version = 1): PlanVersion {
  const terms = PlanTerms.parse({
    name: "Team Pro",
    basePrice: 4900,
    seats: { limit: 25, enforcement: "block" },
    credits: { perSeat: 100, price: "1.00", neverExpire: false },
    entitlements: {
      ai_chat: { enabled: true },
      sso: { enabled: false },
      "support.tier": { value: "standard" },
      ai_tokens: { limit: 1_000_000, enforcement: "billable_overage", overage: { unitAmount: "0.0004" } },
    },
    ...overrides,
  });
  return {
    ...terms,
    id: `pv_team_pro_${version}`,
    planKey: "team_pro",
    version,
    effectiveFrom: terms.effectiveFrom ?? null,
    effectiveTo: terms.effectiveTo ?? null,
    publishedAt: new Date("2026-01-01T00:00:00Z"),
  };
}

export function overrideSet(
  overrides: OverrideSet["overrides"],
  from = "2026-03-01T00:00:00Z",
  to: string | null = null,
): OverrideSet {
  return {
    id: "ov_acme",
    customerId: "acme",
    overrides,
    effectiveFrom: new Date(from),
    effectiveTo: to === null ? null : new Date(to),
    reason: "Acme MSA signed 2026-03-01",
    createdAt: new Date(from),
  };
}
