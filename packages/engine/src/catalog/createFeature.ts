import { conflict, type Feature, type FeatureInput } from "@tollgate/core";
import { tables } from "@tollgate/store";
import { writeAudit } from "../audit/writeAudit";
import type { AdminCommand, EngineDeps } from "../context";
import { featureFromRow } from "./rows";

export async function createFeature(
  deps: EngineDeps,
  input: FeatureInput,
  command: AdminCommand,
): Promise<Feature> {
  const feature = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(tables.features)
      .values({
        key: input.key,
        name: input.name,
        type: input.type,
        unit: input.unit ?? null,
        aggregation: input.type === "metered" ? (input.aggregation ?? "sum") : null,
        uniqueProperty: input.uniqueProperty ?? null,
        description: input.description ?? null,
      })
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
  });
  deps.cache.invalidateCatalog();
  return feature;
}
