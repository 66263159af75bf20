import type { FakeContext, Route } from "./fakeContext";
import { type FormObject, parseFormBody } from "./formBody";
import type { IdempotencyCache } from "./idempotencyCache";
import { checkoutSessionRoutes } from "./routes/checkoutSessions";
import { customerRoutes } from "./routes/customers";
import { invoiceItemRoutes } from "./routes/invoiceItems";
import { invoiceRoutes } from "./routes/invoices";
import { priceRoutes } from "./routes/prices";
import { productRoutes } from "./routes/products";
import { subscriptionRoutes } from "./routes/subscriptions";
import { StripeApiError, type StripeErrorBody } from "./stripeErrors";

const ROUTES: Route[] = [
  ...customerRoutes,
  ...productRoutes,
  ...priceRoutes,
  ...checkoutSessionRoutes,
  ...subscriptionRoutes,
  ...invoiceRoutes,
  ...invoiceItemRoutes,
];

export interface IncomingRequest {
  method: string;
  url: URL;
  authorization: string | undefined;
  idempotencyKey: string | undefined;
  rawBody: string;
}

export interface FakeResponse {
  status: number;
  body: object;
  /** Answered from the idempotency cache. */
  replayed: boolean;
}

/** One API request, answered as Stripe would: auth, idempotency, the route, Stripe's errors. */
export function handleRequest(
  context: FakeContext,
  idempotency: IdempotencyCache,
  request: IncomingRequest,
): FakeResponse {
  const { method, url, idempotencyKey, rawBody } = request;
  const body = parseFormBody(method === "POST" ? rawBody : url.search.slice(1));
  const response = respond(context, idempotency, request, body);
  context.state.requests.push({ method, path: url.pathname, body, idempotencyKey, status: response.status });
  return response;
}

function respond(
  context: FakeContext,
  idempotency: IdempotencyCache,
  request: IncomingRequest,
  body: FormObject,
): FakeResponse {
  const apiKey = /^Bearer (\S+)$/.exec(request.authorization ?? "")?.[1];
  if (apiKey === undefined) return failure(401, MISSING_KEY);
  if (!/^(sk|rk)_test_/.test(apiKey)) return failure(401, invalidKey(apiKey));

  const { method, url, idempotencyKey } = request;
  // Stripe ignores idempotency keys on GET and DELETE, which are idempotent already.
  const cacheKey =
    method === "POST" && idempotencyKey !== undefined ? `${apiKey}\n${idempotencyKey}` : undefined;
  const fingerprint = `${method} ${url.pathname}\n${request.rawBody}`;
  const saved = cacheKey === undefined ? undefined : idempotency.replay(cacheKey, fingerprint);
  if (saved) return { ...saved, replayed: true };

  const response = route(context, method, url.pathname, body);
  if (cacheKey !== undefined && response.status < 400) idempotency.save(cacheKey, fingerprint, response);
  return response;
}

function route(context: FakeContext, method: string, path: string, body: FormObject): FakeResponse {
  for (const candidate of ROUTES) {
    const match = candidate.method === method ? candidate.path.exec(path) : null;
    if (!match) continue;
    try {
      const params = match.slice(1).map((segment) => decodeURIComponent(segment));
      return { status: 200, body: candidate.handle(context, { params, body }), replayed: false };
    } catch (error) {
      if (error instanceof StripeApiError) return failure(error.status, error.body);
      return failure(500, apiError(error));
    }
  }
  return failure(404, unrecognizedUrl(method, path));
}

const failure = (status: number, error: StripeErrorBody): FakeResponse => ({
  status,
  body: { error },
  replayed: false,
});

const MISSING_KEY: StripeErrorBody = {
  type: "invalid_request_error",
  message:
    "You did not provide an API key. You need to provide your API key in the Authorization header, " +
    "using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
};

const invalidKey = (key: string): StripeErrorBody => ({
  type: "invalid_request_error",
  code: "api_key_invalid",
  message: `Invalid API Key provided: ${key.slice(0, 8)}${"*".repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`,
});

const unrecognizedUrl = (method: string, path: string): StripeErrorBody => ({
  type: "invalid_request_error",
  message: `Unrecognized request URL (${method}: ${path}). The fake Stripe serves only the endpoints Tollgate uses.`,
});

export const apiError = (error: unknown): StripeErrorBody => ({
  type: "api_error",
  message: error instanceof Error ? error.message : String(error),
});
