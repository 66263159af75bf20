import { type FormEvent, useState } from "react";
import { callApi } from "../api";
import type { Session } from "../session";
import { useReasonedAction } from "../useAction";
import { ReasonAndSubmit } from "./ReasonAndSubmit";

/** POST /v1/admin/customers/:id/credit-grants with an amount and a reason. */
export function CreditGrantForm(props: { session: Session; customerId: string; onGranted: () => void }) {
  const [amount, setAmount] = useState("");
  const { reason, setReason, run, field } = useReasonedAction();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    run(async () => {
      const grant = await callApi<{ id: string; amount: number }>(
        props.session.key,
        "POST",
        `/v1/admin/customers/${encodeURIComponent(props.customerId)}/credit-grants`,
        { amount: Number(amount), reason },
      );
      setAmount("");
      setReason("");
      props.onGranted();
      return `Granted ${grant.amount} credits (${grant.id}).`;
    });
  };

  return (
    <form onSubmit={submit} aria-label="Grant credits">
      <h2>Grant credits</h2>
      <label>
        Amount
        <input
          name="amount"
          type="number"
          min="1"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          required
        />
      </label>
      <ReasonAndSubmit name="grantReason" submit="Grant credits" {...field} />
    </form>
  );
}
