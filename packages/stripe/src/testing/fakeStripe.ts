import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { type CompletedCheckout, completeCheckout } from "./completeCheckout";
import { eventObject, type FakeContext } from "./fakeContext";
import { emptyState, type FakeStripeState, newStripeId, unixSeconds } from "./fakeState";
import { apiError, type FakeResponse, handleRequest, type IncomingRequest } from "./handleRequest";
import { IdempotencyCache } from "./idempotencyCache";

export interface FakeStripeOptions {
  /** The secret webhooks are signed with; `whsec_test_fake` by default. */
  webhookSecret?: string;
  /** The fake's clock (object timestamps, periods, webhook signatures); the wall clock by default. */
  now?: () => Date;
}

/** A Stripe webhook delivery: the raw body and its `Stripe-Signature` header. */
export interface SignedWebhook {
  payload: string;
  header: string;
}

export interface FakeStripe {
  /** `http://127.0.0.1:<port>`: pass it as the provider's `apiBase`. */
  readonly apiBase: string;
  /** A secret key the fake accepts (any `sk_test_…` is accepted). */
  readonly secretKey: string;
  readonly webhookSecret: string;
  readonly state: FakeStripeState;
  /** The customer pays on the hosted page: subscription, paid invoice, completed session, events. */
  completeCheckout(sessionId: string): CompletedCheckout;
  /** A new event of `type` about `object`, signed (at the fake's now, unless `timestamp` says). */
  signedEvent(type: Stripe.Event.Type, object: object, options?: SignOptions): SignedWebhook;
  /** Signs an event the fake recorded (`state.events`) as Stripe would deliver it. */
  signEvent(event: Stripe.EventBase, options?: SignOptions): SignedWebhook;
  close(): Promise<void>;
}

export interface SignOptions {
  /** The signature's timestamp; the fake's now by default. */
  timestamp?: Date;
  /** Sign with another secret (a forged delivery). */
  secret?: string;
}

/** Starts a local server speaking Stripe's HTTP API for the endpoints Tollgate uses. */
export async function startFakeStripe(options: FakeStripeOptions = {}): Promise<FakeStripe> {
  const state = emptyState();
  const now = options.now ?? (() => new Date());
  const webhookSecret = options.webhookSecret ?? "whsec_test_fake";
  const idempotency = new IdempotencyCache();
  const context: FakeContext = { state, now, apiBase: "" };
  const server = createServer((request, response) => {
    readBody(request)
      .then((rawBody) =>
        send(response, handleRequest(context, idempotency, incoming(request, context.apiBase, rawBody))),
      )
      .catch((error: unknown) =>
        send(response, { status: 500, body: { error: apiError(error) }, replayed: false }),
      );
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  context.apiBase = `http://127.0.0.1:${portOf(server.address())}`;

  const signEvent = (event: Stripe.EventBase, sign: SignOptions = {}): SignedWebhook => {
    const payload = JSON.stringify(event, null, 2);
    const timestamp = unixSeconds(sign.timestamp ?? now());
    const secret = sign.secret ?? webhookSecret;
    return { payload, header: Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp }) };
  };
  return {
    apiBase: context.apiBase,
    secretKey: "sk_test_fake",
    webhookSecret,
    state,
    completeCheckout: (sessionId) => completeCheckout(context, sessionId),
    signedEvent: (type, object, sign) => signEvent(eventObject(context, type, object), sign),
    signEvent,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

function incoming(request: IncomingMessage, apiBase: string, rawBody: string): IncomingRequest {
  const key = request.headers["idempotency-key"];
  return {
    method: request.method ?? "GET",
    url: new URL(request.url ?? "/", apiBase),
    authorization: request.headers.authorization,
    idempotencyKey: Array.isArray(key) ? key[0] : key,
    rawBody,
  };
}

function send(response: ServerResponse, answer: FakeResponse): void {
  response.writeHead(answer.status, {
    "Content-Type": "application/json",
    "Request-Id": newStripeId("req", 14),
    "Stripe-Version": Stripe.API_VERSION,
    ...(answer.replayed ? { "Idempotent-Replayed": "true" } : {}),
  });
  response.end(JSON.stringify(answer.body, null, 2));
}

function portOf(address: AddressInfo | string | null): number {
  if (address === null || typeof address === "string") throw new Error("fake Stripe: not listening on TCP");
  return address.port;
}
