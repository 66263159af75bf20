import { nestParam, unprocessable } from "../errors/TollgateError";
import { comparableTerms, planEntry, planTermsOf } from "./catalogEntries";
import type { CatalogFile } from "./catalogFile";
import { type Feature, type FeatureFields, featureFields } from "./feature";
import { type FieldChange, fieldChanges } from "./fieldChanges";
import { type Plan, PlanTerms, type PlanVersion } from "./planVersion";
import { type CatalogRules, validatePlanTerms } from "./validatePlanTerms";

/** The catalog in the database: every feature, every plan with its newest version. */
export interface CatalogState {
  features: readonly Feature[];
  plans: ReadonlyArray<{ plan: Pick<Plan, "key" | "isCustom" | "archivedAt">; latest: PlanVersion | null }>;
}

export interface CatalogDiff {
  features: {
    added: Array<{ key: string; after: FeatureFields }>;
    changed: Array<{ key: string; changes: FieldChange[] }>;
    /** In the database but not in the file: kept as they are, since a feature is never removed. */
    unlisted: string[];
  };
  plans: {
    /** Created with version 1. */
    added: Array<{ key: string; after: Record<string, unknown> }>;
    /** A new version is published; the fields that differ from the newest version. */
    changed: Array<{ key: string; fromVersion: number; toVersion: number; changes: FieldChange[] }>;
    /** Public plans the file no longer lists: archived (no new assignments). */
    archived: Array<{ key: string; version: number | null }>;
  };
}

/** What a feature's usage was counted by: changing it would misread what is already recorded. */
const FIXED_FEATURE_FIELDS = new Set(["type", "aggregation", "uniqueProperty"]);

/**
 * The changes that would make the database's public catalog what the file says. Pure; throws a
 * 422 naming the file's field at fault when the file cannot be applied as a whole.
 */
export function diffCatalog(
  state: CatalogState,
  file: CatalogFile,
  rules: { minCustomPrice: number },
): CatalogDiff {
  const features = diffFeatures(state, file);
  const known = new Map([...state.features, ...file.features].map((f) => [f.key, featureFields(f)]));
  return { features, plans: diffPlans(state, file, { features: known, ...rules }) };
}

function diffFeatures(state: CatalogState, file: CatalogFile): CatalogDiff["features"] {
  const diff: CatalogDiff["features"] = { added: [], changed: [], unlisted: [] };
  const stored = new Map(state.features.map((f) => [f.key, featureFields(f)]));
  for (const [i, input] of file.features.entries()) {
    const after = featureFields(input);
    const before = stored.get(input.key);
    if (!before) {
      diff.added.push({ key: input.key, after });
      continue;
    }
    const changes = fieldChanges(before, after);
    const fixed = changes.find((c) => FIXED_FEATURE_FIELDS.has(c.path));
    if (fixed) {
      throw unprocessable(
        "feature_immutable",
        `${input.key}: ${fixed.path} cannot change (it is ${JSON.stringify(fixed.before ?? null)}); usage is already counted by it, so add a feature with a new key`,
        `features.${i}.${fixed.path}`,
      );
    }
    if (changes.length > 0) diff.changed.push({ key: input.key, changes });
  }
  const listed = new Set(file.features.map((f) => f.key));
  diff.unlisted = [...stored.keys()].filter((key) => !listed.has(key));
  return diff;
}

function diffPlans(state: CatalogState, file: CatalogFile, rules: CatalogRules): CatalogDiff["plans"] {
  const diff: CatalogDiff["plans"] = { added: [], changed: [], archived: [] };
  const stored = new Map(state.plans.map((p) => [p.plan.key, p]));
  for (const [i, plan] of file.plans.entries()) {
    const current = stored.get(plan.key);
    assertPublicAndLive(current?.plan, plan.key, `plans.${i}.key`);
    const terms = planTermsOf(plan);
    try {
      validatePlanTerms(terms, false, rules);
    } catch (error) {
      throw nestParam(error, `plans.${i}`);
    }
    const after = comparableTerms(terms);
    if (!current) {
      diff.added.push({ key: plan.key, after });
      continue;
    }
    const latest = current.latest;
    const before = latest ? comparableTerms(PlanTerms.parse(planEntry(plan.key, latest))) : {};
    const changes = fieldChanges(before, after);
    if (changes.length === 0) continue;
    const fromVersion = latest?.version ?? 0;
    diff.changed.push({ key: plan.key, fromVersion, toVersion: fromVersion + 1, changes });
  }
  const listed = new Set(file.plans.map((p) => p.key));
  for (const { plan, latest } of state.plans) {
    if (plan.isCustom || plan.archivedAt || listed.has(plan.key)) continue;
    diff.archived.push({ key: plan.key, version: latest?.version ?? null });
  }
  return diff;
}

function assertPublicAndLive(
  plan: CatalogState["plans"][number]["plan"] | undefined,
  key: string,
  param: string,
) {
  if (plan?.isCustom) {
    throw unprocessable(
      "plan_is_custom",
      `${key} is a custom plan (one customer's contract): a catalog file lists only public plans`,
      param,
    );
  }
  if (plan?.archivedAt) {
    throw unprocessable(
      "plan_archived",
      `plan ${key} is archived and does not come back: give the plan a new key`,
      param,
    );
  }
}

/** True when applying the file would change nothing (unlisted features change nothing). */
export function isEmptyDiff(diff: CatalogDiff): boolean {
  const { features, plans } = diff;
  return (
    features.added.length + features.changed.length === 0 &&
    plans.added.length + plans.changed.length + plans.archived.length === 0
  );
}
