import { type EffectiveEntitlement, invalid } from "@tollgate/core";

/**
 * The counter an entitlement's usage goes to: "" for a quota pooled over the whole customer,
 * the workspace id for a per-workspace quota. Customers are already split by environment
 * (`live`/`test`), so an `env` scope pools per environment and sandbox usage never reaches
 * a live counter.
 */
export function scopeKeyOf(entitlement: EffectiveEntitlement, workspaceId: string | undefined): string {
  if (entitlement.scope !== "workspace") return "";
  if (!workspaceId) {
    throw invalid(
      "workspace_required",
      `${entitlement.feature} is limited per workspace: say which workspace`,
      "workspaceId",
    );
  }
  return workspaceId;
}
