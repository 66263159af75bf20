import type { Feature, Plan, PlanVersion } from "@tollgate/core";
import { notFound } from "@tollgate/core";
import { type Queryable, tables } from "@tollgate/store";
import { asc, desc, eq } from "drizzle-orm";
import { featureFromRow, planFromRow, planVersionFromRow } from "./rows";

export async function listFeatures(db: Queryable): Promise<Feature[]> {
  const rows = await db.select().from(tables.features).orderBy(asc(tables.features.key));
  return rows.map(featureFromRow);
}

export async function featureMap(db: Queryable): Promise<Map<string, Feature>> {
  return new Map((await listFeatures(db)).map((f) => [f.key, f]));
}

export async function findPlan(db: Queryable, key: string): Promise<Plan | undefined> {
  const [row] = await db.select().from(tables.plans).where(eq(tables.plans.key, key));
  return row && planFromRow(row);
}

export async function requirePlan(db: Queryable, key: string, param = "planKey"): Promise<Plan> {
  const plan = await findPlan(db, key);
  if (!plan) throw notFound("plan_not_found", `no plan with key "${key}"`, param);
  return plan;
}

export async function listPlanVersions(db: Queryable, planKey: string): Promise<PlanVersion[]> {
  const rows = await db
    .select()
    .from(tables.planVersions)
    .where(eq(tables.planVersions.planKey, planKey))
    .orderBy(desc(tables.planVersions.version));
  return rows.map(planVersionFromRow);
}

export async function findPlanVersionById(db: Queryable, id: string): Promise<PlanVersion | undefined> {
  const [row] = await db.select().from(tables.planVersions).where(eq(tables.planVersions.id, id));
  return row && planVersionFromRow(row);
}
