import {
  CATALOG_FORMAT,
  type CatalogFileInput,
  type CatalogState,
  featureEntry,
  planEntry,
} from "@tollgate/core";
import type { Queryable } from "@tollgate/store";
import { listPlans } from "./listPlans";
import { listFeatures } from "./loadCatalog";

/** Every feature, and every plan (custom and archived ones too) with its newest version. */
export async function loadCatalogState(db: Queryable): Promise<CatalogState> {
  const [features, plans] = await Promise.all([listFeatures(db), listPlans(db)]);
  return { features, plans: plans.map(({ latestVersion, ...plan }) => ({ plan, latest: latestVersion })) };
}

/**
 * The public catalog as a catalog file: every feature, and each public plan that is not archived
 * as its newest version says. Custom plans are contracts, not catalog: they are left out.
 */
export async function exportCatalog(db: Queryable): Promise<CatalogFileInput> {
  const state = await loadCatalogState(db);
  const plans = state.plans.flatMap(({ plan, latest }) =>
    plan.isCustom || plan.archivedAt || !latest ? [] : [planEntry(plan.key, latest)],
  );
  return { tollgate: CATALOG_FORMAT, features: state.features.map(featureEntry), plans };
}
