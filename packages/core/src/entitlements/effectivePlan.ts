import type { EnforcementMode } from "../catalog/entitlement";
import type { Feature } from "../catalog/feature";
import type { PlanKind, PlanTerms, Price } from "../catalog/planVersion";
import type { Window } from "../time/windows";

/** Which row set a value: a plan version, an override set, an add-on, or a built-in default. */
export interface Source {
  kind: "plan_version" | "override" | "add_on" | "default" | "dunning";
  id: string;
  /** Human words for the row, e.g. "team_pro v2" or "override ov_12 (Acme MSA)". */
  label: string;
}

export interface EffectiveEntitlement {
  feature: string;
  type: Feature["type"];
  enabled: boolean;
  limit: number | null;
  unlimited: boolean;
  window: Window;
  enforcement: EnforcementMode;
  overage: { unitAmount: string } | null;
  thresholds: number[];
  scope: "customer" | "workspace" | "env";
  creditCost: number | null;
  /** Under `throttle`: the units admitted per minute past the limit. */
  throttle: { perMinute: number } | null;
  value: unknown;
  /** The row that had the last word on this entitlement. */
  source: Source;
  /** For each field, the rows its value came from, in the order they were applied. */
  explain: Record<string, Source[]>;
}

export interface EffectivePlan {
  at: Date;
  plan: {
    key: string;
    version: number;
    versionId: string;
    name: string;
    label: string;
    kind: PlanKind;
    custom: boolean;
  };
  currency: string;
  interval: PlanTerms["interval"];
  basePrice: number;
  paymentGraceDays: number;
  trial: PlanTerms["trial"];
  seats: {
    limit: number | null;
    unlimited: boolean;
    enforcement: EnforcementMode;
    /** Per seat and per interval, in minor units (0: seats are not billed). */
    price: number;
    /** Seats the base price covers. */
    included: number;
  };
  credits: { perSeat: number; unlimited: boolean; price: string; neverExpire: boolean };
  skipBilling: boolean;
  providerPriceIds: string[];
  /** The plan version's usage prices (rated on invoices); overage prices live on entitlements. */
  prices: Price[];
  entitlements: Record<string, EffectiveEntitlement>;
  /** The override set in force, if any, and why one on file was not applied. */
  overrideSetId: string | null;
  notes: string[];
  /** Plan-level fields (label, basePrice, seats.limit, credits.perSeat, …) and their rows. */
  explain: Record<string, Source[]>;
}
