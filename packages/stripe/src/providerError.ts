import { TollgateError } from "@tollgate/core";
import type { PaymentProviderErrorCode } from "@tollgate/engine";
import Stripe from "stripe";

/** What a `payment_provider_error` carries in `details`, for logs and for deciding to retry. */
export interface ProviderErrorDetails {
  provider: "stripe";
  /** Stripe's error type and code (`invalid_request_error`, `resource_missing`). */
  providerType: string;
  providerCode: string | null;
  statusCode: number | null;
  requestId: string | null;
  /** A network failure, a rate limit, a conflict or a Stripe-side error: the same call may succeed later. */
  retryable: boolean;
}

const CODE: PaymentProviderErrorCode = "payment_provider_error";

/** A Stripe API error as Tollgate's one error class; anything else passes through unchanged. */
export function toProviderError(error: unknown): unknown {
  if (!(error instanceof Stripe.errors.StripeError)) return error;
  const statusCode = error.statusCode ?? null;
  const details: ProviderErrorDetails = {
    provider: "stripe",
    providerType: error.type,
    providerCode: error.code ?? null,
    statusCode,
    requestId: error.requestId ?? null,
    retryable:
      error instanceof Stripe.errors.StripeConnectionError ||
      statusCode === null ||
      statusCode === 409 ||
      statusCode === 429 ||
      statusCode >= 500,
  };
  return new TollgateError("upstream", CODE, `Stripe: ${error.message}`, {
    details,
    ...(error.param ? { param: error.param } : {}),
  });
}

/** True for Stripe's 404 `resource_missing`, which some calls expect and handle. */
export function isResourceMissing(error: unknown): boolean {
  return error instanceof Stripe.errors.StripeInvalidRequestError && error.code === "resource_missing";
}
