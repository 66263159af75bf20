import { advanceDunning } from "../payments/advanceDunning";
import {
  cancelProviderSubscription,
  sendInvoiceCharges,
  syncProviderSubscription,
} from "../payments/providerSync";
import { expireTrial } from "../subscriptions/expireTrial";
import type { JobHandler } from "./runDueJobs";

/** Every kind of scheduled job and what runs it. */
export const JOB_HANDLERS: Readonly<Record<string, JobHandler>> = {
  trial_expiry: expireTrial,
  provider_sync: syncProviderSubscription,
  provider_cancel: cancelProviderSubscription,
  provider_usage: sendInvoiceCharges,
  dunning_stage: advanceDunning,
};
