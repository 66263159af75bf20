import { catalogFeatures } from "../catalog/catalogFeatures";
import type { EngineDeps, Env } from "../context";
import { currentEntitlements } from "../entitlements/currentEntitlements";
import {
  type EntitlementsView,
  type EntitlementView,
  toEntitlementsView,
} from "../entitlements/entitlementsView";
import { openPortalLink } from "./openPortalLink";
import { loadUpgradePlans, type UpgradePlan } from "./upgradePlans";

/** The answer of GET /v1/portal/:token: what the customer's usage page shows. */
export interface PortalView {
  customer: { id: string; name: string | null; env: Env };
  at: string;
  link: { expiresAt: string; returnUrl: string | null };
  plan: Pick<
    NonNullable<EntitlementsView["plan"]>,
    "key" | "name" | "label" | "custom" | "currency" | "interval"
  > | null;
  period: { start: string; end: string } | null;
  limits: PortalLimit[];
  /** Enabled on/off features, by name. */
  features: Array<{ feature: string; name: string }>;
  seats: EntitlementsView["seats"];
  credits: { balance: number | null; unlimited: boolean } | null;
  upgrade: { available: boolean; plans: UpgradePlan[] };
}

/** A metered limit as the entitlements view shows it, with its name, unit and overage price. */
export interface PortalLimit
  extends Pick<
    EntitlementView,
    "feature" | "limit" | "used" | "remaining" | "unlimited" | "resetsAt" | "enforcement"
  > {
  name: string;
  unit: string | null;
  /** The price of each unit past the limit (major units of `currency`), when overage is billed. */
  overage: { unitAmount: string; currency: string } | null;
}

/** The customer's page, from the same entitlements view as GET /v1/customers/:id/entitlements. */
export async function portalView(deps: EngineDeps, token: string): Promise<PortalView> {
  const link = await openPortalLink(deps, token);
  const at = deps.clock();
  const entry = await currentEntitlements(deps, link.customer);
  const view = toEntitlementsView(entry, at, false);
  const features = await catalogFeatures(deps);
  const currency = entry.effective?.currency ?? "usd";
  const name = (key: string) => features.get(key)?.name ?? key;
  const plans = await loadUpgradePlans(deps, entry, at);
  return {
    customer: { id: entry.customer.id, name: entry.customer.name, env: entry.customer.env },
    at: view.at,
    link: { expiresAt: link.expiresAt.toISOString(), returnUrl: link.returnUrl },
    plan: view.plan && {
      key: view.plan.key,
      name: view.plan.name,
      label: view.plan.label,
      custom: view.plan.custom,
      currency: view.plan.currency,
      interval: view.plan.interval,
    },
    period: view.subscription && { start: view.subscription.periodStart, end: view.subscription.periodEnd },
    limits: view.entitlements
      .filter((e) => e.type === "metered" && e.enabled)
      .map((e) => ({
        feature: e.feature,
        name: name(e.feature),
        unit: features.get(e.feature)?.unit ?? null,
        limit: e.limit,
        used: e.used,
        remaining: e.remaining,
        unlimited: e.unlimited,
        resetsAt: e.resetsAt,
        enforcement: e.enforcement,
        overage:
          e.enforcement === "billable_overage" && e.overage
            ? { unitAmount: e.overage.unitAmount, currency }
            : null,
      })),
    features: view.entitlements
      .filter((e) => e.type === "boolean" && e.enabled)
      .map((e) => ({ feature: e.feature, name: name(e.feature) })),
    seats: view.seats,
    credits: view.credits && { balance: view.credits.balance, unlimited: view.credits.unlimited },
    upgrade: { available: plans.length > 0, plans },
  };
}
