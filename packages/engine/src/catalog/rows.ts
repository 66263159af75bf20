import type { Feature, Plan, PlanTerms, PlanVersion } from "@tollgate/core";
import type { tables } from "@tollgate/store";

type FeatureRow = typeof tables.features.$inferSelect;
type PlanRow = typeof tables.plans.$inferSelect;
type PlanVersionRow = typeof tables.planVersions.$inferSelect;

/** The terms stored in a version row: everything but the effective dates, which are columns. */
export type StoredTerms = Omit<PlanTerms, "effectiveFrom" | "effectiveTo">;

export const featureFromRow = (row: FeatureRow): Feature => ({ ...row });

export const planFromRow = (row: PlanRow): Plan => ({
  key: row.key,
  name: row.name,
  kind: row.kind,
  isCustom: row.isCustom,
  customerId: row.customerId,
  archivedAt: row.archivedAt,
  createdAt: row.createdAt,
});

export const planVersionFromRow = (row: PlanVersionRow): PlanVersion => ({
  ...(row.terms as StoredTerms),
  id: row.id,
  planKey: row.planKey,
  version: row.version,
  effectiveFrom: row.effectiveFrom,
  effectiveTo: row.effectiveTo,
  publishedAt: row.publishedAt,
});

export function termsForStorage(terms: PlanTerms): StoredTerms {
  const { effectiveFrom: _from, effectiveTo: _to, ...stored } = terms;
  return stored;
}
