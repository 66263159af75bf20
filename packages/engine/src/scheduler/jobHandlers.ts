import { expireTrial } from "../subscriptions/expireTrial";
import type { JobHandler } from "./runDueJobs";

/** Every kind of scheduled job and what runs it. */
export const JOB_HANDLERS: Readonly<Record<string, JobHandler>> = {
  trial_expiry: expireTrial,
};
