import { createHash } from "node:crypto";

/** Stripe refuses idempotency keys longer than this. */
const MAX_KEY_LENGTH = 255;

/**
 * The idempotency key of a provider request, derived from our ids only (never random), so a
 * retry of the same operation — after a timeout, a crash, a redelivered outbox event — is the
 * same request to Stripe and cannot create a second object. Stripe keeps keys for 24 hours;
 * the creations that must hold longer (the product, contract prices) also look up first.
 */
export function idempotencyKey(...parts: string[]): string {
  const key = ["tollgate", ...parts].join(":");
  if (key.length <= MAX_KEY_LENGTH) return key;
  return `tollgate:sha256:${createHash("sha256").update(key).digest("hex")}`;
}
