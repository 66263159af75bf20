import type { UsageReport } from "@tollgate/engine";
import type Stripe from "stripe";
import { idempotencyKey } from "./idempotencyKeys";
import { unixSeconds } from "./translate/unixTime";

/**
 * Sends usage to a Stripe billing meter. The report's key is both the meter event's
 * `identifier` (Stripe counts an identifier once) and the request's idempotency key.
 */
export async function reportUsage(stripe: Stripe, report: UsageReport): Promise<void> {
  await stripe.billing.meterEvents.create(
    {
      event_name: report.meter,
      identifier: report.idempotencyKey,
      timestamp: unixSeconds(report.at),
      payload: { stripe_customer_id: report.providerCustomerId, value: String(report.quantity) },
    },
    { idempotencyKey: idempotencyKey("usage", report.idempotencyKey) },
  );
}
