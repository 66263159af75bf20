import { createHmac, timingSafeEqual } from "node:crypto";
import { TollgateError } from "@tollgate/core";
import { z } from "zod";
import type { CustomerRef } from "../context";

/** What a portal link grants: one customer's page in one environment, until `expiresAt`. */
export interface PortalLink {
  id: string;
  customer: CustomerRef;
  expiresAt: Date;
  /** Where the page sends the customer back to (and where a finished checkout lands). */
  returnUrl: string | null;
}

const Payload = z.object({
  l: z.string().min(1),
  e: z.enum(["live", "test"]),
  c: z.string().min(1),
  x: z.number().int(),
  r: z.string().optional(),
});

const sign = (secret: Buffer, payload: string) =>
  createHmac("sha256", secret).update(payload).digest("base64url");

/** `<payload>.<signature>`, both base64url: the payload is readable, and any change to it breaks the HMAC-SHA256. */
export function signPortalToken(secret: Buffer, link: PortalLink): string {
  const payload = Buffer.from(
    JSON.stringify({
      l: link.id,
      e: link.customer.env,
      c: link.customer.customerId,
      x: link.expiresAt.getTime(),
      ...(link.returnUrl ? { r: link.returnUrl } : {}),
    }),
  ).toString("base64url");
  return `${payload}.${sign(secret, payload)}`;
}

const invalidLink = () =>
  new TollgateError("authentication", "portal_link_invalid", "this portal link is not valid", {
    param: "token",
  });

/** The link a token grants at `at`: refused when its signature does not match or it has expired. */
export function verifyPortalToken(secret: Buffer, token: string, at: Date): PortalLink {
  const [payload, signature, ...rest] = token.split(".");
  if (!payload || !signature || rest.length > 0) throw invalidLink();
  // Compared as text, not decoded bytes: base64url decoding forgives a changed last character.
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidLink();
  let parsed: z.infer<typeof Payload>;
  try {
    parsed = Payload.parse(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")));
  } catch {
    throw invalidLink();
  }
  const link: PortalLink = {
    id: parsed.l,
    customer: { env: parsed.e, customerId: parsed.c },
    expiresAt: new Date(parsed.x),
    returnUrl: parsed.r ?? null,
  };
  if (at.getTime() >= parsed.x) {
    throw new TollgateError(
      "authentication",
      "portal_link_expired",
      `this portal link expired at ${link.expiresAt.toISOString()}; ask for a new one`,
      { param: "token" },
    );
  }
  return link;
}
