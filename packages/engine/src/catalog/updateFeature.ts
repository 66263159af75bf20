import type { Feature, FeatureFields } from "@tollgate/core";
import { type Queryable, tables } from "@tollgate/store";
import { eq } from "drizzle-orm";
import { writeAudit } from "../audit/writeAudit";
import type { AdminCommand } from "../context";
import { one } from "../rows";
import { featureFromRow } from "./rows";

/**
 * Renames or redescribes a feature in the caller's transaction. Only what names it changes:
 * its type and aggregation are what its usage was counted by, and stay.
 */
export async function updateFeatureInTx(
  tx: Queryable,
  fields: Pick<FeatureFields, "key" | "name" | "unit" | "description">,
  command: AdminCommand,
): Promise<Feature> {
  const t = tables.features;
  const before = featureFromRow(one(await tx.select().from(t).where(eq(t.key, fields.key)), "feature"));
  const { name, unit, description } = fields;
  const rows = await tx.update(t).set({ name, unit, description }).where(eq(t.key, fields.key)).returning();
  const after = featureFromRow(one(rows, "feature"));
  await writeAudit(tx, {
    ...command,
    action: "feature.updated",
    targetType: "feature",
    targetId: after.key,
    before,
    after,
  });
  return after;
}
