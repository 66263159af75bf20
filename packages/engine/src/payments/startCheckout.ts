import {
  assertAssignable,
  calendarPeriod,
  conflict,
  fromZodError,
  invalid,
  type TollgateError,
  unprocessable,
} from "@tollgate/core";
import { tables } from "@tollgate/store";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { listPlanVersions, requirePlan } from "../catalog/loadCatalog";
import type { CustomerRef, EngineDeps } from "../context";
import { requireCustomer } from "../customers/loadCustomer";
import { currentEntitlements } from "../entitlements/currentEntitlements";
import type { CustomerEntitlements } from "../entitlements/loadEntitlements";
import { newId } from "../ids";
import { CONTRACT_PRICE_QUANTITY, priceForPlan } from "./priceForPlan";

export const CheckoutInput = z.object({
  planKey: z.string().min(1).max(100),
  successUrl: z.string().url(),
  cancelUrl: z.string().url(),
  /**
   * `calendar` bills UTC calendar months (or years): the subscription's first period runs to the
   * next one's start, prorated. `anniversary` (the default) counts from the day it starts.
   */
  billingAlignment: z.enum(["anniversary", "calendar"]).default("anniversary"),
});
export type CheckoutInput = z.input<typeof CheckoutInput>;

/**
 * The refusal (`provider_subscription_exists`, 409) of a checkout for a contract a provider
 * subscription already bills — a second checkout would start a second subscription beside it and
 * bill the customer twice — or null. `message` is the caller's words for its reader.
 */
export function alreadyBilled(entry: CustomerEntitlements, message: string): TollgateError | null {
  return entry.subscription?.providerSubscriptionId
    ? conflict("provider_subscription_exists", message)
    : null;
}

export interface CheckoutStarted {
  url: string;
  sessionId: string;
  priceId: string;
  quantity: number;
}

/**
 * A hosted checkout for `planKey`, at the price this customer's contract sets when it has one:
 * the override's provider price ids when checking out the contract's own plan, else a
 * per-contract price for a custom plan (its base price, under one "Custom Enterprise" product),
 * else the plan version's catalog price (`provider_prices`), once a period (quantity 1: seats and
 * usage reach the provider as invoice items at the period close). A calendar alignment anchors the subscription at the next calendar period's start
 * (the contract then follows it). Skip-billing customers never reach the provider, and a contract
 * already billed by a provider subscription is refused (`provider_subscription_exists`).
 */
export async function startCheckout(
  deps: EngineDeps,
  ref: CustomerRef,
  raw: CheckoutInput,
): Promise<CheckoutStarted> {
  const parsed = CheckoutInput.safeParse(raw);
  if (!parsed.success) throw fromZodError(parsed.error);
  const input = parsed.data;
  const provider = deps.payments;
  if (!provider) {
    throw unprocessable("payments_disabled", "no payment provider is configured (STRIPE_SECRET_KEY)");
  }
  const customer = await requireCustomer(deps.db, ref, "id");
  const entry = await currentEntitlements(deps, ref);
  if (entry.effective?.skipBilling) {
    throw unprocessable("skip_billing", `${ref.customerId} is never billed (skip billing)`);
  }
  const billed = alreadyBilled(
    entry,
    `${ref.customerId}'s contract is already billed by ${provider.name} subscription ` +
      `${entry.subscription?.providerSubscriptionId}; change its plan with PUT /v1/admin/customers/:id/subscription`,
  );
  if (billed) throw billed;
  const plan = await requirePlan(deps.db, input.planKey);
  const [version] = await listPlanVersions(deps.db, plan.key);
  if (!version) throw invalid("plan_version_not_found", `${plan.key} has no version`, "planKey");
  assertAssignable(plan, version, ref.customerId, deps.clock());

  const priceId = await priceForPlan(deps, provider, plan, version, entry);
  if (!priceId) {
    throw unprocessable(
      "no_provider_price",
      `${plan.key} v${version.version} has no ${provider.name} price`,
      "planKey",
    );
  }

  const providerCustomerId = await provider.ensureCustomer({
    customer: ref,
    email: customer.email,
    name: customer.name,
    providerCustomerId: customer.providerCustomerId,
  });
  if (providerCustomerId !== customer.providerCustomerId) {
    const c = tables.customers;
    await deps.db
      .update(c)
      .set({ providerCustomerId, updatedAt: deps.clock() })
      .where(and(eq(c.customerId, ref.customerId), eq(c.env, ref.env)));
  }
  const session = await provider.createCheckoutSession({
    customer: ref,
    providerCustomerId,
    priceId,
    quantity: CONTRACT_PRICE_QUANTITY,
    billingCycleAnchor:
      input.billingAlignment === "calendar" ? calendarPeriod(version.interval, deps.clock()).to : null,
    successUrl: input.successUrl,
    cancelUrl: input.cancelUrl,
    operationId: newId("chk"),
  });
  return { url: session.url, sessionId: session.id, priceId, quantity: CONTRACT_PRICE_QUANTITY };
}
