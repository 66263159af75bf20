import type { PortalView } from "./types";

/** An error answer of the portal API: its stable code and the message to show. */
export class PortalError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** What the customer reads for the codes they can meet; any other error shows the API's message. */
const MESSAGES: Record<string, string> = {
  portal_link_expired: "This link has expired. Ask for a new one from the app you came from.",
  portal_link_invalid: "This link is not valid. Check that you copied all of it, or ask for a new one.",
  payments_disabled: "Online upgrades are not available yet. Please contact us to change your plan.",
  upgrade_not_available:
    "Your plan is set by your contract. Please contact your account manager to change it.",
};

async function send<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
  const answer = await response.json().catch(() => null);
  if (!response.ok) {
    const code: string = answer?.error?.code ?? "http_error";
    throw new PortalError(code, MESSAGES[code] ?? answer?.error?.message ?? response.statusText);
  }
  return answer as T;
}

/** The token is the last segment of /portal/<token>. */
export const tokenFromPath = (path: string): string =>
  decodeURIComponent(/^\/portal\/([^/]+)\/?$/.exec(path)?.[1] ?? "");

export const loadPortal = (token: string) =>
  send<PortalView>("GET", `/v1/portal/${encodeURIComponent(token)}`);

export const startUpgrade = (token: string, planKey: string) =>
  send<{ url: string }>("POST", `/v1/portal/${encodeURIComponent(token)}/checkout`, { planKey });

export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
