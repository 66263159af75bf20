import type { Customer } from "@tollgate/engine";

/** A customer as the API shows it. */
export function toApiCustomer(customer: Customer) {
  return {
    id: customer.id,
    env: customer.env,
    name: customer.name,
    email: customer.email,
    emailVerified: customer.emailVerified,
    emailDomain: customer.emailDomain,
    providerCustomerId: customer.providerCustomerId,
    workspaceIds: customer.workspaceIds,
    metadata: customer.metadata,
    createdAt: customer.createdAt.toISOString(),
    updatedAt: customer.updatedAt.toISOString(),
  };
}
