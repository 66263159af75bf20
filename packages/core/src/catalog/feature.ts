import { z } from "zod";

export const FEATURE_TYPES = ["boolean", "metered", "config"] as const;
export const AGGREGATIONS = ["sum", "count", "max", "unique_count", "latest"] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

export const FeatureKey = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z][a-z0-9_.-]*$/, "must be lowercase letters, digits, '_', '.' or '-', starting with a letter");

export const FeatureInput = z
  .object({
    key: FeatureKey,
    name: z.string().trim().min(1, "name is required").max(200),
    type: z.enum(FEATURE_TYPES),
    unit: z.string().max(50).nullish(),
    aggregation: z.enum(AGGREGATIONS).nullish(),
    uniqueProperty: z.string().min(1).max(100).nullish(),
    description: z.string().max(2000).nullish(),
  })
  .superRefine((feature, ctx) => {
    if (feature.type !== "metered" && feature.aggregation) {
      ctx.addIssue({
        code: "custom",
        path: ["aggregation"],
        message: "only metered features aggregate usage",
      });
    }
    if (feature.aggregation === "unique_count" && !feature.uniqueProperty) {
      ctx.addIssue({
        code: "custom",
        path: ["uniqueProperty"],
        message: "unique_count needs the property to count",
      });
    }
  });
export type FeatureInput = z.infer<typeof FeatureInput>;

export interface Feature {
  key: string;
  name: string;
  type: (typeof FEATURE_TYPES)[number];
  unit: string | null;
  aggregation: (typeof AGGREGATIONS)[number] | null;
  uniqueProperty: string | null;
  description: string | null;
  createdAt: Date;
}

/** A feature as stored, from its input: what createFeature writes and a catalog file is compared by. */
export type FeatureFields = Omit<Feature, "createdAt">;

export function featureFields(input: FeatureInput): FeatureFields {
  return {
    key: input.key,
    name: input.name,
    type: input.type,
    unit: input.unit ?? null,
    aggregation: input.type === "metered" ? (input.aggregation ?? "sum") : null,
    uniqueProperty: input.uniqueProperty ?? null,
    description: input.description ?? null,
  };
}
