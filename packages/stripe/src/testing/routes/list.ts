import type Stripe from "stripe";

/** Stripe's list envelope; the fake answers one page of at most `limit` (default 10). */
export function listOf<T>(data: T[], url: string, limit = 10): Stripe.ApiList<T> {
  return { object: "list", data: data.slice(0, limit), has_more: data.length > limit, url };
}
