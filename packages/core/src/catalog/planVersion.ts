import { z } from "zod";
import { DecimalString } from "../money/decimal";
import { ENFORCEMENT_MODES, EntitlementSpec, Limit } from "./entitlement";
import { FeatureKey } from "./feature";

export const PLAN_KINDS = ["free", "trial", "standard", "enterprise", "custom"] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];
export const INTERVALS = ["month", "year"] as const;
export const PRICE_MODELS = ["flat", "per_unit", "graduated", "volume", "package"] as const;
export type PriceModel = (typeof PRICE_MODELS)[number];

export const PlanKey = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z][a-z0-9_.-]*$/, "must be lowercase letters, digits, '_', '.' or '-', starting with a letter");

const Instant = z.coerce.date();

/** Credits per seat above this are a typo, not a deal; -1 means unlimited. */
export const MAX_CREDITS = 1_000_000_000;

export const Tier = z.object({
  upTo: z.number().int().positive().nullable(),
  unitAmount: DecimalString.optional(),
  flatAmount: z.number().int().min(0).optional(),
});
export type Tier = z.infer<typeof Tier>;

export const Price = z.object({
  feature: FeatureKey,
  model: z.enum(PRICE_MODELS),
  unitAmount: DecimalString.optional(),
  amount: z.number().int().min(0).optional(),
  tiers: z.array(Tier).min(1).optional(),
  packageSize: z.number().int().positive().optional(),
  freeUnits: z.number().int().min(0).optional(),
  round: z.enum(["up", "down"]).optional(),
});
export type Price = z.infer<typeof Price>;

/** The terms of a plan that a version fixes; the body of "publish a version". */
export const PlanTerms = z.object({
  name: z.string().trim().min(1, "name is required").max(200),
  kind: z.enum(PLAN_KINDS).default("standard"),
  currency: z
    .string()
    .regex(/^[a-z]{3}$/, 'must be a lowercase ISO-4217 code such as "usd"')
    .default("usd"),
  interval: z.enum(INTERVALS).default("month"),
  basePrice: z
    .number()
    .int("must be integer minor units")
    .min(0, "must be ≥ 0")
    .max(100_000_000_00)
    .default(0),
  trial: z
    .object({ days: z.number().int().min(1).max(365), fallbackPlan: PlanKey.nullable().default(null) })
    .nullable()
    .default(null),
  paymentGraceDays: z.number().int().min(0).max(90).default(7),
  effectiveFrom: Instant.nullish(),
  effectiveTo: Instant.nullish(),
  seats: z
    .object({
      limit: Limit.default(null),
      enforcement: z.enum(ENFORCEMENT_MODES).default("block"),
      /** Per seat and per interval, in minor units; billed by the day in arrears. */
      price: z.number().int("must be integer minor units").min(0, "must be ≥ 0").max(100_000_000).default(0),
      /** Seats the base price covers: only seats held past them are billed. */
      included: z.number().int().min(0).max(1_000_000).default(0),
    })
    .default({ limit: null, enforcement: "block", price: 0, included: 0 }),
  credits: z
    .object({
      perSeat: z.number().int().min(-1).max(MAX_CREDITS).default(0),
      price: DecimalString.default("0"),
      neverExpire: z.boolean().default(false),
    })
    .default({ perSeat: 0, price: "0", neverExpire: false }),
  entitlements: z.record(FeatureKey, EntitlementSpec).default({}),
  prices: z.array(Price).max(100).default([]),
});
export type PlanTerms = z.infer<typeof PlanTerms>;

/** A published, immutable version of a plan. */
export interface PlanVersion extends Omit<PlanTerms, "effectiveFrom" | "effectiveTo"> {
  id: string;
  planKey: string;
  version: number;
  effectiveFrom: Date | null;
  effectiveTo: Date | null;
  publishedAt: Date;
}

export interface Plan {
  key: string;
  name: string;
  kind: PlanKind;
  isCustom: boolean;
  customerId: string | null;
  archivedAt: Date | null;
  createdAt: Date;
}
