export { CUSTOM_ENTERPRISE_PRODUCT } from "./ensureContractPrice";
export type { ProviderErrorDetails } from "./providerError";
export { StripePaymentProvider, type StripePaymentProviderOptions } from "./stripePaymentProvider";
