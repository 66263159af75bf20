import type { StripeErrorBody } from "./stripeErrors";

export interface SavedResponse {
  status: number;
  body: object;
}

/**
 * Stripe's idempotency: the first successful answer to a key is replayed for every later
 * request with that key; a key reused with other parameters (or another endpoint) is refused.
 * Keys are scoped to the API key, as Stripe scopes them to the account.
 */
export class IdempotencyCache {
  private readonly saved = new Map<string, { fingerprint: string; response: SavedResponse }>();

  /** The saved answer for the key, a refusal if it was first used for another request, else nothing. */
  replay(key: string, fingerprint: string): SavedResponse | undefined {
    const entry = this.saved.get(key);
    if (!entry) return undefined;
    if (entry.fingerprint === fingerprint) return entry.response;
    return { status: 400, body: { error: mismatch(key.slice(key.indexOf("\n") + 1)) } };
  }

  save(key: string, fingerprint: string, response: SavedResponse): void {
    this.saved.set(key, { fingerprint, response });
  }
}

const mismatch = (key: string): StripeErrorBody => ({
  type: "idempotency_error",
  message:
    "Keys for idempotent requests can only be used with the same parameters they were first used with. " +
    `Try using a key other than '${key}' if you meant to execute a different request.`,
});
