import { type FormEvent, useState } from "react";
import { callApi } from "../api";
import type { Session } from "../session";
import type { PlanWithLatest } from "../types";
import { useReasonedAction } from "../useAction";
import { ReasonAndSubmit } from "./ReasonAndSubmit";

/** What PUT …/subscription answers, in the parts shown. */
export interface AssignAnswer {
  change: string;
  scheduled: boolean;
  subscription: { planKey: string; effectiveFrom: string };
}

/** The answer of an assignment in words: what kind of change, and when it takes effect. */
export function describeAssignment(answer: AssignAnswer): string {
  const { planKey, effectiveFrom } = answer.subscription;
  return answer.scheduled
    ? `${answer.change}: ${planKey} from ${effectiveFrom}`
    : `${answer.change}: now on ${planKey}`;
}

/** Moves the customer to another plan (PUT …/subscription): upgrades now, downgrades at period end. */
export function PlanChangeForm(props: {
  session: Session;
  customerId: string;
  plans: PlanWithLatest[];
  onChanged: () => void;
}) {
  const [planKey, setPlanKey] = useState("");
  const { reason, setReason, run, field } = useReasonedAction();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    run(async () => {
      const answer = await callApi<AssignAnswer>(
        props.session.key,
        "PUT",
        `/v1/admin/customers/${encodeURIComponent(props.customerId)}/subscription`,
        { planKey, reason },
      );
      setReason("");
      props.onChanged();
      return `Plan changed (${describeAssignment(answer)}).`;
    });
  };

  return (
    <form onSubmit={submit} aria-label="Change plan">
      <h2>Change plan</h2>
      <label>
        Plan
        <select name="planKey" value={planKey} onChange={(e) => setPlanKey(e.target.value)} required>
          <option value="">Choose a plan…</option>
          {props.plans.map((plan) => (
            <option key={plan.key} value={plan.key}>
              {plan.name} ({plan.key} v{plan.latestVersion?.version})
            </option>
          ))}
        </select>
      </label>
      <ReasonAndSubmit name="changeReason" submit="Change plan" {...field} />
    </form>
  );
}
