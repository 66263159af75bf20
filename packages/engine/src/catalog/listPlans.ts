import type { Plan, PlanVersion } from "@tollgate/core";
import { type Queryable, tables } from "@tollgate/store";
import { asc, desc } from "drizzle-orm";
import { planFromRow, planVersionFromRow } from "./rows";

/** Every plan with its latest version. */
export async function listPlans(db: Queryable): Promise<Array<Plan & { latestVersion: PlanVersion | null }>> {
  const [plans, versions] = await Promise.all([
    db.select().from(tables.plans).orderBy(asc(tables.plans.key)),
    db.select().from(tables.planVersions).orderBy(desc(tables.planVersions.version)),
  ]);
  const latest = new Map<string, PlanVersion>();
  for (const row of versions) if (!latest.has(row.planKey)) latest.set(row.planKey, planVersionFromRow(row));
  return plans.map((row) => ({ ...planFromRow(row), latestVersion: latest.get(row.key) ?? null }));
}
