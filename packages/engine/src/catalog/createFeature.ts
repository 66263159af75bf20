import { conflict, type Feature, type FeatureInput, featureFields } from "@tollgate/core";
import { type Queryable, tables } from "@tollgate/store";
import { writeAudit } from "../audit/writeAudit";
import type { AdminCommand, EngineDeps } from "../context";
import { featureFromRow } from "./rows";

export async function createFeature(
  deps: EngineDeps,
  input: FeatureInput,
  command: AdminCommand,
): Promise<Feature> {
  const feature = await deps.db.transaction((tx) => createFeatureInTx(tx, input, command));
  deps.cache.invalidateCatalog();
  return feature;
}

/** Inserts the feature and its audit entry in the caller's transaction. */
export async function createFeatureInTx(
  tx: Queryable,
  input: FeatureInput,
  command: AdminCommand,
): Promise<Feature> {
  const [row] = await tx
    .insert(tables.features)
    .values(featureFields(input))
    .onConflictDoNothing()
    .returning();
  if (!row) throw conflict("feature_exists", `a feature with key "${input.key}" exists`, "key");
  const created = featureFromRow(row);
  await writeAudit(tx, {
    ...command,
    action: "feature.created",
    targetType: "feature",
    targetId: created.key,
    after: created,
  });
  return created;
}
