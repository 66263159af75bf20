import { unprocessable } from "../errors/TollgateError";
import type { Plan, PlanVersion } from "./planVersion";

/** A plan version may be assigned at `at` only if live, in its effective range, and (if custom) owned. */
export function assertAssignable(
  plan: Pick<Plan, "key" | "archivedAt" | "isCustom" | "customerId">,
  version: Pick<PlanVersion, "version" | "effectiveFrom" | "effectiveTo">,
  customerId: string,
  at: Date,
): void {
  if (plan.archivedAt) throw unprocessable("plan_archived", `plan ${plan.key} is archived`, "planKey");
  if (plan.isCustom && plan.customerId !== customerId) {
    throw unprocessable("plan_not_owned", `custom plan ${plan.key} belongs to another customer`, "planKey");
  }
  if (version.effectiveFrom && at < version.effectiveFrom) {
    throw unprocessable(
      "plan_not_yet_effective",
      `${plan.key} v${version.version} takes effect at ${version.effectiveFrom.toISOString()}`,
      "effectiveAt",
    );
  }
  if (version.effectiveTo && at >= version.effectiveTo) {
    throw unprocessable(
      "plan_expired",
      `${plan.key} v${version.version} stopped being offered at ${version.effectiveTo.toISOString()}`,
      "effectiveAt",
    );
  }
}
