import type { OverrideSet } from "@tollgate/core";
import type { Queryable } from "@tollgate/store";
import { type AuditEntry, listAudit } from "../audit/listAudit";
import type { CustomerRef } from "../context";
import { requireCustomer } from "../customers/loadCustomer";
import { listOverrideSets } from "../overrides/loadOverrideSets";
import { listSubscriptions, type Subscription } from "./loadSubscriptions";

export interface PlanHistory {
  customerId: string;
  /** The contracts, oldest first, with their effective ranges. */
  subscriptions: Subscription[];
  overrideSets: OverrideSet[];
  /** Assignments, changes and overrides as audited: before, after, actor and reason. Newest first. */
  entries: AuditEntry[];
}

const HISTORY_ACTIONS = /^(subscription|overrides|customer)\./;

export async function planHistory(db: Queryable, ref: CustomerRef): Promise<PlanHistory> {
  await requireCustomer(db, ref);
  const [subscriptions, overrideSets, audit] = await Promise.all([
    listSubscriptions(db, ref),
    listOverrideSets(db, ref),
    listAudit(db, { customerId: ref.customerId, env: ref.env, limit: 500 }),
  ]);
  return {
    customerId: ref.customerId,
    subscriptions,
    overrideSets,
    entries: audit.data.filter((e) => HISTORY_ACTIONS.test(e.action)),
  };
}
