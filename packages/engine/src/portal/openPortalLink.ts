import type { EngineDeps } from "../context";
import { portalSecret } from "./portalSecret";
import { type PortalLink, verifyPortalToken } from "./portalToken";

/** The link a token grants now: refused (401) when forged, altered or expired. */
export async function openPortalLink(deps: EngineDeps, token: string): Promise<PortalLink> {
  return verifyPortalToken(await portalSecret(deps), token, deps.clock());
}
