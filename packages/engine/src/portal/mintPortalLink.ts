import { z } from "zod";
import { writeAudit } from "../audit/writeAudit";
import type { Actor, CustomerRef, EngineDeps } from "../context";
import { requireCustomer } from "../customers/loadCustomer";
import { newId } from "../ids";
import { portalSecret } from "./portalSecret";
import { signPortalToken } from "./portalToken";

export const MAX_PORTAL_LINK_SECONDS = 7 * 24 * 3600;

export const MintPortalLinkInput = z.object({
  /** Seconds until the link stops working: one hour unless said, at most seven days. */
  expiresIn: z.number().int().min(60).max(MAX_PORTAL_LINK_SECONDS).default(3600),
  /** Where the page's "back" link and a finished checkout send the customer. */
  returnUrl: z
    .string()
    .max(2000)
    .url()
    .refine((url) => /^https?:\/\//i.test(url), "must be an http or https URL")
    .optional(),
});
export type MintPortalLinkInput = z.infer<typeof MintPortalLinkInput>;

export interface PortalLinkMinted {
  id: string;
  token: string;
  expiresAt: Date;
}

/**
 * A signed link to the customer's usage page. Nothing about the customer changes, so it takes no
 * reason; it is recorded in the audit log (`portal_link.created`: who minted it, for whom, until
 * when, the return URL), never the token itself, which is a credential.
 */
export async function mintPortalLink(
  deps: EngineDeps,
  ref: CustomerRef,
  input: MintPortalLinkInput,
  actor: Actor,
  requestId?: string,
): Promise<PortalLinkMinted> {
  await requireCustomer(deps.db, ref, "id");
  const id = newId("pl");
  const expiresAt = new Date(deps.clock().getTime() + input.expiresIn * 1000);
  const returnUrl = input.returnUrl ?? null;
  const token = signPortalToken(await portalSecret(deps), { id, customer: ref, expiresAt, returnUrl });
  await writeAudit(deps.db, {
    actor,
    action: "portal_link.created",
    targetType: "portal_link",
    targetId: id,
    customerId: ref.customerId,
    env: ref.env,
    after: { expiresAt, returnUrl },
    requestId,
  });
  return { id, token, expiresAt };
}
