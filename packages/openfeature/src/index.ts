export { type FlagAspect, type FlagKey, parseFlagKey } from "./flagKey";
export { TollgateProvider, type TollgateProviderOptions } from "./tollgateProvider";
