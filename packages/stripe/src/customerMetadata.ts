import type { CustomerRef, Env } from "@tollgate/engine";

/** The metadata keys by which a Stripe object names the Tollgate customer it belongs to. */
export const CUSTOMER_ID_KEY = "tollgate_customer_id";
export const ENV_KEY = "tollgate_env";

export function customerMetadata(customer: CustomerRef): Record<string, string> {
  return { [CUSTOMER_ID_KEY]: customer.customerId, [ENV_KEY]: customer.env };
}

/** Ours, when the object was created by Tollgate; null for objects made elsewhere. */
export function customerRefOf(metadata: Record<string, string> | null | undefined): CustomerRef | null {
  const customerId = metadata?.[CUSTOMER_ID_KEY];
  const env = envOf(metadata?.[ENV_KEY]);
  return customerId && env ? { customerId, env } : null;
}

function envOf(value: string | undefined): Env | null {
  return value === "live" || value === "test" ? value : null;
}
