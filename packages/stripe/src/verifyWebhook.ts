import { TollgateError } from "@tollgate/core";
import type { PaymentEvent, PaymentProviderErrorCode } from "@tollgate/engine";
import Stripe from "stripe";
import { toPaymentEvent } from "./translate/toPaymentEvent";

export interface WebhookVerification {
  secret: string;
  toleranceSeconds: number;
  /** When the webhook was received, for the age check. */
  receivedAt: Date;
}

const CODE: PaymentProviderErrorCode = "webhook_signature_invalid";

/**
 * Checks the `Stripe-Signature` header with the SDK (HMAC of the raw body, and a timestamp no
 * older than the tolerance), then translates the event. The payload must be the raw body.
 */
export function verifyWebhook(
  stripe: Stripe,
  payload: string | Uint8Array,
  signatureHeader: string | undefined,
  verification: WebhookVerification,
): PaymentEvent {
  if (!signatureHeader) throw signatureInvalid("the Stripe-Signature header is missing");
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(
      payload,
      signatureHeader,
      verification.secret,
      verification.toleranceSeconds,
      undefined,
      verification.receivedAt.getTime(),
    );
  } catch (error) {
    if (error instanceof Stripe.errors.StripeSignatureVerificationError)
      throw signatureInvalid(error.message);
    throw error;
  }
  return toPaymentEvent(event);
}

const signatureInvalid = (reason: string) =>
  new TollgateError("invalid_request", CODE, `The webhook's signature does not verify: ${reason}`, {
    param: "Stripe-Signature",
  });
