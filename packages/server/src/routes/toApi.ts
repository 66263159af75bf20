import type { Customer, CustomerEntitlements } from "@tollgate/engine";

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

/** A customer with a summary of the contract in force (`GET /v1/customers/:id`). */
export function toApiCustomerWithSubscription(resolved: CustomerEntitlements) {
  const { subscription, effective, period } = resolved;
  return {
    ...toApiCustomer(resolved.customer),
    subscription: subscription && {
      id: subscription.id,
      status: subscription.status,
      planKey: subscription.planKey,
      planVersion: effective?.plan.version ?? null,
      label: effective?.plan.label ?? null,
      currentPeriodStart: period?.from.toISOString() ?? null,
      currentPeriodEnd: period?.to.toISOString() ?? null,
    },
  };
}
