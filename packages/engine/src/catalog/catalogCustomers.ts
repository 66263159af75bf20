import { type CatalogDiff, offeredVersionAt, type PlanTerms, type PlanVersion } from "@tollgate/core";
import { type Queryable, tables } from "@tollgate/store";
import { and, asc, eq, gt, inArray, isNull, or, sql } from "drizzle-orm";
import type { Env } from "../context";
import { listPlanVersions } from "./loadCatalog";

/** What a catalog change does to one customer's contract. */
export type CustomerEffect =
  /** On the changed plan: the contract keeps the version it pinned (grandfathered). */
  | "keeps_version"
  /** On the archived plan: the contract keeps it; nobody new is assigned it. */
  | "keeps_archived_plan"
  /** Trialing on a plan that falls back to the changed plan: at the trial's end it starts on the new version. */
  | "trial_falls_back_to_new_version"
  /** Trialing on a plan that falls back to the archived plan: at the trial's end it still starts on it. */
  | "trial_falls_back_to_archived_plan";

export interface AffectedCustomer {
  customerId: string;
  env: Env;
  /** The contract's plan and pinned version. */
  planKey: string;
  version: number;
  effect: CustomerEffect;
  /** When a customer moves: the version it moves to. */
  toVersion?: number;
  /** When the effect happens, if later than now: a scheduled contract's start or a trial's end. */
  at?: Date;
}

/** Said with every diff, so a reviewer knows why most customers are listed but not moved. */
export const VERSION_PINNING_NOTE =
  "A subscription pins a plan version: publishing a new version moves no subscriber (each keeps the " +
  "version it has; new assignments get the new one), and an archived plan keeps its subscribers but " +
  "takes no new ones. Only a trial that ends after the change moves, to the version its fallback plan offers then.";

/**
 * The customers each changed or archived plan touches: contracts in force now or starting later
 * on the plan, and trials that fall back to it. Both environments: the catalog is shared.
 */
export async function catalogCustomers(
  tx: Queryable,
  diff: CatalogDiff,
  newTerms: ReadonlyMap<string, PlanTerms>,
  now: Date,
): Promise<Map<string, AffectedCustomer[]>> {
  const archived = new Set(diff.plans.archived.map((p) => p.key));
  const keys = [...diff.plans.changed.map((p) => p.key), ...archived];
  const affected = new Map<string, AffectedCustomer[]>(keys.map((key) => [key, []]));
  if (keys.length === 0) return affected;
  for (const c of await contractsOn(tx, keys, now)) {
    affected.get(c.planKey)?.push({
      customerId: c.customerId,
      env: c.env,
      planKey: c.planKey,
      version: c.version,
      effect: archived.has(c.planKey) ? "keeps_archived_plan" : "keeps_version",
      ...(c.effectiveFrom > now ? { at: c.effectiveFrom } : {}),
    });
  }
  // A fallback plan's versions, read once however many trials fall back to it.
  const versionsOf = new Map<string, Promise<PlanVersion[]>>();
  const fallbackVersions = (planKey: string) => {
    let versions = versionsOf.get(planKey);
    if (!versions) {
      versions = listPlanVersions(tx, planKey);
      versionsOf.set(planKey, versions);
    }
    return versions;
  };
  for (const t of await trialsFallingBackTo(tx, keys, now)) {
    const base = {
      customerId: t.customerId,
      env: t.env,
      planKey: t.planKey,
      version: t.version,
      at: t.endsAt,
    };
    if (archived.has(t.fallback)) {
      affected.get(t.fallback)?.push({ ...base, effect: "trial_falls_back_to_archived_plan" });
      continue;
    }
    const terms = newTerms.get(t.fallback);
    const toVersion = terms && fallbackVersionAfter(await fallbackVersions(t.fallback), terms, t.endsAt);
    if (toVersion !== undefined)
      affected.get(t.fallback)?.push({ ...base, effect: "trial_falls_back_to_new_version", toVersion });
  }
  return affected;
}

/** Contracts in force now or starting later (empty, superseded ranges are history, not contracts). */
async function contractsOn(tx: Queryable, planKeys: string[], now: Date) {
  const s = tables.subscriptions;
  const v = tables.planVersions;
  return tx
    .select({
      customerId: s.customerId,
      env: s.env,
      planKey: s.planKey,
      version: v.version,
      effectiveFrom: s.effectiveFrom,
    })
    .from(s)
    .innerJoin(v, eq(v.id, s.planVersionId))
    .where(
      and(
        inArray(s.planKey, planKeys),
        or(isNull(s.effectiveTo), and(gt(s.effectiveTo, now), gt(s.effectiveTo, s.effectiveFrom))),
      ),
    )
    .orderBy(asc(s.env), asc(s.customerId), asc(s.effectiveFrom));
}

/** Trials still running whose pinned version falls back to one of `planKeys` when they end. */
async function trialsFallingBackTo(tx: Queryable, planKeys: string[], now: Date) {
  const s = tables.subscriptions;
  const v = tables.planVersions;
  const fallback = sql<string>`${v.terms}->'trial'->>'fallbackPlan'`;
  const rows = await tx
    .select({
      customerId: s.customerId,
      env: s.env,
      planKey: s.planKey,
      version: v.version,
      endsAt: s.trialEndsAt,
      effectiveTo: s.effectiveTo,
      fallback,
    })
    .from(s)
    .innerJoin(v, eq(v.id, s.planVersionId))
    .where(and(eq(s.status, "trialing"), gt(s.trialEndsAt, now), inArray(fallback, planKeys)))
    .orderBy(asc(s.env), asc(s.customerId));
  return rows.flatMap(({ endsAt, effectiveTo, ...row }) =>
    endsAt && (effectiveTo === null || effectiveTo > endsAt) ? [{ ...row, endsAt }] : [],
  );
}

/** The version number a trial ending at `at` would start on once the new version is published, if it changes. */
function fallbackVersionAfter(
  versions: readonly PlanVersion[],
  terms: PlanTerms,
  at: Date,
): number | undefined {
  const next = {
    version: (versions[0]?.version ?? 0) + 1,
    effectiveFrom: terms.effectiveFrom ?? null,
    effectiveTo: terms.effectiveTo ?? null,
  };
  const before = offeredVersionAt(versions, at);
  const after = offeredVersionAt([next, ...versions], at);
  return after && after.version !== before?.version ? after.version : undefined;
}
