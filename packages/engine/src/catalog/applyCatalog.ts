import {
  type CatalogDiff,
  type CatalogFile,
  diffCatalog,
  featureFields,
  isEmptyDiff,
  nestParam,
  type PlanTerms,
  parseCatalogFile,
  planTermsOf,
} from "@tollgate/core";
import type { Queryable } from "@tollgate/store";
import { sql } from "drizzle-orm";
import { writeAudit } from "../audit/writeAudit";
import type { AdminCommand, EngineDeps } from "../context";
import { listProvisioningRules } from "../customers/provisioningRules";
import { archivePlanInTx } from "./archivePlan";
import { type AffectedCustomer, catalogCustomers, VERSION_PINNING_NOTE } from "./catalogCustomers";
import { createFeatureInTx } from "./createFeature";
import { createPlanInTx } from "./createPlan";
import { loadCatalogState } from "./exportCatalog";
import { requirePlan } from "./loadCatalog";
import { insertVersion } from "./publishPlanVersion";
import { updateFeatureInTx } from "./updateFeature";

/** The diff of a catalog file against the database, with the customers each plan change touches. */
export interface CatalogChanges {
  empty: boolean;
  features: CatalogDiff["features"];
  plans: {
    added: CatalogDiff["plans"]["added"];
    changed: Array<CatalogDiff["plans"]["changed"][number] & { customers: AffectedCustomer[] }>;
    archived: Array<
      CatalogDiff["plans"]["archived"][number] & {
        customers: AffectedCustomer[];
        /** Email domains whose provisioning rule assigns the plan: new sign-ups there would be refused. */
        provisioningRules: string[];
      }
    >;
  };
  note: string;
}

export interface CatalogApplyResult {
  applied: boolean;
  dryRun: boolean;
  changes: CatalogChanges;
}

/**
 * Makes the public catalog what the file says, in one transaction: features added or renamed,
 * plans added (version 1), changed (version n+1) or archived, each change audited. Without a
 * command it is a dry run: the same diff, nothing written. An unchanged catalog writes nothing.
 */
export async function applyCatalog(
  deps: EngineDeps,
  input: unknown,
  command: AdminCommand | null,
): Promise<CatalogApplyResult> {
  const file = parseCatalogFile(input);
  const result = await deps.db.transaction(async (tx) => {
    // One apply at a time, and no plan published between reading the catalog and changing it.
    if (command) await tx.execute(sql`LOCK TABLE features, plans IN SHARE ROW EXCLUSIVE MODE`);
    const diff = diffCatalog(await loadCatalogState(tx), file, {
      minCustomPrice: deps.config.minCustomPrice,
    });
    const changes = await withCustomers(tx, deps, diff, file);
    if (!command || changes.empty) return { applied: false, dryRun: !command, changes };
    await execute(tx, deps, file, diff, command);
    return { applied: true, dryRun: false, changes };
  });
  if (result.applied) deps.cache.invalidateCatalog();
  return result;
}

async function withCustomers(
  tx: Queryable,
  deps: EngineDeps,
  diff: CatalogDiff,
  file: CatalogFile,
): Promise<CatalogChanges> {
  const terms = new Map(file.plans.map((p) => [p.key, planTermsOf(p)]));
  const customers = await catalogCustomers(tx, diff, terms, deps.clock());
  const rules = diff.plans.archived.length > 0 ? await listProvisioningRules(tx) : [];
  const domainsOf = (planKey: string) => rules.filter((r) => r.planKey === planKey).map((r) => r.domain);
  return {
    empty: isEmptyDiff(diff),
    features: diff.features,
    plans: {
      added: diff.plans.added,
      changed: diff.plans.changed.map((p) => ({ ...p, customers: customers.get(p.key) ?? [] })),
      archived: diff.plans.archived.map((p) => ({
        ...p,
        customers: customers.get(p.key) ?? [],
        provisioningRules: domainsOf(p.key),
      })),
    },
    note: VERSION_PINNING_NOTE,
  };
}

async function execute(
  tx: Queryable,
  deps: EngineDeps,
  file: CatalogFile,
  diff: CatalogDiff,
  command: AdminCommand,
): Promise<void> {
  const featuresAdded = new Set(keysOf(diff.features.added));
  const featuresChanged = new Set(keysOf(diff.features.changed));
  for (const [i, feature] of file.features.entries()) {
    if (featuresAdded.has(feature.key)) {
      await atField(`features.${i}`, () => createFeatureInTx(tx, feature, command));
    } else if (featuresChanged.has(feature.key)) {
      await updateFeatureInTx(tx, featureFields(feature), command);
    }
  }
  const plans = file.plans.map((plan, i) => ({ key: plan.key, terms: planTermsOf(plan), at: `plans.${i}` }));
  const plansAdded = new Set(keysOf(diff.plans.added));
  const plansChanged = new Set(keysOf(diff.plans.changed));
  for (const { key, terms, at } of creationOrder(plans.filter((p) => plansAdded.has(p.key)))) {
    await atField(at, () => createPlanInTx(tx, deps, { key, custom: false, env: "live" }, terms, command));
  }
  for (const { key, terms, at } of plans.filter((p) => plansChanged.has(p.key))) {
    const plan = await requirePlan(tx, key, "key");
    await atField(at, () => insertVersion(tx, deps, plan, terms, command));
  }
  for (const { key } of diff.plans.archived) await archivePlanInTx(tx, deps, key, command);
  await writeAudit(tx, {
    ...command,
    action: "catalog.applied",
    targetType: "catalog",
    targetId: "catalog",
    after: {
      features: { added: keysOf(diff.features.added), changed: keysOf(diff.features.changed) },
      plans: {
        added: keysOf(diff.plans.added),
        changed: diff.plans.changed.map((p) => `${p.key} v${p.toVersion}`),
        archived: keysOf(diff.plans.archived),
      },
    },
  });
}

const keysOf = (items: ReadonlyArray<{ key: string }>) => items.map((i) => i.key);

/** An error from applying one entry of the file names its field in the file. */
async function atField<T>(prefix: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw nestParam(error, prefix);
  }
}

/** New plans after the new plans their trials fall back to (a fallback must exist first). */
function creationOrder<P extends { key: string; terms: PlanTerms }>(plans: readonly P[]): P[] {
  const pending = new Map(plans.map((p) => [p.key, p]));
  const order: P[] = [];
  while (pending.size > 0) {
    const waiting = (p: P) => {
      const fallback = p.terms.trial?.fallbackPlan;
      return !!fallback && pending.has(fallback);
    };
    const ready = [...pending.values()].filter((p) => !waiting(p));
    // A cycle of new fallbacks cannot be created: the first one fails and names its fallback.
    for (const p of ready.length > 0 ? ready : [...pending.values()]) {
      pending.delete(p.key);
      order.push(p);
    }
  }
  return order;
}
